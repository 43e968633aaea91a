"""The proxy bounds what it decompresses: a small gzip answer that expands past the limit is
a 502 in the flow's envelope naming the reason, and memory stays bounded."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator

import pytest
import requests
from flask import Flask, Response

from mockserver.proxy import create_proxy_app
from mockserver.server import MockServer

LIMIT = 4 * 1024 * 1024
OCR_502 = {"errorCode": "6", "errorMessage": "Incorrect format type"}


def upstream() -> Flask:
    app = Flask("bomb-upstream")
    bomb = gzip.compress(b"\0" * (16 * LIMIT), compresslevel=9)
    fine = gzip.compress(b'{"errorCode": "0", "errorMessage": "Success", "data": []}')
    deflated = zlib.compress(b"\0" * (16 * LIMIT), 9)

    @app.get("/api/v2/ocr/card")
    def card() -> Response:
        return Response(bomb, content_type="application/json", headers={"Content-Encoding": "gzip"})

    @app.get("/api/v2/ocr/vehicle_plate")
    def plate() -> Response:
        return Response(deflated, content_type="application/json", headers={"Content-Encoding": "deflate"})

    @app.get("/api/v2/ekyc/card")
    def small() -> Response:
        return Response(fine, content_type="application/json", headers={"Content-Encoding": "gzip"})

    return app


@pytest.fixture(scope="module")
def proxy() -> Iterator[str]:
    with (
        MockServer(upstream()) as up,
        MockServer(create_proxy_app(up.base_url, config={"MAX_UPSTREAM_BYTES": LIMIT})) as p,
    ):
        yield p.base_url


@pytest.mark.parametrize("path", ["/api/v2/ocr/card", "/api/v2/ocr/vehicle_plate"])
def test_a_decompression_bomb_is_a_502_naming_the_reason(proxy: str, path: str) -> None:
    answer = requests.get(proxy + path + "?img=x", timeout=30, headers={"Accept-Encoding": "identity"})
    assert answer.status_code == 502 and answer.headers["X-CVS-Mock-Trigger"] == "proxy:upstream-too-large"
    assert answer.headers["X-CVS-Mock-Note"] == f"the upstream answer decompresses to over {LIMIT} bytes"
    assert set(answer.json()) == {"errorCode", "errorMessage"}


def test_an_answer_within_the_limit_is_forwarded_byte_for_byte(proxy: str) -> None:
    answer = requests.get(proxy + "/api/v2/ekyc/card?img=x", timeout=30)
    assert answer.status_code == 200 and answer.json()["errorCode"] == "0"
    assert answer.headers["Content-Encoding"] == "gzip"
