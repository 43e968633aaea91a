"""OCR views of the identity-card family: ekyc/cards, ekyc/card and ocr/card."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint

from mockserver.exceptions import CVSError
from mockserver.generation.cards import BACK_OF, FRONTS, IDENTITY_TYPES, kind_of, too_young
from mockserver.generation.documents import SIDE_ORDER, Dates, build_info, schema_type_of
from mockserver.generation.people import Pins, person_for
from mockserver.media.pictures import Picture
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import RequestRecord
from mockserver.pipeline.inputs import pictures, request_mode

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


def note_trigger(exchange: RequestRecord, pics: list[Picture]) -> None:
    pages = [page for p in pics for page in (p.pages or [p])]
    pdf = any(p.pages is not None for p in pics)
    if any(p.scenario_problem for p in pages):
        trigger = "scenario-invalid"
    elif any(p.scenario for p in pages):
        trigger = "scenario-pdf" if pdf else "scenario-image"
    else:
        trigger = "pdf-bytes" if pdf else "image-bytes"
    exchange.picture_trigger = trigger


def no_document(exchange: RequestRecord, part: str = "") -> CVSError:
    """no_content for an image (or ``part``) that shows no document the endpoint reads."""
    return CVSError("no_content", f"{exchange.picture_trigger}:no-document", part)


def page_items(
    exchange: RequestRecord, pic: Picture, types: tuple[str, ...], first_only: bool = False
) -> list[dict[str, Any]]:
    """The items of a PDF, one per page (every document of each page unless ``first_only``),
    without validity keys; no_content when no page shows a document."""
    items = []
    for page in pic.pages or [pic]:
        docs = documents_in(page, types)
        for k, doc in enumerate(docs[:1] if first_only else docs):
            items.append(document_item(exchange, doc, f"{page.seed}:{k}", validity=False, size=page.size))
    if not items:
        raise no_document(exchange)
    return items


def document_item(
    exchange: RequestRecord,
    doc: dict[str, Any],
    seed: str,
    validity: bool,
    size: tuple[int, int],
    holder: dict[str, Any] | None = None,
    family: str = "",
    pages: int = 1,
) -> dict[str, Any]:
    """One document item; ``holder`` are the fields pinned on the card's other side, which
    describe the same person; ``family`` the prefix of an endpoint's own field lists
    (``hr_``); ``pages`` how many pages the document spans."""
    state = exchange.fake
    schema_type = schema_type_of(doc["type"], family)
    overrides, ignored = _checked_fields(exchange, schema_type, doc.get("fields", {}))
    pins = Pins.from_fields({**(holder or {}), **overrides} if holder else overrides)
    person = person_for(doc.get("seed", seed), pins)
    notes = [f"scenario field {text}" for text in ignored] + list(person.conflicts)
    # generated people are old enough for every card; a pinned birth date may not be
    if (pins.dob or pins.id12) and doc["type"] in IDENTITY_TYPES and too_young(person, kind_of(doc["type"])):
        notes.append(f"dob {person.dob:%d-%m-%Y} is too young for a {kind_of(doc['type'])} (issued from age 14)")
    if notes:
        add_note(exchange, notes)
    thumb = exchange.thumb_wanted()
    info = build_info(schema_type, person, DATES, overrides, thumb, size, pages)
    item: dict[str, Any] = {"type": doc["type"], "info": info}
    if validity and doc["type"] in IDENTITY_TYPES:
        code, message = state.catalogue.warning("ocr", int(doc.get("invalid_code", 0)))
        item.update(valid=code == 0, invalidCode=code, invalidMessage=message)
    return item


def add_note(exchange: RequestRecord, notes: list[str]) -> None:
    exchange.note(*notes)


def _checked_fields(exchange: RequestRecord, doc_type: str, pinned: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The pinned fields the contract allows, dates written the default way; why the others
    are left out (the fake never sends an answer that fails its own contract)."""
    state = exchange.fake
    known = state.contract.schemas["ocr_document.json"]["$defs"][f"info_{doc_type}"]["properties"]
    kept: dict[str, Any] = {}
    ignored: list[str] = []
    for field, value in sorted(pinned.items()):
        if field not in known or field == "image":
            ignored.append(f"{field} ignored (not a {doc_type} field)")
        elif (problem := state.contract.field_problem(doc_type, field, value)) is not None:
            ignored.append(f"{field} ignored (wrong type: {problem})")
        else:
            kept[field] = _DMY_SLASHED.sub(r"\1-\2-\3", value) if isinstance(value, str) else value
    return kept, ignored


_DMY_SLASHED = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def _back_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: SIDE_ORDER.get(item["type"], 0))  # other orders: a dialect


@api_view("ocr", "ekyc/cards")
def ekyc_cards(exchange: RequestRecord) -> dict[str, Any]:
    exchange.thumb_wanted()  # a bad value is refused before any image is read
    front_pic, back_pic = pictures(("img1", "img2"), request_mode())
    note_trigger(exchange, [front_pic, back_pic])
    fronts = documents_in(front_pic, FRONTS)
    if not fronts:
        raise no_document(exchange, "img1")
    front = fronts[0]
    backs = documents_in(back_pic, (BACK_OF.get(front["type"], "12_id_card_back"),))
    if not backs:
        raise no_document(exchange, "img2")
    back = backs[0]
    seed = front.get("seed", front_pic.seed)
    back_seed = back.get("seed", seed)
    holder, _ = _checked_fields(exchange, front["type"], front.get("fields", {}))
    items = [
        document_item(exchange, front, seed, validity=True, size=front_pic.size),
        document_item(exchange, {**back, "seed": back_seed}, seed, validity=True, size=back_pic.size, holder=holder),
    ]
    return {"data": _back_first(items)}


@api_view("ocr", "ekyc/card")
def ekyc_card(exchange: RequestRecord) -> dict[str, Any]:
    exchange.thumb_wanted()
    mode = request_mode()
    (pic,) = pictures(("img",), mode, pdf=mode == "file")  # "image or PDF" in file mode (D38)
    note_trigger(exchange, [pic])
    if pic.pages is not None:
        return {"data": page_items(exchange, pic, IDENTITY_TYPES, True)}
    docs = documents_in(pic, IDENTITY_TYPES)
    if not docs:
        raise no_document(exchange)
    item = document_item(exchange, docs[0], pic.seed, validity=True, size=pic.size)
    return {"data": item}


@api_view("ocr", "ocr/card")
def ocr_card(exchange: RequestRecord) -> dict[str, Any]:
    exchange.thumb_wanted()
    mode = request_mode()
    (pic,) = pictures(("img",), mode, pdf=mode == "file")
    note_trigger(exchange, [pic])
    return {"data": page_items(exchange, pic, IDENTITY_TYPES)}


for _route, _view in zip(ROUTES, (ekyc_cards, ekyc_card, ocr_card), strict=True):
    bp.add_url_rule(_route, view_func=_view, methods=METHODS)
