"""Write the bundled OpenAPI documents, with the fake's own answers as their examples.

    python -m mockserver.bundle            # rewrites contracts/openapi.bundled.json and
                                           # contracts/openapi.tolerant.bundled.json
    python -m mockserver.bundle --check    # exit 1 when either file is out of step

The examples are real answers: each operation is called once in-process, on a fresh fake,
the way a client would call it, and the wrong-method answer of its path is the example of
its ``default`` response. So a mock server that replays examples (Prism) answers what the
fake answers.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from mockserver.contract.bundle import Examples, bundles
from mockserver.contract.loading import Contract, Operation, Strictness, contracts_dir
from mockserver.media.pictures import png_bytes, synthetic_picture

FILES: dict[Strictness, str] = {"strict": "openapi.bundled.json", "tolerant": "openapi.tolerant.bundled.json"}
DEMO = "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()
UNUSED_METHOD = {frozenset({"GET", "POST"}): "PUT", frozenset({"POST"}): "PUT", frozenset({"PUT"}): "PATCH"}
IMAGE_PARTS = {"img", "img1", "img2", "url"}
SIZE_PARAMS = {"width": "320", "height": "240"}
PNG_TEXT = re.compile(r'"iVBOR[A-Za-z0-9+/=]*"')  # a PNG drawn by the fake, base64
HOSTED = re.compile(r"http://localhost/__mock__/files/[A-Za-z0-9_-]+")
EXAMPLE_BASE = "http://127.0.0.1:8080"  # where `cvs-mock serve` answers by default
XML_INVOICE = (
    b'<?xml version="1.0" encoding="UTF-8"?><HDon><DLHDon><TTChung><SHDon>0001234</SHDon></TTChung>'
    b"<NDHDon><TToan><TgTTTBSo>1250000</TgTTTBSo></TToan></NDHDon></DLHDon></HDon>"
)


@cache  # one drawing per seed: the Face Search calls share theirs
def _picture(seed: str) -> bytes:
    found = synthetic_picture(seed).decoded
    assert found is not None
    return png_bytes(found)


def _parameters(contract: Contract, op: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for param in op.get("parameters", []):
        if "$ref" in param:
            param = contract.openapi["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
        out.append(param)
    return out


def example_request(
    contract: Contract, operation: Operation, op: dict[str, Any], image_id: int | None
) -> dict[str, Any]:
    """One well-formed call of an operation, as the vendor's demo code would send it."""
    query: dict[str, str] = {}
    path = operation.path.replace("{image_id}", str(image_id or 1))
    names = {p["name"] for p in _parameters(contract, op) if p["in"] == "query"}
    for name in names & IMAGE_PARTS:
        query[name] = f"https://files.nganhang.example.vn/kyc/{operation.operation_id}-{name}.jpg"
    for name in names & set(SIZE_PARAMS):
        query[name] = SIZE_PARAMS[name]
    request: dict[str, Any] = {"method": operation.method, "path": path, "query": query}
    body = op.get("requestBody", {})
    if "$ref" in body:
        body = contract.openapi["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[-1]]
    content = body.get("content", {})
    if operation.method == "GET" and "format_type" in names:
        query["format_type"] = "url"
    if operation.flow == "face_search":
        face = base64.b64encode(_picture("face-search-probe")).decode()
        request["json"] = {
            "face_search_add": {"image": {"base64": face, "metadata": {"name": "NGUYEN VAN A", "branch": "HN-01"}}},
            "face_search_update": {"metadata": {"name": "NGUYEN VAN A", "branch": "HCM-02"}},
            "face_search_delete": {"ids": [image_id or 1]},
            "face_search_search": {"image": {"base64": face}},
        }.get(operation.operation_id)
    elif "multipart/form-data" in content:
        parts = list(content["multipart/form-data"]["schema"].get("properties", {}))
        if operation.operation_id == "invoice_xml_upload":
            request["files"] = {"img": ("invoice.xml", XML_INVOICE)}
        else:
            request["files"] = {p: (f"{p}.png", _picture(f"{operation.operation_id}-{p}")) for p in parts}
        if "format_type" in names:
            query["format_type"] = "file"
    return request


def _call(client: Any, request: dict[str, Any]) -> Any:
    from io import BytesIO

    data = {name: (BytesIO(raw), filename) for name, (filename, raw) in request.get("files", {}).items()}
    answer = client.open(
        request["path"],
        method=request["method"],
        query_string=request["query"],
        json=request.get("json"),
        data=data or None,
        headers={"Authorization": DEMO},
    )
    return answer.get_json()


def _stable(answer: Any, operation_id: str) -> Any:
    """Hosted-file names are random by design (they are unguessable); an example needs the
    same text on every run, so each becomes a name of its operation's own."""
    text = json.dumps(answer, ensure_ascii=False)
    names = iter(range(1, 1000))
    text = HOSTED.sub(lambda _: f"{EXAMPLE_BASE}/__mock__/files/{operation_id}-{next(names)}", text)
    return json.loads(text)


def harvest(contract: Contract) -> Examples:
    """(operationId, response key) -> the fake's answer to one well-formed call; under
    "request", the JSON body of that call."""
    from mockserver import create_app

    client = create_app({"TESTING": True}).test_client()
    found: dict[tuple[str, str], Any] = {}
    image_id: int | None = None
    for operation in in_call_order(contract.operations):
        op = contract.openapi["paths"][operation.path][operation.method.lower()]
        request = example_request(contract, operation, op, image_id)
        if request.get("json") is not None:
            found[(operation.operation_id, "request")] = request["json"]
        answer = _call(client, request)
        if operation.operation_id == "face_search_add" and isinstance(answer.get("result"), dict):
            image_id = answer["result"]["id"]
        found[(operation.operation_id, "200")] = _stable(answer, operation.operation_id)
    by_path: dict[str, list[Operation]] = {}
    for operation in contract.operations:
        by_path.setdefault(operation.path, []).append(operation)
    for path, operations in by_path.items():
        unused = UNUSED_METHOD.get(frozenset(op.method for op in operations), "PATCH")
        answer = client.open(path.replace("{image_id}", "1"), method=unused, headers={"Authorization": DEMO})
        for operation in operations:
            found[(operation.operation_id, "default")] = answer.get_json()
    return found


# The Face Search lifecycle first, in order, so update, search and delete act on a stored image.
LIFECYCLE = ("face_search_add", "face_search_list", "face_search_update", "face_search_search")


def in_call_order(operations: Iterable[Operation]) -> list[Operation]:
    """The operations in an order where each can succeed: add, list, update and search first,
    delete last, the rest between."""

    def rank(op: Operation) -> int:
        if op.operation_id in LIFECYCLE:
            return LIFECYCLE.index(op.operation_id)
        return len(LIFECYCLE) + (1 if op.operation_id == "face_search_delete" else 0)

    return sorted(operations, key=rank)


def bundled_files(contract: Contract) -> dict[str, str]:
    """File name -> canonical JSON text of each bundled document."""
    documents = bundles(contract, harvest(contract))
    return {name: json.dumps(documents[level], indent=2, ensure_ascii=False) + "\n" for level, name in FILES.items()}


def comparable(text: str) -> str:
    """The text with the fake's drawn PNGs left out: their bytes follow the encoder Pillow
    ships (zlib builds differ), the rest of the file follows only the sources."""
    return PNG_TEXT.sub('"<png>"', text)


def stale_files(root: Path, files: dict[str, str]) -> list[str]:
    """The bundled files in ``root`` that differ from what the sources make now."""
    return [
        name
        for name, text in files.items()
        if not (root / name).is_file() or comparable((root / name).read_text("utf-8")) != comparable(text)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockserver.bundle", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the files are in step (exit 1 if not)")
    args = parser.parse_args(argv)
    root = contracts_dir()
    files = bundled_files(Contract(root))
    stale = stale_files(root, files)
    if args.check:
        for name in stale:
            print(f"{name} is out of step with the sources: run python -m mockserver.bundle", file=sys.stderr)
        return 1 if stale else 0
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(files)} to {root}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
