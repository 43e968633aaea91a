"""The bundled OpenAPI documents: generated from the sources and in step with them, one file
with nothing outside it, answers as named variants generators follow, the fake's own answers
as examples, and exactly the strictness of the sources in both readings."""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import mockserver.bundle as bundle_command
from cvs_testkit.strategies import from_contract
from mockserver.contract.bundle import pascal
from mockserver.contract.loading import contracts_dir, load_contract

CONTRACT = load_contract()
FILES = bundle_command.FILES
SCHEMA_KEYWORDS = ("items", "not", "if", "then", "else", "contains", "propertyNames")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


@cache
def document(level: str) -> dict[str, Any]:
    return dict(json.loads((contracts_dir() / FILES[level]).read_text("utf-8")))


@cache
def validator(level: str, ref: str) -> Draft202012Validator:
    registry = Registry().with_resource("urn:bundle", Resource.from_contents(document(level), DRAFT202012))
    return Draft202012Validator({"$ref": "urn:bundle" + ref}, registry=registry)


def response_ref(operation_id: str, status: str = "200") -> str:
    for item in document("strict")["paths"].values():
        for op in item.values():
            if op["operationId"] == operation_id:
                return str(op["responses"][status]["content"]["application/json"]["schema"]["$ref"])
    raise KeyError(operation_id)


def schema_nodes(node: Any, where: str = "") -> Any:
    """Every (pointer, subschema) of a schema, booleans included, for the structural checks."""
    yield where, node
    if not isinstance(node, dict):
        return
    for key in ("properties", "patternProperties", "$defs"):
        for name, sub in node.get(key, {}).items():
            yield from schema_nodes(sub, f"{where}/{key}/{name}")
    for key in SCHEMA_KEYWORDS:
        if key in node:
            yield from schema_nodes(node[key], f"{where}/{key}")
    for key in SCHEMA_LISTS:
        for i, sub in enumerate(node.get(key, [])):
            yield from schema_nodes(sub, f"{where}/{key}/{i}")


def test_the_bundled_files_are_in_step_with_the_sources() -> None:
    assert bundle_command.main(["--check"]) == 0


def test_check_names_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    copy = tmp_path / "contracts"
    shutil.copytree(contracts_dir(), copy)
    stale = copy / FILES["tolerant"]
    stale.write_text(stale.read_text("utf-8").replace('"title": "InfoPassport"', '"title": "Passport"'), "utf-8")
    monkeypatch.setattr(bundle_command, "contracts_dir", lambda: copy)
    assert bundle_command.main(["--check"]) == 1
    assert f"{FILES['tolerant']} is out of step" in capsys.readouterr().err
    assert bundle_command.main([]) == 0 and bundle_command.main(["--check"]) == 0


@pytest.mark.parametrize("level", sorted(FILES))
def test_one_file_with_nothing_outside_it(level: str) -> None:
    text = (contracts_dir() / FILES[level]).read_text("utf-8")
    refs = set(re.findall(r'"\$ref": "([^"]*)"', text))
    schemas = document(level)["components"]["schemas"]
    for ref in refs:
        assert ref.startswith("#/components/"), ref
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in document(level)["components"][section], ref
    assert "x-tolerant" not in text and ".json#" not in text
    for name, schema in schemas.items():
        for where, node in schema_nodes(schema):
            assert not isinstance(node, bool), f"{name}{where} is a boolean schema"


@pytest.mark.parametrize("level", sorted(FILES))
def test_every_component_is_titled_with_its_own_unique_name(level: str) -> None:
    schemas = document(level)["components"]["schemas"]
    assert all(schema["title"] == name for name, schema in schemas.items())
    inline_titles = [
        f"{name}{where}"
        for name, schema in schemas.items()
        for where, node in schema_nodes(schema)
        if where and isinstance(node, dict) and "title" in node
    ]
    assert inline_titles == []


def test_each_answer_is_a_one_of_named_variants_with_a_discriminator_on_string_codes() -> None:
    schemas = document("strict")["components"]["schemas"]
    for operation in CONTRACT.operations:
        for status in ("200", "default"):
            name = response_ref(operation.operation_id, status).rsplit("/", 1)[-1]
            union = schemas[name]
            variants = [ref["$ref"].rsplit("/", 1)[-1] for ref in union["oneOf"]]
            flow = CONTRACT.catalogue["flows"][operation.flow]
            codes = [str(e["code"]) for e in flow["errors"]]
            assert len(variants) == len(codes), (name, variants)
            assert sum(v.endswith("Success") for v in variants) == 1, variants
            if flow["code_type"] == "string":  # codes are strings: a tag generators use
                assert union["discriminator"]["propertyName"] == "errorCode"
                assert sorted(union["discriminator"]["mapping"]) == sorted(codes)
            else:  # numeric codes: OpenAPI discriminators are strings, so a plain oneOf
                assert "discriminator" not in union


