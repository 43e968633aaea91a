"""OCR views of the identity-card family: ekyc/cards, ekyc/card and ocr/card."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, g, request

from ..errors import CVSError
from ..inputs import pictures, request_mode
from ..pictures import Picture
from ..pipeline import api_view
from ..state import current_state
from .documents import BACK_OF, FRONTS, IDENTITY_TYPES, SIDE_ORDER, Dates, build_info
from .people import person_for, unaccent

bp = Blueprint("ocr", __name__)
DATES = Dates()
ROUTES = ("/api/v2/ekyc/cards", "/api/v2/ekyc/card", "/api/v2/ocr/card")
METHODS = ["GET", "POST"]


def documents_in(picture: Picture, default_types: tuple[str, ...]) -> list[dict[str, Any]]:
    """The documents the fake sees: the scenario's, none in a blank image, else one by the bytes."""
    if picture.blank:
        return []
    if picture.scenario is not None and "documents" in picture.scenario:
        return list(picture.scenario["documents"])
    return [{"type": default_types[int(picture.seed[:8], 16) % len(default_types)]}]


def _note_trigger(pics: list[Picture]) -> None:
    g.cvs_picture_trigger = "scenario-image" if any(p.scenario for p in pics) else "image-bytes"
    problems = [p.scenario_problem for p in pics if p.scenario_problem]
    if problems:
        g.cvs_picture_trigger = "scenario-invalid"


def _item(doc: dict[str, Any], seed: str, validity: bool, shared: dict[str, str] | None = None) -> dict[str, Any]:
    state = current_state()
    person = person_for(doc.get("seed", seed))
    pinned = {**(shared or {}), **doc.get("fields", {})}
    overrides, ignored = _checked_fields(state, doc["type"], pinned)
    if ignored:
        g.cvs_note = "scenario fields ignored: " + "; ".join(ignored)
    thumb = request.args.get("get_thumb", "false").lower() == "true"
    info = build_info(doc["type"], person, DATES, overrides, thumb)
    item: dict[str, Any] = {"type": doc["type"], "info": info}
    if validity and doc["type"] in IDENTITY_TYPES:
        code, message = state.catalogue.warning("ocr", int(doc.get("invalid_code", 0)))
        item.update(valid=code == 0, invalidCode=code, invalidMessage=message)
    return item


def _checked_fields(state: Any, doc_type: str, pinned: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The pinned fields the contract allows, dates written the default way; why the others
    are left out (the fake never sends an answer that fails its own contract)."""
    known = state.contract.schemas["ocr_document.json"]["$defs"][f"info_{doc_type}"]["properties"]
    kept: dict[str, Any] = {}
    ignored: list[str] = []
    for field, value in sorted(pinned.items()):
        if field not in known or field == "image":
            ignored.append(f"{field} (not a {doc_type} field)")
        elif (problem := state.contract.field_problem(doc_type, field, value)) is not None:
            ignored.append(f"{field} (wrong type: {problem})")
        else:
            kept[field] = _DMY_SLASHED.sub(r"\1-\2-\3", value) if isinstance(value, str) else value
    return kept, ignored


_DMY_SLASHED = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


BACK_REPEATS = {
    "9_id_card_back": ("ethnicity",),
    "chip_id_card_back": ("dob", "due_date", "gender", "person_number", "document_number", "sur_name", "given_name"),
}


def _shared_with_back(front: dict[str, Any], back_type: str) -> dict[str, str]:
    """Front fields a test pinned that the back repeats (the chip back repeats id, dob, sex)."""
    fields = {k: v for k, v in front.get("fields", {}).items() if isinstance(v, str)}
    if "id" in fields:
        fields.update(person_number=fields["id"], document_number=fields["id"][-9:])
    if "name" in fields and fields["name"].split():
        family, *rest = unaccent(fields["name"]).upper().split()
        fields.update(sur_name=family, given_name=" ".join(rest))
    if "gender" in fields:
        fields["gender"] = "F" if fields["gender"].strip().lower() in ("nữ", "nu", "f") else "M"
    return {k: v for k, v in fields.items() if k in BACK_REPEATS.get(back_type, ())}


def _back_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: SIDE_ORDER.get(item["type"], 0))  # other orders: a dialect


@api_view("ocr", "ekyc/cards")
def ekyc_cards() -> dict[str, Any]:
    front_pic, back_pic = pictures(("img1", "img2"), request_mode())
    _note_trigger([front_pic, back_pic])
    fronts = documents_in(front_pic, FRONTS)
    if not fronts:
        raise CVSError("no_content", g.cvs_picture_trigger + ":no-document", "img1")
    front = fronts[0]
    backs = documents_in(back_pic, (BACK_OF.get(front["type"], "12_id_card_back"),))
    if not backs:
        raise CVSError("no_content", g.cvs_picture_trigger + ":no-document", "img2")
    back = backs[0]
    seed = front.get("seed", front_pic.seed)
    back_seed = back.get("seed", seed)
    items = [
        _item(front, seed, validity=True),
        _item({**back, "seed": back_seed}, seed, validity=True, shared=_shared_with_back(front, back["type"])),
    ]
    return {**current_state().catalogue.success_fields("ocr"), "data": _back_first(items)}


@api_view("ocr", "ekyc/card")
def ekyc_card() -> dict[str, Any]:
    (pic,) = pictures(("img",), request_mode())
    _note_trigger([pic])
    docs = documents_in(pic, IDENTITY_TYPES)
    if not docs:
        raise CVSError("no_content", g.cvs_picture_trigger + ":no-document")
    return {**current_state().catalogue.success_fields("ocr"), "data": _item(docs[0], pic.seed, validity=True)}


@api_view("ocr", "ocr/card")
def ocr_card() -> dict[str, Any]:
    (pic,) = pictures(("img",), request_mode())
    _note_trigger([pic])
    docs = documents_in(pic, IDENTITY_TYPES)
    if not docs:
        raise CVSError("no_content", g.cvs_picture_trigger + ":no-document")
    items = [_item(doc, f"{pic.seed}:{n}", validity=False) for n, doc in enumerate(docs)]
    return {**current_state().catalogue.success_fields("ocr"), "data": items}


for _route, _view in zip(ROUTES, (ekyc_cards, ekyc_card, ocr_card), strict=True):
    bp.add_url_rule(_route, view_func=_view, methods=METHODS)
