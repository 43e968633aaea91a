"""contracts/admin.openapi.yaml describes the admin API as the fake serves it: every route and
method is an operation, the document is valid OpenAPI 3.1, and every answer of a session that
calls each operation matches the schema of its status."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mockserver import create_app
from tests.conftest import basic

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "admin.openapi.yaml"
ADMIN = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
URI = "urn:cvs-mock:admin"
REGISTRY = Registry().with_resource(URI, Resource.from_contents(ADMIN, default_specification=DRAFT202012))
CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"


def _pointer(*steps: str) -> str:
    return "/".join(step.replace("~", "~0").replace("/", "~1") for step in steps)


def _operations(app: Flask) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/__mock__"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/__mock__") or "/")
            found |= {(method.lower(), path) for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    return found


def test_the_contract_is_valid_openapi_3_1() -> None:
    from openapi_spec_validator import validate

    validate(ADMIN)


def test_every_route_is_an_operation_and_every_operation_a_route() -> None:
    served = _operations(create_app({"TESTING": True}))
    described = {(method, path) for path, item in ADMIN["paths"].items() for method in item if method != "parameters"}
    assert served == described


def _checked(response: Any, method: str, path: str) -> None:
    status = str(response.status_code)
    responses = ADMIN["paths"][path][method]["responses"]
    assert status in responses, f"{method.upper()} {path} answered {status}, which the contract does not say"
    declared = responses[status]
    if "$ref" in declared:
        declared = REGISTRY.resolver().lookup(URI + declared["$ref"]).contents
    content = declared.get("content", {})
    media = response.mimetype
    if media not in content and "application/octet-stream" in content and media != "application/json":
        media = "application/octet-stream"  # bytes, sent with the media type they were hosted with
    if media not in content:
        assert not content or media in content, f"{method.upper()} {path} {status}: {media} is not declared"
        return
    if media == "application/json":
        where = f"{URI}#/paths/{_pointer(path)}/{method}/responses/{status}"
        schema = {
            "$ref": where
            + (f"/content/{_pointer('application/json')}/schema" if "content" in responses[status] else "")
        }
        if "$ref" in responses[status]:
            schema = {"$ref": URI + responses[status]["$ref"] + "/content/application~1json/schema"}
        errors = list(Draft202012Validator(schema, registry=REGISTRY).iter_errors(response.get_json()))
        assert errors == [], f"{method.upper()} {path} {status}: {[e.message for e in errors[:3]]}"


SESSION: list[tuple[str, str, dict[str, Any], str]] = [
    ("get", "/health", {}, "/health"),
    ("get", "/livez", {}, "/livez"),
    ("get", "/readyz", {}, "/readyz"),
    ("get", "/metrics", {}, "/metrics"),
    ("get", "/", {}, "/"),
    ("get", "/ui/dashboard.js", {}, "/ui/{name}"),
    ("get", "/codes", {}, "/codes"),
    ("get", "/journal", {}, "/journal"),
    ("get", "/journal?flow=ocr&count=true", {}, "/journal"),
    ("get", "/journal?colour=red", {}, "/journal"),
    ("get", "/journal/1", {}, "/journal/{entry_id}"),
    ("get", "/journal/999999", {}, "/journal/{entry_id}"),
    ("get", "/usage?limit=5", {}, "/usage"),
    ("get", "/keys", {}, "/keys"),
    ("post", "/keys", {"json": {"api_key": "ci", "api_secret": "s", "quota": 3}}, "/keys"),
    ("post", "/keys", {"json": {"api_key": "ci", "api_secret": "s"}}, "/keys"),
    ("post", "/keys", {"json": {"api_key": ""}}, "/keys"),
    ("get", "/dialect", {}, "/dialect"),
    ("put", "/dialect", {"json": {"dialect": "docs"}}, "/dialect"),
    ("put", "/dialect", {"json": {"dialect": "klingon"}}, "/dialect"),
    ("put", "/replay", {"json": {"cassettes": ["/no/such.yaml"]}}, "/replay"),
    ("post", "/outcomes", {"json": {"flow": "ocr", "code": "4"}}, "/outcomes"),
    ("post", "/outcomes", {"json": {"flow": "ocr", "code": "99"}}, "/outcomes"),
    ("get", "/outcomes", {}, "/outcomes"),
    ("delete", "/outcomes", {}, "/outcomes"),
    ("post", "/images", {"json": {"kind": "portrait", "person": "an"}}, "/images"),
    ("post", "/images", {"json": {"kind": "liveness_shots", "person": "an"}}, "/images"),
    ("post", "/images", {"json": {"kind": "no_face", "host": True}}, "/images"),
    ("post", "/images", {"json": {"kind": "selfie"}}, "/images"),
    ("post", "/files", {"data": {"file": (io.BytesIO(b"\x89PNG"), "a.png")}}, "/files"),
    ("post", "/files", {"data": b""}, "/files"),
    ("get", "/files", {}, "/files"),
    ("get", "/files/nonesuch", {}, "/files/{file_id}"),
]


def test_every_answer_of_a_session_matches_its_schema() -> None:
    app = create_app({"TESTING": True})
    client = app.test_client()
    client.get(CARD, headers={"Authorization": basic("demo", "p@55w0rd")})
    called = set()
    for method, url, kwargs, path in SESSION:
        response = client.open("/__mock__" + url, method=method.upper(), **kwargs)
        _checked(response, method, path)
        called.add((method, path))
    hosted = client.get("/__mock__/files").get_json()["files"][0]["id"]
    _checked(client.get(f"/__mock__/files/{hosted}"), "get", "/files/{file_id}")
    _checked(client.post("/__mock__/reset"), "post", "/reset")
    called.add(("post", "/reset"))
    described = {(m, p) for p, item in ADMIN["paths"].items() for m in item}
    assert described - called == set()


@pytest.mark.parametrize("status", ["400", "403", "404", "409"])
def test_every_refusal_is_the_one_error_shape(status: str) -> None:
    refs = [
        r for item in ADMIN["paths"].values() for op in item.values() for s, r in op["responses"].items() if s == status
    ]
    assert refs and all("$ref" in r for r in refs)
