"""Bad input never breaks the fake: always the documented JSON envelope, never HTML, never 5xx."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from PIL import Image

from cvs_testkit import images
from mockserver import create_app
from tests.conftest import Api


def bomb_png(side: int = 30_000) -> bytes:
    """A small PNG that declares side x side pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (side + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


CASES = [
    (
        "unknown route",
        "GET",
        "/api/v2/ocr/khong-ton-tai",
        {},
        404,
        {
            "error": "Not Found",
            "message": "The requested URL /api/v2/ocr/khong-ton-tai was not found on the server.",
            "path": "/api/v2/ocr/khong-ton-tai",
        },
    ),
    (
        "unknown face search route",
        "GET",
        "/api/v2/face_search/xyz",
        {},
        404,
        {
            "error": "Not Found",
            "message": "The requested URL /api/v2/face_search/xyz was not found on the server.",
            "path": "/api/v2/face_search/xyz",
        },
    ),
    (
        "wrong method",
        "PATCH",
        "/api/v2/ekyc/cards",
        {},
        405,
        {"errorCode": "6", "errorMessage": "Incorrect format type"},
    ),
    (
        "POST to update path",
        "POST",
        "/api/v2/face_search/images/1",
        {},
        405,
        {"result": None, "status_code": 6, "message": "Error when processing the request"},
    ),
    (
        "malformed JSON",
        "POST",
        "/api/v2/ekyc/card?format_type=base64",
        {"data": b'{"img": "abc', "content_type": "application/json"},
        200,
        {"errorCode": "3", "errorMessage": "Incorrect image format"},
    ),
    (
        "deeply nested JSON",
        "POST",
        "/api/v2/face_search/search",
        {"data": b"[" * 100_000 + b"]" * 100_000, "content_type": "application/json"},
        200,
        {"result": None, "status_code": 6, "message": "Error when processing the request"},
    ),
    (
        "non-UTF-8 JSON",
        "POST",
        "/api/v2/face_search/images",
        {"data": b'{"image": {"base64": "\xff\xfe"}}', "content_type": "application/json; charset=utf-8"},
        200,
        {"result": None, "status_code": 6, "message": "Error when processing the request"},
    ),
    (
        "wrong charset",
        "POST",
        "/api/v2/face_search/search",
        {"data": '{"image": {"base64": "ảnh"}}'.encode("utf-16"), "content_type": "application/json; charset=utf-16"},
        200,
        {"result": None, "status_code": 1, "message": "Incorrect image format"},
    ),
    (
        "form instead of JSON",
        "POST",
        "/api/v2/ekyc/card?format_type=base64",
        {"data": {"img": "abc"}},
        200,
        {"errorCode": "3", "errorMessage": "Incorrect image format"},
    ),
    (
        "text body",
        "POST",
        "/api/v2/smartcrop/crop_image?width=10&height=10",
        {"data": "xin chào", "content_type": "text/plain"},
        200,
        {"errorCode": 1, "errorMessage": "Incorrect image format"},
    ),
    (
        "decompression bomb",
        "POST",
        "/api/v2/ekyc/card?format_type=file",
        {"data": {"img": (io.BytesIO(bomb_png()), "bom.png")}},
        200,
        {"errorCode": "3", "errorMessage": "Incorrect image format"},
    ),
    (
        "truncated multipart",
        "POST",
        "/api/v2/ekyc/card?format_type=file",
        {
            "data": b'--xyz\r\nContent-Disposition: form-data; name="img"; filename="a.png"\r\n\r\n\x89PNG',
            "content_type": "multipart/form-data; boundary=xyz",
        },
        200,
        {"errorCode": "3", "errorMessage": "Incorrect image format"},
    ),
    (
        "huge width",
        "GET",
        "/api/v2/smartcrop/crop_image?url=https://a.vn/x.jpg&width=100000&height=10",
        {},
        200,
        {"errorCode": 6, "errorMessage": "Error when processing the request"},
    ),
    (
        "negative height",
        "GET",
        "/api/v2/smartcrop/crop_person?url=https://a.vn/x.jpg&width=10&height=-5",
        {},
        200,
        {"errorCode": 6, "errorMessage": "Error when processing the request"},
    ),
    (
        "non-numeric width",
        "GET",
        "/api/v2/smartcrop/crop_person?url=https://a.vn/x.jpg&width=mười&height=5",
        {},
        200,
        {"errorCode": 6, "errorMessage": "Error when processing the request"},
    ),
    (
        "unicode digits",
        "GET",
        "/api/v2/smartcrop/crop_image?url=https://a.vn/x.jpg&width=²&height=5",
        {},
        200,
        {"errorCode": 6, "errorMessage": "Error when processing the request"},
    ),
    (
        "missing width",
        "GET",
        "/api/v2/smartcrop/crop_image?url=https://a.vn/x.jpg&height=5",
        {},
        200,
        {"errorCode": 6, "errorMessage": "Error when processing the request"},
    ),
    (
        "ids of strings",
        "DELETE",
        "/api/v2/face_search/images",
        {"json": {"ids": ["1", "2"]}},
        200,
        {"result": None, "status_code": 6, "message": "Error when processing the request"},
    ),
    (
        "ids too large",
        "DELETE",
        "/api/v2/face_search/images",
        {"json": {"ids": [2**70]}},
        200,
        {"result": None, "status_code": 6, "message": "Error when processing the request"},
    ),
    (
        "non-UTF-8 query",
        "GET",
        "/api/v2/ekyc/card?img=https://a.vn/%ff%fe.jpg&format_type=%ff",
        {},
        200,
        {"errorCode": "6", "errorMessage": "Incorrect format type"},
    ),
]


@pytest.mark.parametrize("name, method, path, kwargs, status, envelope", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gets_the_envelope(
    api: Api, name: str, method: str, path: str, kwargs: dict, status: int, envelope: dict
) -> None:
    response = api.open(method, path, **kwargs)
    assert (response.status_code, response.mimetype) == (status, "application/json")
    assert response.get_json() == envelope


def test_body_over_the_limit_is_refused_with_413() -> None:
    api = Api(create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1024}).test_client())
    response = api.post("/api/v2/ekyc/card?format_type=base64", data=b"x" * 4096, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {"errorCode": "3", "errorMessage": "Incorrect image format"}


def test_25_megabyte_body_is_refused_by_default(api: Api) -> None:
    body = b'{"img": "' + b"A" * (25 * 1024 * 1024) + b'"}'
    response = api.post("/api/v2/ekyc/card?format_type=base64", data=body, content_type="application/json")
    assert response.status_code == 413 and response.get_json()["errorCode"] == "3"


def test_too_many_pixels_is_refused_before_decoding() -> None:
    api = Api(create_app({"TESTING": True, "MAX_IMAGE_PIXELS": 10_000}).test_client())
    big = io.BytesIO()
    Image.new("RGB", (200, 200), "red").save(big, "PNG")
    response = api.post("/api/v2/ekyc/card?format_type=file", data={"img": (io.BytesIO(big.getvalue()), "a.png")})
    assert response.get_json()["errorCode"] == "3"
    assert response.headers["X-CVS-Mock-Trigger"] == "input:too-many-pixels"


def test_invalid_scenario_is_reported_not_fatal(api: Api) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("cvs-scenario", json.dumps({"cvs_scenario": 1, "documents": [{"type": "the-xe"}]}))
    out = io.BytesIO()
    Image.open(io.BytesIO(images.id_card())).save(out, "PNG", pnginfo=info)
    response = api.post("/api/v2/ekyc/card?format_type=file", data={"img": (io.BytesIO(out.getvalue()), "a.png")})
    assert response.get_json()["errorCode"] == "0"
    assert response.headers["X-CVS-Mock-Trigger"] == "scenario-invalid"