def test_items_are_told_apart_by_document_type_and_each_info_is_a_named_component() -> None:
    schemas = document("strict")["components"]["schemas"]
    defs = CONTRACT.schemas["ocr_document.json"]["$defs"]
    doc_types = defs["document_type"]["enum"]
    for union_name in ("PlainItem", "EkycItem"):
        union = schemas[union_name]
        assert union["discriminator"]["propertyName"] == "type"
        assert sorted(union["discriminator"]["mapping"]) == sorted(doc_types)
    assert all(f"info_{doc_type}" in defs for doc_type in doc_types)
    for doc_type in doc_types:
        variant = schemas["PlainItem"]["discriminator"]["mapping"][doc_type].rsplit("/", 1)[-1]
        assert schemas[variant]["properties"]["info"] == {"$ref": f"#/components/schemas/Info{pascal(doc_type)}"}
        assert schemas[variant]["properties"]["type"] == {"type": "string", "const": doc_type}


@pytest.mark.parametrize("level", sorted(FILES))
def test_every_example_is_a_real_answer_valid_in_both_forms(level: str) -> None:
    examples = 0
    for path, item in document(level)["paths"].items():
        for method, op in item.items():
            operation = CONTRACT.operation(path.replace("{image_id}", "1"), method.upper())
            assert operation is not None
            for status, response in op["responses"].items():
                media = response["content"]["application/json"]
                assert "example" in media, (op["operationId"], status)
                assert validator(level, media["schema"]["$ref"]).is_valid(media["example"])
                assert CONTRACT.is_valid(media["example"], operation.schema, level)  # type: ignore[arg-type]
                examples += 1
    assert examples == 2 * len(CONTRACT.operations)


def _mutations(answer: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Answers a client could receive from a broken server: each is one change away."""
    message_key = next(k for k in ("errorMessage", "message", "error_message") if k in answer)
    changes = [
        {**answer, message_key: "Something else went wrong"},
        {**answer, "surprise": 1},
        {k: v for k, v in answer.items() if k != message_key},
        {**answer, "data": [{"type": "passport", "info": {"name": 12}}]},
        {**answer, "data": {"matching": 99}},
    ]
    data = answer.get("data")
    if isinstance(data, list) and data and isinstance(data[0], dict):
        changes.append({**answer, "data": [{**data[0], "unlisted": "x"}, *data[1:]]})
        if isinstance(data[0].get("info"), dict):
            info = dict(data[0]["info"])
            info[next(iter(info))] = 123456
            changes.append({**answer, "data": [{**data[0], "info": info}, *data[1:]]})
    return st.sampled_from(changes)


OPERATION_IDS = [op.operation_id for op in CONTRACT.operations]


@settings(max_examples=150)
@given(st.sampled_from(OPERATION_IDS).flatmap(lambda op: st.tuples(st.just(op), from_contract(op))), st.data())
def test_the_strict_bundle_accepts_and_refuses_exactly_what_the_sources_do(
    drawn: tuple[str, dict[str, Any]], data: st.DataObject
) -> None:
    operation_id, answer = drawn
    operation = next(op for op in CONTRACT.operations if op.operation_id == operation_id)
    ref = response_ref(operation_id)
    assert CONTRACT.is_valid(answer, operation.schema)
    assert validator("strict", ref).is_valid(answer)
    changed = data.draw(_mutations(answer))
    assert validator("strict", ref).is_valid(changed) == CONTRACT.is_valid(changed, operation.schema), changed


@settings(max_examples=150)
@given(st.sampled_from(OPERATION_IDS).flatmap(lambda op: st.tuples(st.just(op), from_contract(op, reading="tolerant"))))
def test_the_tolerant_bundle_accepts_every_dialect_the_tolerant_sources_accept(
    drawn: tuple[str, dict[str, Any]],
) -> None:
    operation_id, answer = drawn
    operation = next(op for op in CONTRACT.operations if op.operation_id == operation_id)
    assert CONTRACT.is_valid(answer, operation.schema, "tolerant")
    assert validator("tolerant", response_ref(operation_id)).is_valid(answer), answer


def test_the_tolerant_bundle_still_refuses_what_no_dialect_sends() -> None:
    ref = response_ref("ekyc_card_url")
    no_code = {"errorMessage": "Success", "data": {"type": "passport", "info": {}}}
    wrong_shape = {"errorCode": "0", "errorMessage": "Success", "data": {"type": "passport", "info": "PHAM"}}
    for answer in (no_code, wrong_shape):
        assert not CONTRACT.is_valid(answer, "ocr_ekyc_card_response.json", "tolerant")
        assert not validator("tolerant", ref).is_valid(answer)
