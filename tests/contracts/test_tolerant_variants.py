"""In the tolerant bundle a Face Search or Smart Crop answer matches only the variants of its
own code, in every dialect: a client generated from it never reads an error as a success.
Each documented error is forced in each named dialect, and the fake's own answer is held to
every variant its operation lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mockserver import create_app
from mockserver.contract.loading import load_contract
from tests.conftest import Api

BUNDLE = json.loads((Path(__file__).resolve().parents[2] / "contracts" / "openapi.tolerant.bundled.json").read_text())
REGISTRY = Registry().with_resource("urn:tolerant", Resource.from_contents(BUNDLE, default_specification=DRAFT202012))
DIALECTS = sorted(load_contract().dialects["dialects"])
CALLS = {
    "face_search": [
        ("delete", "/api/v2/face_search/images", {"json": {"ids": [1]}}),
        ("get", "/api/v2/face_search/images", {}),
    ],
    "smart_crop": [("get", "/api/v2/smartcrop/crop_image?url=https://cdn.example.vn/a.jpg&width=8&height=8", {})],
}


def _variants(path: str, method: str) -> list[str]:
    ref = BUNDLE["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    listed = BUNDLE["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return [c["$ref"].rsplit("/", 1)[-1] for c in listed.get("anyOf", listed.get("oneOf", []))]


def _matching(answer: Any, variants: list[str]) -> list[str]:
    found = []
    for name in variants:
        validator = Draft202012Validator({"$ref": f"urn:tolerant#/components/schemas/{name}"}, registry=REGISTRY)
        if validator.is_valid(answer):
            found.append(name)
    return found


def _codes(flow: str) -> list[str]:
    return [str(e["code"]) for e in load_contract().catalogue["flows"][flow]["errors"] if e["message"] != "Success"]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("flow", sorted(CALLS))
def test_every_error_matches_its_own_variants_only(dialect: str, flow: str) -> None:
    app = create_app({"TESTING": True, "DIALECT": dialect})
    api = Api(app.test_client())
    for method, url, kwargs in CALLS[flow]:
        path = url.split("?", 1)[0]
        variants = _variants(path, method)
        for code in _codes(flow):
            api.client.post("/__mock__/outcomes", json={"flow": flow, "code": code})
            answer = api.open(method.upper(), url, **kwargs).get_json()
            matched = _matching(answer, variants)
            assert matched, (dialect, path, code, answer)
            assert not [m for m in matched if "Success" in m], (dialect, path, code, answer, matched)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_success_matches_a_success_variant_only(dialect: str) -> None:
    api = Api(create_app({"TESTING": True, "DIALECT": dialect}).test_client())
    for flow, calls in CALLS.items():
        method, url, kwargs = calls[-1]
        answer = api.open(method.upper(), url, **kwargs).get_json()
        matched = _matching(answer, _variants(url.split("?", 1)[0], method))
        assert matched and all("Success" in m for m in matched), (dialect, flow, answer, matched)
