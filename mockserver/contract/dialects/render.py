"""Render the fake's default answer in a dialect: one step just before the self-check.

Views build answers in the contract's default reading; each non-default option value names
one rewrite of the answer here. The default dialect has no rewrite, so it costs nothing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from mockserver.contract.catalogue import data_items
from mockserver.contract.dialects import Dialect
from mockserver.contract.dialects.values import as_type

Body = dict[str, Any]
Rewrite = Callable[[str, str | None, Body], Body]
_DATE = re.compile(r"\d{2}-\d{2}-\d{4}")
_CARDS = ("ekyc/cards", "ekyc/card")


def _code(flow: str, field: str, to: str) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        if at == flow and field in body:
            body[field] = as_type(body[field], to)
        return body

    return rewrite


def _item_field(flow: str, fields: tuple[str, ...], to: str) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        if at != flow:
            return body
        for item in data_items(body):
            for field in fields:
                if field in item:
                    item[field] = as_type(item[field], to)
        return body

    return rewrite


def _liveness_native(at: str, endpoint: str | None, body: Body) -> Body:
    """The verdict in JSON's own types: the code a number, the flag a boolean."""
    data = body.get("data")
    if at == "liveness" and isinstance(data, dict):
        data["invalidCode"] = as_type(data.get("invalidCode"), "integer")
        if data.get("valid") in ("True", "False"):
            data["valid"] = data["valid"] == "True"
    return body


def _valid_as_text(at: str, endpoint: str | None, body: Body) -> Body:
    if at == "ocr":
        for item in data_items(body):
            if isinstance(item.get("valid"), bool):
                item["valid"] = "True" if item["valid"] else "False"
    return body


def _infos(node: Any) -> Iterator[dict[str, Any]]:
    """Every document ``info`` in an answer's data, however deep (an HR file nests them)."""
    if isinstance(node, list):
        for item in node:
            yield from _infos(item)
    elif isinstance(node, dict):
        if isinstance(node.get("info"), dict):
            yield node["info"]
        for key, value in node.items():
            if key != "info" and isinstance(value, (list, dict)):
                yield from _infos(value)


def _slashed_dates(at: str, endpoint: str | None, body: Body) -> Body:
    if at == "ocr":
        for info in _infos(body.get("data")):
            for key, value in info.items():
                if isinstance(value, str) and _DATE.fullmatch(value):
                    info[key] = value.replace("-", "/")
    return body


def _single_as_list(at: str, endpoint: str | None, body: Body) -> Body:
    if endpoint == "ekyc/card" and isinstance(body.get("data"), dict):
        body["data"] = [body["data"]]
    return body


def _order(kind: str) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        data = body.get("data")
        if endpoint != "ekyc/cards" or not isinstance(data, list) or len(data) != 2:
            return body
        fronts_first = sorted(data, key=lambda item: not str(item.get("type", "")).endswith("_front"))
        if kind == "shuffle":  # fixed by the answer itself, so a retry sees the same order
            random.Random(repr(fronts_first)).shuffle(fronts_first)
        body["data"] = fronts_first
        return body

    return rewrite


def _top_level_warning(at: str, endpoint: str | None, body: Body) -> Body:
    if endpoint not in _CARDS or "data" not in body:
        return body
    checked = [item for item in data_items(body) if "invalidMessage" in item]
    if not checked:  # documents without validity keys (a driving licence) have nothing to sum up
        return body
    warned = [item for item in checked if str(item.get("invalidCode", "0")) != "0"]
    if warned:
        body["invalidMessage"] = body["Exception"] = warned[0]["invalidMessage"]
    else:
        body["invalidMessage"] = checked[0]["invalidMessage"]
    return body


def _passport_spelling(at: str, endpoint: str | None, body: Body) -> Body:
    renames = {"person_number_box": "Person_number_box", "mrz_confidence": "mrz_confindence"}
    for item in data_items(body) if at == "ocr" else []:
        info = item.get("info")
        if item.get("type") == "passport" and isinstance(info, dict):
            item["info"] = {renames.get(k, k): v for k, v in info.items()}
    return body


def _face_search_keys(kind: str) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        if at != "face_search" or "status_code" not in body:
            return body
        if kind == "both":
            body["errorCode"], body["error_message"] = body["status_code"], body.get("message")
            return body
        v1 = {"status_code": "errorCode", "message": "error_message"}
        return {v1.get(k, k): v for k, v in body.items()}

    return rewrite


DATA_ENVELOPE_FLOWS = ("ocr", "face_matching", "liveness")  # errorCode, errorMessage and data


