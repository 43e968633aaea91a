"""Which reading of each contested option a server speaks, from the battery's own answers.

Every dialect option (``contracts/dialects.json``) has an observer here: it looks at the
exchanges that can show the option and names the value they show, or None ("not observed").
What is observed can be written as a dialect file that ``cvs-mock serve --dialect FILE``
loads, so after one budgeted run against the real API the fake speaks like it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mockserver.contract.catalogue import data_items
from mockserver.contract.loading import load_contract

from .checks import Exchange

Observer = Callable[[list[Exchange]], str | None]
_DATE = re.compile(r"\d{2}([-/])\d{2}\1\d{4}")


def _bodies(exchanges: Iterable[Exchange], flow: str, path: str = "") -> list[dict[str, Any]]:
    return [ex.body for ex in exchanges if ex.flow == flow and path in ex.path and isinstance(ex.body, dict)]


def _successes(exchanges: Iterable[Exchange], flow: str, path: str = "") -> list[dict[str, Any]]:
    field = "status_code" if flow == "face_search" else "errorCode"
    return [b for b in _bodies(exchanges, flow, path) if str(b.get(field, b.get("errorCode"))) == "0"]


def _json_type(values: list[Any]) -> str | None:
    kinds = {"string" if isinstance(v, str) else "integer" for v in values if v is not None and not isinstance(v, bool)}
    return kinds.pop() if len(kinds) == 1 else None


def _code_type(flow: str, field: str) -> Observer:
    return lambda exs: _json_type([b.get(field) for b in _bodies(exs, flow) if field in b])


def _item_type(flow: str, field: str) -> Observer:
    def observe(exs: list[Exchange]) -> str | None:
        if flow == "face_matching":
            values = [b["data"].get(field) for b in _successes(exs, flow) if isinstance(b.get("data"), dict)]
        else:
            values = [i.get(field) for b in _successes(exs, flow, "/ekyc/") for i in data_items(b)]
        return _json_type([v for v in values if v is not None])

    return observe


def _liveness_types(exs: list[Exchange]) -> str | None:
    verdicts = [b["data"] for b in _successes(exs, "liveness") if isinstance(b.get("data"), dict)]
    kinds = {"string" if isinstance(v.get("invalidCode"), str) else "native" for v in verdicts if "invalidCode" in v}
    return kinds.pop() if len(kinds) == 1 else None


def _valid(exs: list[Exchange]) -> str | None:
    values = [i["valid"] for b in _successes(exs, "ocr", "/ekyc/") for i in data_items(b) if "valid" in i]
    kinds = {"boolean" if isinstance(v, bool) else "string" for v in values}
    return kinds.pop() if len(kinds) == 1 else None


def _date_separator(exs: list[Exchange]) -> str | None:
    seps = set()
    for body in _successes(exs, "ocr"):
        for item in data_items(body):
            info = item.get("info")
            for value in info.values() if isinstance(info, dict) else ():
                found = _DATE.fullmatch(value) if isinstance(value, str) else None
                if found:
                    seps.add("hyphen" if found.group(1) == "-" else "slash")
    return seps.pop() if len(seps) == 1 else None


def _single_data(exs: list[Exchange]) -> str | None:
    kinds = {type(b.get("data")).__name__ for b in _successes(exs, "ocr", "/ekyc/card?")}
    return {"dict": "object", "list": "list"}.get(kinds.pop()) if len(kinds) == 1 else None


def _item_order(exs: list[Exchange]) -> str | None:
    firsts = {
        str(data_items(b)[0].get("type", "")).endswith("_back")
        for b in _successes(exs, "ocr", "/ekyc/cards")
        if len(data_items(b)) == 2
    }
    return ("back_first" if firsts.pop() else "input") if len(firsts) == 1 else None


def _top_level_warning(exs: list[Exchange]) -> str | None:
    bodies = _successes(exs, "ocr", "/ekyc/")
    if not bodies:
        return None
    return "present" if any("invalidMessage" in b for b in bodies) else "absent"


def _passport_spelling(exs: list[Exchange]) -> str | None:
    keys = {
        k
        for b in _successes(exs, "ocr")
        for i in data_items(b)
        if i.get("type") == "passport" and isinstance(i.get("info"), dict)
        for k in i["info"]
    }
    if keys & {"Person_number_box", "mrz_confindence"}:
        return "vendor"
    return "contract" if keys & {"person_number_box", "mrz_confidence"} else None


def _scores(exs: list[Exchange]) -> str | None:
    values = [b["data"].get("matching") for b in _successes(exs, "face_matching") if isinstance(b.get("data"), dict)]
    kinds = {"string" if isinstance(v, str) else "number" for v in values if v is not None}
    return kinds.pop() if len(kinds) == 1 else None


def _face_search_code(exs: list[Exchange]) -> str | None:
    return _json_type([b.get("status_code", b.get("errorCode")) for b in _bodies(exs, "face_search")])


def _face_search_keys(exs: list[Exchange]) -> str | None:
    shapes = set()
    for body in _bodies(exs, "face_search"):
        documented, v1 = "status_code" in body, "errorCode" in body
        shapes.add("both" if documented and v1 else "documented" if documented else "v1" if v1 else "?")
    return shapes.pop() if len(shapes) == 1 and "?" not in shapes else None


def _error_data(exs: list[Exchange]) -> str | None:
    errors = [b for flow in ("ocr", "face_matching") for b in _bodies(exs, flow) if str(b.get("errorCode", "0")) != "0"]
    kinds = {
        "absent" if "data" not in b else "null" if b["data"] is None else "empty_list" if b["data"] == [] else "?"
        for b in errors
    }
    return kinds.pop() if len(kinds) == 1 and "?" not in kinds else None


def _messages(exs: list[Exchange]) -> str | None:
    seen = {
        text
        for body in _bodies(exs, "ocr")
        for text in [body.get("errorMessage"), *(i.get("invalidMessage") for i in data_items(body))]
        if text in ("Incorrect format type", "ncorrect format type", "Successful", "uccessful")
    }
    if seen & {"ncorrect format type", "uccessful"}:
        return "verbatim"
    return "fixed" if seen else None


OBSERVERS: dict[str, Observer] = {
    "ocr.error_code": _code_type("ocr", "errorCode"),
    "ocr.invalid_code": _item_type("ocr", "invalidCode"),
    "ocr.valid": _valid,
    "ocr.date_separator": _date_separator,
    "ocr.single_data": _single_data,
    "ocr.item_order": _item_order,
    "ocr.top_level_warning": _top_level_warning,
    "ocr.passport_spelling": _passport_spelling,
    "face_matching.error_code": _code_type("face_matching", "errorCode"),
    "face_matching.invalid_code": _item_type("face_matching", "invalidCode"),
    "face_matching.scores": _scores,
    "liveness.types": _liveness_types,
    "face_search.status_code": _face_search_code,
    "face_search.keys": _face_search_keys,
    "smart_crop.codes": _code_type("smart_crop", "errorCode"),
    "errors.data": _error_data,
    "messages": _messages,
}


def observe(exchanges: list[Exchange]) -> dict[str, str | None]:
    """Per dialect option, the value the exchanges show, or None when none shows it."""
    options = load_contract().dialects["options"]
    found = {option: OBSERVERS[option](exchanges) for option in sorted(options)}
    return {k: (v if v in options[k]["values"] else None) for k, v in found.items()}


def write_dialect(observed: dict[str, str | None], path: Path, base_url: str) -> None:
    """A dialect file of what was observed; options not observed keep the fake's default."""
    data = {
        "name": "calibrated",
        "description": f"observed by cvs-testkit conformance at {base_url}",
        "options": {k: v for k, v in sorted(observed.items()) if v is not None},
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
