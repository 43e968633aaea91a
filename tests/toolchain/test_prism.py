"""Prism on the bundled contract. As a mock it starts clean and answers what the fake answers
(the examples are the fake's own), every answer valid in the strict reading. As a validating
proxy in front of the fake it reports no violation for the fake's answers and one for a
forced bad body on every flow, OCR included."""

from __future__ import annotations

import io
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from mockserver import create_app
from mockserver.bundle import example_request
from mockserver.contract.loading import load_contract
from mockserver.server import MockServer
from tests.helpers.components import free_port, stop
from tests.toolchain.tools import BUNDLED, npm_tool

DEMO = ("demo", "p@55w0rd")
START_TIMEOUT = 90.0
LISTENING = "Prism is listening"


@contextmanager
def prism(*args: str) -> Iterator[str]:
    """Prism started with ``args`` on a free loopback port; its base URL, once it listens."""
    port = free_port()
    command = [npm_tool("prism", "@stoplight/prism-cli"), *args, "-h", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    listening = threading.Event()

    def drain() -> None:  # Prism logs every request: a full pipe would stall it
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if LISTENING in line:
                listening.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        listening.wait(START_TIMEOUT)
        started = "".join(lines)
        assert LISTENING in started, started[-3000:]
        assert "error" not in started.lower().replace("errorcode", "").replace("errormessage", ""), started[-3000:]
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        reader.join(timeout=10)  # it reads to the end of the output, then the pipe closes


def _send(base: str, request: dict[str, Any]) -> requests.Response:
    # Each part says its type: Prism's multipart parser stops on a part without Content-Type.
    files = {
        name: (filename, io.BytesIO(raw), "application/xml" if filename.endswith(".xml") else "image/png")
        for name, (filename, raw) in request.get("files", {}).items()
    }
    return requests.request(
        request["method"], base + request["path"], params=request["query"], json=request.get("json"),
        files=files or None, auth=DEMO, timeout=30,
    )  # fmt: skip


def test_prism_mock_answers_the_fakes_answers_in_the_strict_reading() -> None:
    contract = load_contract()
    with prism("mock", str(BUNDLED)) as base:
        answered = 0
        for operation in contract.operations:
            spec = contract.openapi["paths"][operation.path][operation.method.lower()]
            response = _send(base, example_request(contract, operation, spec, 1))
            assert response.status_code == 200, (operation.operation_id, response.text[:500])
            answer = response.json()
            problems = contract.errors(answer, operation.schema)
            assert not problems, (operation.operation_id, [p.message for p in problems[:3]])
            answered += 1
    assert answered == len(contract.operations)


A, B = "https://cdn.example.vn/a.jpg", "https://cdn.example.vn/b.jpg"
BAD_BODIES = {
    "ocr": (
        "/api/v2/ocr/card",
        {"img": A, "format_type": "url"},
        {"errorCode": "0", "errorMessage": "Success", "data": [{"type": "passport", "info": {"name": 12}}]},
    ),
    "face_matching": (
        "/api/v2/ekyc/face_matching",
        {"img1": A, "img2": B, "format_type": "url"},
        {"errorCode": "0", "errorMessage": "Success", "data": {"matching": 99}},
    ),
    "face_search": (
        "/api/v2/face_search/images",
        {},
        {"result": [{"id": "x"}], "status_code": 0, "message": "Success"},
    ),
    "smart_crop": (
        "/api/v2/smartcrop/crop_image",
        {"url": A, "width": "64", "height": "64"},
        {"errorCode": 0, "errorMessage": "Success"},
    ),
}


def _schema_of(path: str) -> str:
    found = load_contract().operation(path, "GET")
    assert found is not None
    return found.schema


@pytest.mark.parametrize("flow", sorted(BAD_BODIES))
def test_prism_proxy_reports_a_bad_body_and_passes_the_fakes_own(flow: str) -> None:
    path, query, bad = BAD_BODIES[flow]
    with MockServer(create_app({"TESTING": True})) as server, prism("proxy", str(BUNDLED), server.base_url) as base:
        own = requests.get(base + path, params=query, auth=DEMO, timeout=30)
        assert own.status_code == 200 and load_contract().is_valid(own.json(), _schema_of(path))
        assert "sl-violations" not in own.headers, own.headers.get("sl-violations")
        outcome = {"flow": flow, "body": bad}
        forced = requests.post(server.base_url + "/__mock__/outcomes", json=outcome, auth=DEMO, timeout=10)
        assert forced.status_code in (200, 201), forced.text
        checked = requests.get(base + path, params=query, auth=DEMO, timeout=30)
        assert checked.json() == bad  # passed through, and reported
        violations = checked.headers.get("sl-violations", "")
        assert '"severity":"Error"' in violations, checked.headers