def _error_data(value: Any) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        if at in DATA_ENVELOPE_FLOWS and str(body.get("errorCode", "0")) != "0" and "data" not in body:
            body["data"] = None if value is None else []
        return body

    return rewrite


def _verbatim(misprints: dict[str, dict[str, str]], right: dict[str, frozenset[str]]) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        table = {m: wrong for m, wrong in misprints.get(at, {}).items() if endpoint not in right.get(m, ())}
        if not table:
            return body
        for field in ("errorMessage", "invalidMessage"):
            if body.get(field) in table:
                body[field] = table[body[field]]
        for item in data_items(body):
            if item.get("invalidMessage") in table:
                item["invalidMessage"] = table[item["invalidMessage"]]
        return body

    return rewrite


def _rewrites(misprints: dict[str, dict[str, str]], right: dict[str, frozenset[str]]) -> dict[tuple[str, str], Rewrite]:
    return {
        ("ocr.error_code", "integer"): _code("ocr", "errorCode", "integer"),
        ("ocr.invalid_code", "string"): _item_field("ocr", ("invalidCode",), "string"),
        ("ocr.valid", "string"): _valid_as_text,
        ("ocr.date_separator", "slash"): _slashed_dates,
        ("ocr.single_data", "list"): _single_as_list,
        ("ocr.item_order", "input"): _order("input"),
        ("ocr.item_order", "shuffle"): _order("shuffle"),
        ("ocr.top_level_warning", "present"): _top_level_warning,
        ("ocr.passport_spelling", "vendor"): _passport_spelling,
        ("face_matching.error_code", "integer"): _code("face_matching", "errorCode", "integer"),
        ("face_matching.invalid_code", "string"): _item_field("face_matching", ("invalidCode",), "string"),
        ("face_matching.scores", "number"): _item_field("face_matching", ("matching", "match"), "number"),
        ("liveness.types", "native"): _liveness_native,
        ("face_search.status_code", "string"): _code("face_search", "status_code", "string"),
        ("face_search.keys", "v1"): _face_search_keys("v1"),
        ("face_search.keys", "both"): _face_search_keys("both"),
        ("smart_crop.codes", "string"): _chain(
            _code("smart_crop", "errorCode", "string"), _code("smart_crop", "invalidCode", "string")
        ),
        ("errors.data", "null"): _error_data(None),
        ("errors.data", "empty_list"): _error_data([]),
        ("messages", "verbatim"): _verbatim(misprints, right),
    }


def _chain(*steps: Rewrite) -> Rewrite:
    def rewrite(at: str, endpoint: str | None, body: Body) -> Body:
        for step in steps:
            body = step(at, endpoint, body)
        return body

    return rewrite


# Applied in this order: rewrites that read a field run before the ones that rename or retype it.
ORDER = (
    "ocr.top_level_warning",
    "messages",
    "errors.data",
    "ocr.item_order",
    "ocr.single_data",
    "ocr.date_separator",
    "ocr.passport_spelling",
    "ocr.valid",
    "ocr.invalid_code",
    "ocr.error_code",
    "face_matching.scores",
    "face_matching.invalid_code",
    "face_matching.error_code",
    "liveness.types",
    "face_search.status_code",
    "face_search.keys",
    "smart_crop.codes",
)


class Renderer:
    """The rewrites of one dialect, in order; ``render`` leaves the default dialect's answers be."""

    def __init__(self, dialect: Dialect, table: dict[str, Any], catalogue: dict[str, Any]) -> None:
        self.dialect = dialect
        changed = dialect.changed(table)
        table_of = _rewrites(misprints(catalogue), spelled_right(catalogue))
        self.steps = [table_of[(option, changed[option])] for option in ORDER if option in changed]

    def render(self, flow: str, endpoint: str | None, body: Any) -> Any:
        if not self.steps or not isinstance(body, dict):
            return body
        body = dict(body)  # a new top level: billing and the journal read the default codes
        for step in self.steps:
            body = step(flow, endpoint, body)
        return body


def misprints(catalogue: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per flow, each message the docs misprint and its misprint."""
    out: dict[str, dict[str, str]] = {}
    for flow, spec in catalogue["flows"].items():
        entries = [*spec["errors"], *spec.get("warnings", {}).get("codes", [])]
        out[flow] = {e["message"]: e["docs_verbatim_message"] for e in entries if e.get("docs_verbatim_message")}
    return out


def spelled_right(catalogue: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Per misprinted message, the endpoints whose own pages print it right (the docs'
    spelling there is the right one)."""
    return {
        e["message"]: frozenset(e["spelled_right_on"])
        for spec in catalogue["flows"].values()
        for e in spec["errors"]
        if e.get("spelled_right_on")
    }
