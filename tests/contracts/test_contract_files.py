"""The contract files themselves: valid, canonical, and in agreement with each other."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from mockserver import create_app
from mockserver.contract.catalogue import MEANINGS
from mockserver.contract.loading import contracts_dir, load_contract, tolerant_form

CONTRACT = load_contract()
SCHEMAS = sorted(CONTRACT.schemas)


def test_openapi_document_is_valid() -> None:
    validate_openapi(CONTRACT.openapi, base_uri=(contracts_dir() / "openapi.yaml").as_uri())


@pytest.mark.parametrize("name", SCHEMAS)
@pytest.mark.parametrize("level", ["strict", "tolerant"])
def test_every_schema_is_valid_2020_12(name: str, level: str) -> None:
    schema = CONTRACT.schemas[name] if level == "strict" else tolerant_form(CONTRACT.schemas[name])
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", SCHEMAS + ["../errors.json"])
def test_json_files_are_canonical(name: str) -> None:
    path = contracts_dir() / "schemas" / name
    text = path.read_text(encoding="utf-8")
    if name.startswith(".."):
        json.loads(text)  # hand-laid-out for reading; only well-formedness is required
        return
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_every_operation_has_a_schema_and_every_response_schema_an_operation() -> None:
    used = {op.schema for op in CONTRACT.operations}
    responses = {n for n in SCHEMAS if n.endswith("_response.json")}
    assert used == responses


def test_route_table_matches_openapi_paths() -> None:
    app = create_app({"TESTING": True})
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            served.update((path, m) for m in rule.methods - {"HEAD", "OPTIONS"})
    documented = {(op.path, op.method) for op in CONTRACT.operations}
    assert served == documented


def _schema_codes(schema: dict, field: str) -> set[str]:
    """Every code value a schema's enum admits for ``field``, anywhere in it."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("properties") or {}
            if isinstance(props.get(field), dict) and "enum" in props[field]:
                found.update(str(v) for v in props[field]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


FLOW_SCHEMAS = {
    "ocr": ["ocr_ekyc_cards_response.json", "ocr_ekyc_card_response.json", "ocr_card_response.json"],
    "face_matching": ["face_matching_response.json"],
    "face_search": [n for n in SCHEMAS if n.startswith("face_search_") and n.endswith("_response.json")],
    "smart_crop": ["smart_crop_crop_image_response.json", "smart_crop_crop_person_response.json"],
}


@pytest.mark.parametrize("flow", sorted(FLOW_SCHEMAS))
def test_catalogue_and_schemas_admit_the_same_codes(flow: str) -> None:
    spec = CONTRACT.catalogue["flows"][flow]
    catalogue = {str(e["code"]) for e in spec["errors"]}
    for name in FLOW_SCHEMAS[flow]:
        assert _schema_codes(CONTRACT.schemas[name], spec["code_field"]) == catalogue, name


@pytest.mark.parametrize(
    "flow, schema",
    [
        ("ocr", "ocr_document.json"),
        ("face_matching", "face_matching_response.json"),
        ("smart_crop", "smart_crop_crop_person_response.json"),
    ],
)
def test_catalogue_and_schemas_admit_the_same_warnings(flow: str, schema: str) -> None:
    spec = CONTRACT.catalogue["flows"][flow]["warnings"]
    expected = {str(w["code"]) for w in spec["codes"]}
    assert _schema_codes(CONTRACT.schemas[schema], spec["code_field"]) == expected


def test_every_message_has_a_meaning_and_only_success_is_billable() -> None:
    for flow, spec in CONTRACT.catalogue["flows"].items():
        for entry in spec["errors"]:
            assert entry["message"] in MEANINGS, (flow, entry)
            assert entry["billable"] is (entry["message"] == "Success"), (flow, entry)
            assert entry["http_status"] == 200
            assert isinstance(entry["code"], str if spec["code_type"] == "string" else int)


def test_every_discrepancy_has_an_assumption() -> None:
    text = (contracts_dir() / "ASSUMPTIONS.md").read_text(encoding="utf-8")
    ids = re.findall(r"^## (D\d+) ", text, flags=re.M)
    assert ids == [f"D{n}" for n in range(1, 59)]  # the fact sheet's D1-D40, then D41-D58
    assert text.count("check: ") == 58


DOCUMENTED_V2_PATHS = 29  # every /api/v2/ path of the vendor's v2 pages (fact sheet A.13.a)


def test_the_readme_lists_exactly_the_paths_the_contract_covers() -> None:
    text = (contracts_dir() / "README.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| `(/api/v2/[^`]+)` \| ([A-Z, ]+) \|", text, flags=re.M)
    listed = {(path, method.strip()) for path, methods in table for method in methods.split(",")}
    assert listed == {(op.path, op.method) for op in CONTRACT.operations}
    served = len({op.path for op in CONTRACT.operations})
    assert served == DOCUMENTED_V2_PATHS
    assert f"**Coverage: {served} of the {DOCUMENTED_V2_PATHS} paths" in text
