"""A Python client generated from the bundled contract by openapi-python-client, used against a
live fake: one call per operation, and every answer parses into its own typed model."""

from __future__ import annotations

import enum
import importlib
import inspect
import io
import json
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mockserver import create_app
from mockserver.bundle import example_request, in_call_order
from mockserver.contract.loading import Operation, load_contract
from mockserver.server import MockServer
from tests.toolchain.tools import BUNDLED, TOLERANT_BUNDLED, python_tool, run

PACKAGE = "cvs_generated_client"
DEMO = ("demo", "p@55w0rd")
DEMO_TOKEN = "ZGVtbzpwQDU1dzByZA=="  # base64 of the demo pair, demo:p@55w0rd


def _generated_client(folder: Path, source: Path, package: str) -> Iterator[Any]:
    """The client openapi-python-client makes from ``source``, imported as ``package``."""
    tool = python_tool("openapi-python-client", "openapi-python-client")
    config = folder / "config.yaml"
    config.write_text(f"package_name_override: {package}\npost_hooks: []\n")
    done = run(tool, "generate", "--path", str(source), "--meta", "none", "--config", str(config),
               "--output-path", str(folder / package), cwd=folder)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from _generated_client(tmp_path_factory.mktemp("python-client"), BUNDLED, PACKAGE)


def _variant_of(document: dict[str, Any], ref: str, answer: Any) -> str:
    """The one component of the response's oneOf that the answer is valid against."""
    registry = Registry().with_resource("urn:bundle", Resource.from_contents(document, DRAFT202012))
    name = ref.rsplit("/", 1)[-1]
    choices = document["components"]["schemas"][name]["oneOf"]
    valid = [
        c["$ref"].rsplit("/", 1)[-1]
        for c in choices
        if Draft202012Validator({"$ref": "urn:bundle" + c["$ref"]}, registry=registry).is_valid(answer)
    ]
    assert len(valid) == 1, (name, valid)
    return valid[0]


def _typed(hint: Any, value: Any) -> Any:
    """A query value as the generated signature types it (an enum member, an int, a str)."""
    for option in typing.get_args(hint) or (hint,):
        if inspect.isclass(option) and issubclass(option, enum.Enum):
            return option(value)
        if option is int:
            return int(value)
    return value


def _arguments(package: str, function: Any, request: dict[str, Any], image_id: int) -> dict[str, Any]:
    types_module = importlib.import_module(f"{package}.types")
    hints = typing.get_type_hints(function)
    out: dict[str, Any] = {}
    for name in inspect.signature(function).parameters:
        if name == "client":
            continue
        if name == "image_id":
            out[name] = image_id
        elif name == "body":
            bodies = [t for t in typing.get_args(hints[name]) or (hints[name],) if t is not types_module.Unset]
            if request.get("files"):
                model = next(t for t in bodies if hasattr(t, "to_multipart"))
                out[name] = model(**{
                    part: types_module.File(payload=io.BytesIO(raw), file_name=filename)
                    for part, (filename, raw) in request["files"].items()
                })  # fmt: skip
            else:
                model = next(t for t in bodies if not hasattr(t, "to_multipart"))
                out[name] = model.from_dict(request["json"])
        elif name in request["query"]:
            out[name] = _typed(hints[name], request["query"][name])
        elif name.removesuffix("_query") in request["query"]:  # renamed where it clashes (url)
            out[name] = _typed(hints[name], request["query"][name.removesuffix("_query")])
    return out


def _every_call(package: str, base_url: str) -> Iterator[tuple[Operation, Any, Any]]:
    """Each operation called once through the generated client, the lifecycle first so update,
    search and delete act on a stored image: (operation, typed response, the answer's JSON)."""
    contract = load_contract()
    client_module = importlib.import_module(f"{package}.client")
    client = client_module.AuthenticatedClient(base_url=base_url, token=DEMO_TOKEN, prefix="Basic")
    image_id = 1
    for operation in in_call_order(contract.operations):
        module = importlib.import_module(f"{package}.api.{operation.flow}.{operation.operation_id}")
        spec = contract.openapi["paths"][operation.path][operation.method.lower()]
        request = example_request(contract, operation, spec, image_id)
        response = module.sync_detailed(client=client, **_arguments(package, module.sync_detailed, request, image_id))
        answer = json.loads(response.content)
        if operation.operation_id == "face_search_add":
            image_id = int((answer.get("result") or {}).get("id", 1))
        yield operation, response, answer


