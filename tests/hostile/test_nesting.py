"""Nesting 10,000 levels deep, on every JSON route and in a scenario image: each gets the
answer a malformed body gets — the flow's envelope on API paths, the admin error shape on
admin paths — and nothing answers 500."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo

from cvs_testkit import images
from mockserver import create_app
from mockserver.server import MockServer

AUTH = ("demo", "p@55w0rd")
ARRAYS, OBJECTS = "[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000
FACE_SEARCH = {"result": None, "status_code": 6, "message": "Error when processing the request"}
API_ROUTES = [
    ("POST", "/api/v2/face_search/images", FACE_SEARCH),
    ("POST", "/api/v2/face_search/search", FACE_SEARCH),
    ("PUT", "/api/v2/face_search/images/1", FACE_SEARCH),
    ("DELETE", "/api/v2/face_search/images", FACE_SEARCH),
    ("POST", "/api/v2/ekyc/card?format_type=base64", {"errorCode": "3", "errorMessage": "Incorrect image format"}),
    ("POST", "/api/v2/ekyc/cards?format_type=base64", {"errorCode": "3", "errorMessage": "Incorrect image format"}),
    ("POST", "/api/v2/ekyc/face_matching?format_type=base64", {"errorCode": "3", "errorMessage": "Incorrect image format"}),  # noqa: E501
    ("POST", "/api/v2/ocr/document/general?format_type=base64", {"errorCode": "3", "errorMessage": "Incorrect image format"}),  # noqa: E501
    ("POST", "/api/v2/smartcrop/crop_image?format_type=base64&width=9&height=9",
     {"errorCode": 1, "errorMessage": "Incorrect image format"}),
]  # fmt: skip
ADMIN_ROUTES = [("POST", "/__mock__/outcomes"), ("POST", "/__mock__/keys"), ("PUT", "/__mock__/replay"),
                ("PUT", "/__mock__/dialect")]  # fmt: skip


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with MockServer(create_app({})) as server:
        yield server.base_url


def send(base: str, method: str, path: str, body: str) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    return requests.request(method, base + path, data=body, headers=headers, auth=AUTH, timeout=30)


@pytest.mark.parametrize(("method", "path", "expected"), API_ROUTES, ids=[f"{m} {p}" for m, p, _ in API_ROUTES])
def test_an_api_route_answers_deep_json_as_a_malformed_body(fake: str, method: str, path: str, expected: Any) -> None:
    malformed = send(fake, method, path, "{")
    for body in (ARRAYS, OBJECTS):
        answer = send(fake, method, path, body)
        assert (answer.status_code, answer.json()) == (malformed.status_code, expected)


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_an_admin_route_refuses_deep_json_in_its_own_shape(fake: str, method: str, path: str) -> None:
    for body in (ARRAYS, OBJECTS):
        answer = send(fake, method, path, body)
        assert (answer.status_code, answer.json()) == (
            400,
            {"error": "send a JSON object (JSON nested deeper than 64 levels)"},
        )


def test_metadata_nested_within_the_limit_is_kept_and_the_journal_shows_every_entry(fake: str) -> None:
    metadata: Any = {"leaf": 1}
    for _ in range(60):
        metadata = {"n": metadata}
    image = {"base64": images.to_base64(images.portrait("deep")), "metadata": metadata}
    added = requests.post(fake + "/api/v2/face_search/images", json={"image": image}, auth=AUTH, timeout=30)
    assert added.json()["status_code"] == 0
    send(fake, "POST", "/api/v2/face_search/images", ARRAYS)
    for entry in requests.get(fake + "/__mock__/journal", timeout=10).json()["entries"]:
        assert requests.get(f"{fake}/__mock__/journal/{entry['id']}", timeout=10).status_code == 200


def deep_scenario_png() -> bytes:
    info = PngInfo()
    info.add_text("cvs-scenario", ARRAYS)
    out = io.BytesIO()
    picture = Image.new("RGB", (320, 200), (200, 180, 160))
    ImageDraw.Draw(picture).ellipse((100, 40, 220, 170), fill=(120, 80, 60))  # not blank: a face
    picture.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.parametrize(
    "path",
    ["/api/v2/ekyc/card?format_type=file", "/api/v2/ocr/card?format_type=file", "/api/v2/smartcrop/crop_image?format_type=file&width=9&height=9"],  # noqa: E501
)  # fmt: skip
def test_a_scenario_nested_too_deep_is_no_scenario_with_a_note(fake: str, path: str) -> None:
    answer = requests.post(fake + path, files={"img": ("deep.png", deep_scenario_png())}, auth=AUTH, timeout=30)
    assert answer.status_code == 200
    assert "JSON nested deeper than 64 levels" in answer.headers["X-CVS-Mock-Note"]


def test_face_matching_and_face_search_take_a_deep_scenario_image_without_a_500(fake: str) -> None:
    picture = deep_scenario_png()
    matched = requests.post(fake + "/api/v2/ekyc/face_matching?format_type=file",
                            files={"img1": ("a.png", picture), "img2": ("b.png", picture)}, auth=AUTH, timeout=30)  # fmt: skip  # noqa: E501
    assert matched.status_code == 200 and matched.json()["errorCode"] == "0"
    for path in ("/api/v2/face_search/images", "/api/v2/face_search/search"):
        body = {"image": {"base64": images.to_base64(picture)}}
        answer = requests.post(fake + path, json=body, auth=AUTH, timeout=30)
        assert answer.status_code == 200 and answer.json()["status_code"] == 0, answer.text
