"""Every option x every value: the fake's answers validate against the tolerant contract and
against that dialect's own strict schemas, and a client written per reading passes only under
its reading."""

from __future__ import annotations

from typing import Any

import pytest

from cvs_testkit.contract import contract, problems_for_schema
from mockserver import create_app
from mockserver.contract.catalogue import flow_of_path
from mockserver.pipeline.selfcheck import FALLBACK_SCHEMA
from tests.dialects.battery import CALLS, send

TABLE = contract().dialects
SETTINGS = [(option, value) for option, entry in sorted(TABLE["options"].items()) for value in sorted(entry["values"])]


def answers(options: dict[str, str] | None = None, name: str | None = None) -> dict[str, Any]:
    """The battery's answers from a fake speaking a dialect (TESTING: a strict self-check
    violation raises instead of answering)."""
    client = create_app({"TESTING": True, "DIALECT": name, "DIALECT_SET": options}).test_client()
    return {call.name: (call, send(client, call)) for call in CALLS}


def schema_of(call: Any) -> str:
    op = contract().operation(call.path.split("?")[0], call.method)
    if op is None and call.name == "ocr_unserved_route":
        return "not_served.json"
    return op.schema if op else FALLBACK_SCHEMA[flow_of_path(call.path)]


@pytest.mark.parametrize(("option", "value"), SETTINGS, ids=[f"{o}={v}" for o, v in SETTINGS])
def test_each_reading_validates_tolerant_and_its_own_strict(option: str, value: str) -> None:
    for call, response in answers({option: value}).values():
        body = response.get_json()
        schema = schema_of(call)
        assert problems_for_schema(body, schema, "tolerant") == [], (call.name, body)
        assert problems_for_schema(body, schema, "strict", dialect={option: value}) == [], (call.name, body)


@pytest.mark.parametrize("name", sorted(TABLE["dialects"]))
def test_named_dialects_validate_tolerant_and_their_own_strict(name: str) -> None:
    for call, response in answers(name=name).values():
        body = response.get_json()
        assert problems_for_schema(body, schema_of(call), "tolerant") == [], (call.name, body)
        assert problems_for_schema(body, schema_of(call), "strict", dialect=name) == [], (call.name, body)


def test_named_dialects_cover_every_alternative() -> None:
    covered = {(o, v) for d in TABLE["dialects"].values() for o, v in d["options"].items()}
    alternatives = {(o, v) for o, e in TABLE["options"].items() for v in e["values"] if v != e["default"]}
    assert alternatives <= covered


def test_every_option_names_its_assumption_and_a_default_it_offers() -> None:
    text = (contract().root / "ASSUMPTIONS.md").read_text(encoding="utf-8")
    for option, entry in TABLE["options"].items():
        assert entry["default"] in entry["values"], option
        assert f"## {entry['assumption']} " in text, option
        assert f"`{option}`" in text, option  # the weighing is written down


# -- a client per reading ----------------------------------------------------------------
def _ocr_items(body: dict[str, Any]) -> list[dict[str, Any]]:
    data = body["data"]
    return data if isinstance(data, list) else [data]