def test_every_operation_answers_into_its_typed_model(generated: Any) -> None:
    document = json.loads(Path(BUNDLED).read_text("utf-8"))
    parsed_as: dict[str, str] = {}
    with MockServer(create_app({"TESTING": True})) as server:
        for operation, response, answer in _every_call(PACKAGE, server.base_url):
            ref = document["paths"][operation.path][operation.method.lower()]["responses"]["200"]["content"][
                "application/json"
            ]["schema"]["$ref"]
            expected = _variant_of(document, ref, answer)
            assert type(response.parsed).__name__ == expected, (operation.operation_id, answer)
            assert response.parsed.to_dict() == answer, operation.operation_id
            parsed_as[operation.operation_id] = expected
    assert len(parsed_as) == len(load_contract().operations)
    # Each well-formed call succeeded: the typed success model, not an error envelope.
    assert all(name.endswith("Success") for name in parsed_as.values()), parsed_as


def test_a_typed_item_reads_its_fields_with_their_types(generated: Any) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    document = json.loads(Path(BUNDLED).read_text("utf-8"))
    answer = document["paths"]["/api/v2/ocr/card"]["post"]["responses"]["200"]["content"]["application/json"]["example"]
    doc_type = answer["data"][0]["type"]
    parsed = models.OcrCardSuccess.from_dict(answer)
    item = parsed.data[0]
    type_name = "".join(w.capitalize() for w in doc_type.split("_"))
    # the item's component, shared by every answer that carries such an item (ocr/card, claims)
    variant = document["components"]["schemas"]["PlainItem"]["discriminator"]["mapping"][doc_type].rsplit("/", 1)[-1]
    assert type(item).__name__ == (
        f"Field{variant}" if variant[0].isdigit() else variant
    )  # a class name starts with a letter
    assert type(item.info).__name__ == f"Info{type_name}"
    assert item.info.name == answer["data"][0]["info"]["name"]
    assert isinstance(item.info.name_confidence, float)
    broken = {**answer, "data": [{**answer["data"][0], "info": {"name": "NGUYEN VAN A"}}]}
    with pytest.raises((KeyError, TypeError, ValueError)):
        models.OcrCardSuccess.from_dict(broken)  # the fields a front always has are missing


TOLERANT_PACKAGE = "cvs_tolerant_client"
DIALECTS = ["alternate", "alternate-2", "docs", "php-ekyc"]


@pytest.fixture(scope="module")
def tolerant_generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from _generated_client(tmp_path_factory.mktemp("tolerant-client"), TOLERANT_BUNDLED, TOLERANT_PACKAGE)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_client_from_the_tolerant_bundle_reads_every_dialect(tolerant_generated: Any, dialect: str) -> None:
    called = 0
    with MockServer(create_app({"TESTING": True})) as server:
        switched = requests.put(server.base_url + "/__mock__/dialect", json={"dialect": dialect}, auth=DEMO, timeout=10)
        assert switched.status_code == 200, switched.text
        for operation, response, answer in _every_call(TOLERANT_PACKAGE, server.base_url):
            assert response.parsed is not None, (operation.operation_id, answer)
            assert response.parsed.to_dict() == answer, operation.operation_id
            called += 1
    assert called == len(load_contract().operations)


@pytest.mark.parametrize("dialect", ["default", *DIALECTS])
def test_the_tolerant_client_never_reads_a_face_search_error_as_a_success(
    tolerant_generated: Any, dialect: str
) -> None:
    """Each documented Face Search error, forced in the dialect, parses into an error variant
    (the alternate dialect's errorCode-keyed "incorrect id" answer to a delete included)."""
    delete = importlib.import_module(f"{TOLERANT_PACKAGE}.api.face_search.face_search_delete")
    body = importlib.import_module(f"{TOLERANT_PACKAGE}.models.face_search_delete_request").FaceSearchDeleteRequest
    client = importlib.import_module(f"{TOLERANT_PACKAGE}.client").AuthenticatedClient
    codes = [
        e["code"] for e in load_contract().catalogue["flows"]["face_search"]["errors"] if e["message"] != "Success"
    ]
    with MockServer(create_app({"TESTING": True, "DIALECT": dialect})) as server:
        typed = client(base_url=server.base_url, token=DEMO_TOKEN, prefix="Basic")
        for code in codes:
            forced = {"flow": "face_search", "code": code}
            requests.post(server.base_url + "/__mock__/outcomes", json=forced, auth=DEMO, timeout=10).raise_for_status()
            response = delete.sync_detailed(client=typed, body=body(ids=[1]))
            parsed = type(response.parsed).__name__
            assert parsed.startswith("FaceSearchError"), (dialect, code, parsed, response.content)
        response = delete.sync_detailed(client=typed, body=body(ids=[424242]))  # unknown id: "Incorrect Id"
        assert type(response.parsed).__name__.startswith("FaceSearchErrorIncorrectId"), response.content
