"""Answer strategies: every success and error envelope of every operation, in any dialect."""

from __future__ import annotations

import copy
import string
from functools import lru_cache
from typing import Any, Literal

from hypothesis import strategies as st

from cvs_testkit.strategies.file_answers import file_answer_data, liveness_verdicts
from cvs_testkit.strategies.values import (
    SEEDS,
    flow_catalogue,
    invalid,
    metadata,
    people,
    vietnamese_names,
    warning_codes,
)
from mockserver.contract.catalogue import FLOWS
from mockserver.contract.dialects import DialectError, resolve_dialect
from mockserver.contract.dialects.render import Renderer
from mockserver.contract.loading import Operation, load_contract
from mockserver.generation.cards import BACK_OF, FRONTS, IDENTITY_TYPES
from mockserver.generation.documents import DOCUMENT_TYPES, Dates, build_info, thumbnail

Reading = Literal["strict", "tolerant"]


Outcome = Literal["any", "success", "error"]


OPERATIONS = tuple(op.operation_id for op in load_contract().operations)


_TINY_PNG = thumbnail("passport")


CARD_TYPES = (
    *IDENTITY_TYPES,
    "driving_license",
    "vehicle_registration_front",
    "vehicle_registration_back",
    "picertificate",
)


def document_infos(doc_type: str, *, thumb: st.SearchStrategy[bool] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Generates the ``info`` object of one document type, every field consistent with one person."""
    if doc_type not in DOCUMENT_TYPES:
        return st.deferred(lambda: invalid(f"unknown document type {doc_type!r}"))
    return st.builds(
        lambda person, with_thumb: build_info(doc_type, person, Dates(), {}, with_thumb),
        people(),
        thumb if thumb is not None else st.booleans(),
    )


def document_items(
    doc_type: str | None = None, *, validity: bool = True, warnings: bool = True
) -> st.SearchStrategy[dict[str, Any]]:
    """Generates one ``data`` item ``{type, info[, valid, invalidCode, invalidMessage]}``; identity
    documents carry validity keys when ``validity`` is true, with any warning when ``warnings``."""
    types = st.sampled_from(DOCUMENT_TYPES) if doc_type is None else st.just(doc_type)
    return types.flatmap(
        lambda t: st.builds(_item, st.just(t), document_infos(t), warning_codes(warnings), st.just(validity))
    )


def _item(doc_type: str, info: dict[str, Any], warning: int, validity: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"type": doc_type, "info": info}
    if validity and doc_type in IDENTITY_TYPES:
        message = next(w["message"] for w in flow_catalogue("ocr")["warnings"]["codes"] if w["code"] == warning)
        item.update(valid=warning == 0, invalidCode=warning, invalidMessage=message)
    return item


def error_responses(flow: str) -> st.SearchStrategy[dict[str, Any]]:
    """Generates every non-success envelope of ``flow`` (one of ``FLOWS``: "ocr",
    "face_matching", "liveness", "face_search", "smart_crop"); shrinks toward the lowest code."""
    if flow not in FLOWS:
        return st.deferred(lambda: invalid(f"flow must be one of {FLOWS}"))
    spec = flow_catalogue(flow)
    errors = [e for e in spec["errors"] if e["message"] != "Success"]

    def body(entry: dict[str, Any]) -> dict[str, Any]:
        out = {spec["code_field"]: entry["code"], spec["message_field"]: entry["message"]}
        return {"result": None, **out} if flow == "face_search" else out

    return st.sampled_from(errors).map(body)


def face_search_images() -> st.SearchStrategy[dict[str, Any]]:
    """Generates stored-image objects ``{id, url, metadata}``."""
    return st.builds(
        lambda i, token, meta: {"id": i, "url": f"http://127.0.0.1:8080/__mock__/files/{token}", "metadata": meta},
        st.integers(1, 2**31),
        st.text(string.ascii_letters + string.digits, min_size=8, max_size=16),
        metadata(),
    )


def _success(flow: str, payload: dict[str, Any]) -> dict[str, Any]:
    spec = flow_catalogue(flow)
    return {spec["code_field"]: spec["errors"][0]["code"], spec["message_field"]: "Success", **payload}


def _face_matching_data() -> st.SearchStrategy[dict[str, Any]]:
    from mockserver.generation.faces import match_flag

    warnings = flow_catalogue("face_matching")["warnings"]["codes"]

    def data(percent: float, warning: dict[str, Any]) -> dict[str, Any]:
        return {
            "matching": f"{percent:.2f}",
            "match": match_flag(round(percent, 2)),
            "face1": _TINY_PNG,
            "face2": _TINY_PNG,
            "invalidCode": warning["code"],
            "invalidMessage": warning["message"],
        }

    percents = st.one_of(st.floats(0, 100, allow_nan=False), st.sampled_from([64.99, 65.0, 75.0, 75.01]))
    return st.builds(data, percents, st.sampled_from(warnings))


def _cards_pair() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Both sides of one card family, in either order (the API does not promise one)."""
    return st.sampled_from(FRONTS).flatmap(
        lambda front: st.tuples(document_items(BACK_OF[front]), document_items(front)).flatmap(
            lambda items: st.permutations(list(items))
        )
    )


def _successes(operation_id: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = next(op.schema for op in load_contract().operations if op.operation_id == operation_id)
    by_schema: dict[str, st.SearchStrategy[dict[str, Any]]] = {
        "ocr_ekyc_cards_response.json": _cards_pair().map(lambda d: _success("ocr", {"data": d})),
        "ocr_ekyc_card_response.json": st.one_of(
            _cards(validity=True), st.lists(_cards(validity=False), min_size=1, max_size=3)
        ).map(lambda d: _success("ocr", {"data": d})),
        **_paper_successes(),
        "ocr_card_response.json": st.lists(_cards(validity=False), min_size=1, max_size=3).map(
            lambda d: _success("ocr", {"data": d})
        ),
        "face_matching_response.json": _face_matching_data().map(lambda d: _success("face_matching", {"data": d})),
        "liveness_response.json": liveness_verdicts().map(lambda d: _success("liveness", {"data": d})),
        "face_search_list_response.json": st.lists(face_search_images(), max_size=5).map(
            lambda r: _success("face_search", {"result": r})
        ),
        "face_search_search_response.json": st.lists(face_search_images(), max_size=5).map(
            lambda r: _success("face_search", {"result": r})
        ),
        "face_search_add_response.json": face_search_images().map(lambda r: _success("face_search", {"result": r})),
        "face_search_update_response.json": face_search_images().map(lambda r: _success("face_search", {"result": r})),
        "face_search_delete_response.json": st.just(_success("face_search", {"result": None})),
        "smart_crop_crop_image_response.json": st.builds(
            lambda t: _success("smart_crop", {"url": f"http://127.0.0.1:8080/__mock__/files/{t}"}),
            st.text(string.ascii_letters, min_size=8, max_size=12),
        ),
        "smart_crop_crop_person_response.json": st.builds(
            lambda t, w: _success(
                "smart_crop",
                {
                    "url": f"http://127.0.0.1:8080/__mock__/files/{t}",
                    "invalidCode": w["code"],
                    "invalidMessage": w["message"],
                },
            ),
            st.text(string.ascii_letters, min_size=8, max_size=12),
            st.sampled_from(flow_catalogue("smart_crop")["warnings"]["codes"]),
        ),
    }
    return by_schema[schema]


def dialects() -> st.SearchStrategy[dict[str, str]]:
    """Generates dialect settings (option -> value), every option drawn on its own, so the
    union of every reading the real API might take is covered; shrinks toward the default."""
    table = load_contract().dialects["options"]
    return st.fixed_dictionaries(
        {
            option: st.sampled_from([entry["default"], *sorted(set(entry["values"]) - {entry["default"]})])
            for option, entry in sorted(table.items())
        }
    )


@lru_cache(maxsize=256)
def _renderer(settings: tuple[tuple[str, str], ...]) -> Renderer:
    contract = load_contract()
    return Renderer(resolve_dialect(contract.dialects, dict(settings)), contract.dialects, contract.catalogue)


def _render(operation: Operation, settings: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    endpoint = operation.path.removeprefix("/api/v2/")
    rendered: dict[str, Any] = _renderer(tuple(sorted(settings.items()))).render(
        operation.flow, endpoint, copy.deepcopy(body)
    )
    return rendered


def _cards(validity: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(CARD_TYPES).flatmap(lambda t: document_items(t, validity=validity))


def _papers(types: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(types).flatmap(lambda t: document_items(t, validity=False))


def _paper_successes() -> dict[str, st.SearchStrategy[dict[str, Any]]]:
    """Answers of the OCR document endpoints (object or list per endpoint, one item per page)."""
    from mockserver.generation import regions

    sides = ("vehicle_registration_front", "vehicle_registration_back")
    seeds = SEEDS
    one = {
        "ocr_vehicle_registration_response.json": _papers(sides),
        "ocr_vehicle_inspection_response.json": _papers(("picertificate",)),
        "ocr_birth_certificate_response.json": _papers(("birth_certificate",)),
        "ocr_price_quotation_response.json": _papers(("price_quotation",)),
    }
    many = {
        "ocr_invoice_response.json": _papers(("invoice",)),
        "ocr_invoice_vehicle_response.json": _papers(("invoice_vehicle",)),
        "ocr_vehicle_response.json": _papers((*sides, "picertificate", "driving_license")),
    }
    out = {name: items.map(lambda d: _success("ocr", {"data": d})) for name, items in one.items()}
    out.update(
        {
            name: st.lists(items, min_size=1, max_size=3).map(lambda d: _success("ocr", {"data": d}))
            for name, items in many.items()
        }
    )
    business = _papers(("business_registration",))
    out["ocr_business_registration_response.json"] = st.one_of(
        business, st.lists(business, min_size=1, max_size=3)
    ).map(lambda d: _success("ocr", {"data": d}))
    out["ocr_vehicle_registrations_response.json"] = st.tuples(_papers(sides[:1]), _papers(sides[1:])).map(
        lambda pair: _success("ocr", {"data": list(pair)})
    )
    out["ocr_vehicle_plate_response.json"] = seeds.map(lambda s: _success("ocr", {"data": regions.plates(s, [])}))
    out["ocr_get_table_response.json"] = seeds.map(lambda s: _success("ocr", {"data": regions.tables(s, [])}))
    out["ocr_general_response.json"] = st.lists(seeds, min_size=1, max_size=3).map(
        lambda pages: _success("ocr", {"data": [regions.text_page(s, (1240, 1754)) for s in pages]})
    )
    for name, data in file_answer_data().items():
        out[name] = data.map(lambda d: _success("ocr", {"data": d}))
    return out


def _loosen(body: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Undocumented extra fields, as a real server may add them."""
    extras = st.dictionaries(st.sampled_from(["request_id", "version", "trace"]), vietnamese_names(), max_size=2)
    return extras.map(lambda extra: {**body, **extra})


def from_contract(
    operation_id: str, *, outcome: Outcome = "any", reading: Reading = "strict", dialect: Any = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Generates answers of one operation (an ``operationId`` of ``contracts/openapi.yaml``,
    see ``OPERATIONS``): successes with every document type and warning, and every error of
    the operation's flow. ``reading="tolerant"`` draws from every dialect at once (codes as
    numbers or strings, either date separator, the v1 Face Search keys...) and adds
    undocumented fields; ``dialect`` (a name, a dialect file or options) answers in that one.
    Shrinks toward the first error code, or the simplest success, in the default dialect."""
    ops = {op.operation_id: op for op in load_contract().operations}
    if operation_id not in ops:
        return st.deferred(lambda: invalid(f"unknown operation {operation_id!r}; known: {', '.join(ops)}"))
    if outcome not in ("any", "success", "error") or reading not in ("strict", "tolerant"):
        return st.deferred(lambda: invalid("outcome is any|success|error and reading strict|tolerant"))
    op = ops[operation_id]
    parts = {"error": [error_responses(op.flow)], "success": [_successes(operation_id)]}
    chosen = parts["error"] + parts["success"] if outcome == "any" else parts[outcome]
    bodies = st.one_of(*chosen)
    if dialect is not None:
        try:
            fixed = resolve_dialect(load_contract().dialects, dialect).changed(load_contract().dialects)
        except DialectError as exc:
            message = str(exc)
            return st.deferred(lambda: invalid(message))
        bodies = bodies.map(lambda body: _render(op, fixed, body))
    if reading == "tolerant":
        return st.tuples(bodies, dialects()).map(lambda pair: _render(op, pair[1], pair[0])).flatmap(_loosen)
    return bodies