READERS = {
    # each reads one answer the way a client coded against that reading would, raising on any other
    ("ocr.error_code", "string"): ("ocr_wrong_secret", lambda b: b["errorCode"] + ""),
    ("ocr.error_code", "integer"): ("ocr_wrong_secret", lambda b: b["errorCode"] + 0),
    ("ocr.invalid_code", "integer"): ("ekyc_card", lambda b: b["data"]["invalidCode"] + 0),
    ("ocr.invalid_code", "string"): ("ekyc_card", lambda b: b["data"]["invalidCode"] + ""),
    ("ocr.valid", "boolean"): ("ekyc_card", lambda b: _must(b["data"]["valid"] is True)),
    ("ocr.valid", "string"): ("ekyc_card", lambda b: _must(b["data"]["valid"] == "True")),
    ("ocr.date_separator", "hyphen"): ("ekyc_card", lambda b: [int(p) for p in b["data"]["info"]["dob"].split("-")]),
    ("ocr.date_separator", "slash"): ("ekyc_card", lambda b: [int(p) for p in b["data"]["info"]["dob"].split("/")]),
    ("ocr.single_data", "object"): ("ekyc_card", lambda b: b["data"]["info"]),
    ("ocr.single_data", "list"): ("ekyc_card", lambda b: b["data"][0]["info"]),
    ("ocr.item_order", "back_first"): ("ekyc_cards", lambda b: _must(b["data"][1]["type"].endswith("_front"))),
    ("ocr.item_order", "input"): ("ekyc_cards", lambda b: _must(b["data"][0]["type"].endswith("_front"))),
    ("ocr.top_level_warning", "absent"): ("ekyc_cards_warned", lambda b: _must("Exception" not in b)),
    ("ocr.top_level_warning", "present"): ("ekyc_cards_warned", lambda b: b["Exception"] + b["invalidMessage"]),
    ("ocr.passport_spelling", "contract"): ("ekyc_card_passport", lambda b: b["data"]["info"]["person_number_box"]),
    ("ocr.passport_spelling", "vendor"): ("ekyc_card_passport", lambda b: b["data"]["info"]["Person_number_box"]),
    ("face_matching.error_code", "string"): ("face_matching_error", lambda b: b["errorCode"] + ""),
    ("face_matching.error_code", "integer"): ("face_matching_error", lambda b: b["errorCode"] + 0),
    ("face_matching.invalid_code", "integer"): ("face_matching", lambda b: _must(b["data"]["invalidCode"] == 0)),
    ("face_matching.invalid_code", "string"): ("face_matching", lambda b: _must(b["data"]["invalidCode"] == "0")),
    ("liveness.types", "string"): (
        "liveness",
        lambda b: _must(b["data"]["invalidCode"] == "6" and b["data"]["valid"] == "False"),
    ),
    ("liveness.types", "native"): (
        "liveness",
        lambda b: _must(b["data"]["invalidCode"] == 6 and b["data"]["valid"] is False),
    ),
    ("face_matching.scores", "string"): ("face_matching", lambda b: b["data"]["matching"] + "%" + b["data"]["match"]),
    ("face_matching.scores", "number"): ("face_matching", lambda b: b["data"]["matching"] + b["data"]["match"] + 0),
    ("face_search.status_code", "integer"): (
        "face_search_error",
        lambda b: b.get("status_code", b.get("errorCode")) + 0,
    ),
    ("face_search.status_code", "string"): (
        "face_search_error",
        lambda b: b.get("status_code", b.get("errorCode")) + "",
    ),
    ("face_search.keys", "documented"): ("face_search_error", lambda b: _must("errorCode" not in b and b["message"])),
    ("face_search.keys", "v1"): ("face_search_error", lambda b: _must("status_code" not in b and b["error_message"])),
    ("face_search.keys", "both"): ("face_search_error", lambda b: b["message"] + b["error_message"]),
    ("smart_crop.codes", "integer"): ("crop_person", lambda b: b["errorCode"] + b["invalidCode"] + 0),
    ("smart_crop.codes", "string"): ("crop_person", lambda b: b["errorCode"] + b["invalidCode"] + ""),
    ("errors.data", "absent"): ("ocr_unreachable", lambda b: _must("data" not in b)),
    ("errors.data", "null"): ("ocr_unreachable", lambda b: _must(b["data"] is None)),
    ("errors.data", "empty_list"): ("ocr_unreachable", lambda b: _must(b["data"] == [])),
    ("messages", "fixed"): ("ocr_format_mismatch", lambda b: _must(b["errorMessage"] == "Incorrect format type")),
    ("messages", "verbatim"): ("ocr_format_mismatch", lambda b: _must(b["errorMessage"] == "ncorrect format type")),
}


def _must(condition: Any) -> Any:
    if not condition:
        raise AssertionError("not this reading")
    return condition


def test_every_reading_has_a_client() -> None:
    shuffle = {("ocr.item_order", "shuffle")}  # an order fixed by the images: no client relies on it
    assert set(READERS) | shuffle == set(SETTINGS)


@pytest.mark.parametrize("option", sorted({o for o, _ in READERS}))
def test_a_client_per_reading_passes_only_under_its_reading(option: str) -> None:
    values = sorted(v for o, v in READERS if o == option)
    for spoken in values:
        bodies = {name: response.get_json() for name, (_, response) in answers({option: spoken}).items()}
        for reader_value in values:
            call, read = READERS[(option, reader_value)]
            if reader_value == spoken:
                read(bodies[call])
            else:
                with pytest.raises((AssertionError, KeyError, TypeError, IndexError, ValueError)):
                    read(bodies[call])
