"""The same request gives the same answer through all three ways in."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import requests

from cvs_testkit import images
from cvs_testkit.images import to_base64
from mockserver.flows.ocr.document_views import ENDPOINTS


@dataclass
class Call:
    method: str
    path: str
    json: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    setup: Any = None  # adds a face first and puts its id in the path


CARD, BACK, SELFIE = (
    images.id_card("12_id_card_front", identity="an"),
    images.id_card("12_id_card_back"),
    images.portrait("an"),
)
FACE = {"image": {"base64": to_base64(SELFIE), "metadata": {"hoTen": "Võ Thị Ân"}}}
CALLS = {
    "ekyc_cards_url": Call("GET", "/api/v2/ekyc/cards?img1=https://a.vn/1.jpg&img2=https://a.vn/2.jpg&format_type=url"),
    "ekyc_cards_file": Call("POST", "/api/v2/ekyc/cards?format_type=file", files={"img1": CARD, "img2": BACK}),
    "ekyc_cards_base64": Call(
        "POST",
        "/api/v2/ekyc/cards?format_type=base64&get_thumb=true",
        json={"img1": to_base64(CARD), "img2": to_base64(BACK)},
    ),
    "ekyc_card_url": Call("GET", "/api/v2/ekyc/card?img=https://a.vn/1.jpg&format_type=url"),
    "ekyc_card_file": Call("POST", "/api/v2/ekyc/card?format_type=file", files={"img": CARD}),
    "ekyc_card_base64": Call("POST", "/api/v2/ekyc/card?format_type=base64", json={"img": to_base64(CARD)}),
    "ocr_card_url": Call("GET", "/api/v2/ocr/card?img=https://a.vn/1.jpg&format_type=url"),
    "ocr_card_file": Call("POST", "/api/v2/ocr/card?format_type=file", files={"img": CARD}),
    "ocr_card_base64": Call("POST", "/api/v2/ocr/card?format_type=base64", json={"img": to_base64(CARD)}),
    "face_matching_url": Call("GET", "/api/v2/ekyc/face_matching?img1=https://a.vn/1.jpg&img2=https://a.vn/1.jpg"),
    "face_matching_file": Call(
        "POST", "/api/v2/ekyc/face_matching?format_type=file", files={"img1": CARD, "img2": SELFIE}
    ),
    "face_matching_base64": Call(
        "POST",
        "/api/v2/ekyc/face_matching?format_type=base64&type1=card",
        json={"img1": to_base64(CARD), "img2": to_base64(SELFIE)},
    ),
    "face_search_add": Call("POST", "/api/v2/face_search/images", json=FACE),
    "face_search_list": Call("GET", "/api/v2/face_search/images?offset=0&limit=10", setup=True),
    "face_search_search": Call(
        "POST", "/api/v2/face_search/search", json={"image": {"base64": to_base64(SELFIE)}}, setup=True
    ),
    "face_search_update": Call("PUT", "/api/v2/face_search/images/{id}", json={"metadata": {"a": "b"}}, setup=True),
    "face_search_delete": Call("DELETE", "/api/v2/face_search/images", json={"ids": ["{id}"]}, setup=True),
    "crop_image_url": Call("GET", "/api/v2/smartcrop/crop_image?url=https://a.vn/1.jpg&width=40&height=30"),
    "crop_image_file": Call("POST", "/api/v2/smartcrop/crop_image?width=40&height=30", files={"img": SELFIE}),
    "crop_person_url": Call("GET", "/api/v2/smartcrop/crop_person?url=https://a.vn/1.jpg&width=40&height=30"),
    "crop_person_file": Call("POST", "/api/v2/smartcrop/crop_person?width=40&height=30", files={"img": SELFIE}),
    "unknown_route": Call("GET", "/api/v2/ocr/unknown"),
    **{
        f"{e.name}_url": Call("GET", f"{e.path}?" + "&".join(f"{n}=https://a.vn/{n}.jpg" for n in e.images))
        for e in ENDPOINTS
        if not e.xml
    },
    **{
        f"{e.name}_file": Call(
            "POST",
            f"{e.path}?format_type=file&get_thumb=true",
            files={
                n: images.scenario_image(documents=[images.document(e.types[k % len(e.types)])])
                for k, n in enumerate(e.images)
            },
        )
        for e in ENDPOINTS
        if not e.xml
    },
    "invoice_xml": Call(
        "POST",
        "/api/v2/ocr/document/invoice-xml?format_type=file",
        files={"img": b'<?xml version="1.0"?><HDon><SHDon>12</SHDon></HDon>'},
    ),
    "invoice_pdf": Call(
        "POST",
        "/api/v2/ocr/document/invoice?format_type=file",
        files={"img": images.pdf([images.document("invoice"), None, images.document("invoice")])},
    ),
    "wrong_method": Call("PATCH", "/api/v2/ekyc/card"),
    "verify_liveness": Call("POST", "/api/v2/ekyc/verify_liveness", files=images.liveness_shots("an")),
    "verify_liveness_screen": Call(
        "POST",
        "/api/v2/ekyc/verify_liveness",
        files=images.liveness_shots("an", mid=images.portrait("an", spoof="screen")),
    ),
    "verify_liveness_missing_part": Call(
        "POST", "/api/v2/ekyc/verify_liveness", files={"portrait_mid": images.portrait("an")}
    ),
    "verify_liveness_get": Call("GET", "/api/v2/ekyc/verify_liveness"),
    **{
        f"{e.name}_pdf": Call(
            "POST",
            f"{e.path}?format_type=file&get_thumb=true",
            files={"img": images.pdf([images.document(t) for t in e.types[:3]] + [None])},
        )
        for e in ENDPOINTS
        if e.shape in ("labels", "profile", "statement", "file") or e.one_person
    },
}
FILE_URL = re.compile(r"https?://[^/\"]+/__mock__/files/[\w-]+")


def _normal(status: int, body: Any, trigger: str | None) -> tuple[int, Any, str | None]:
    text = FILE_URL.sub("<file>", __import__("json").dumps(body, sort_keys=True))
    return status, text, trigger


def _substitute(call: Call, image_id: int | None) -> tuple[str, Any]:
    import json

    path = call.path.replace("{id}", str(image_id))
    body = json.loads(json.dumps(call.json).replace('"{id}"', str(image_id))) if call.json is not None else None
    return path, body


def _with_requests(base: str, auth: tuple[str, str], call: Call) -> tuple[int, Any, str | None]:
    image_id = None
    if call.setup:
        image_id = requests.post(base + "/api/v2/face_search/images", json=FACE, auth=auth, timeout=30).json()[
            "result"
        ]["id"]
    path, body = _substitute(call, image_id)
    files = {k: (f"{k}.png", v) for k, v in call.files.items()} or None
    response = requests.request(call.method, base + path, json=body, files=files, auth=auth, timeout=30)
    return _normal(response.status_code, response.json(), response.headers.get("X-CVS-Mock-Trigger"))


def _with_httpx(client: httpx.Client, call: Call) -> tuple[int, Any, str | None]:
    image_id = None
    if call.setup:
        image_id = client.post("/api/v2/face_search/images", json=FACE).json()["result"]["id"]
    path, body = _substitute(call, image_id)
    files = {k: (f"{k}.png", v) for k, v in call.files.items()} or None
    response = client.request(call.method, path, json=body, files=files)
    return _normal(response.status_code, response.json(), response.headers.get("X-CVS-Mock-Trigger"))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_three_ways_in_give_one_answer(name: str, cvs_server, cvs_mock, cvs_httpx) -> None:
    call = CALLS[name]
    live = _with_requests(cvs_server.base_url, cvs_server.credentials.auth, call)
    intercepted = _with_requests(cvs_mock.base_url, cvs_mock.credentials.auth, call)
    with cvs_httpx.client() as client:
        transported = _with_httpx(client, call)
    assert live == intercepted == transported
    assert live[0] in (200, 404, 405)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.shape in ("labels", "file")], ids=lambda e: e.name)
def test_the_demo_host_a_page_documents_is_intercepted_too(endpoint, cvs_mock) -> None:
    demo = "https://demo.computervision.com.vn"
    files = {"img": ("a.pdf", images.pdf([images.document(endpoint.types[0])]))}
    on_demo = requests.post(f"{demo}{endpoint.path}?format_type=file", files=files, auth=cvs_mock.credentials.auth)
    on_cloud = requests.post(
        f"{cvs_mock.base_url}{endpoint.path}?format_type=file", files=files, auth=cvs_mock.credentials.auth
    )
    assert on_demo.json()["errorCode"] == "0" and on_demo.json() == on_cloud.json()


def test_async_httpx_client(cvs_httpx) -> None:
    async def main() -> dict[str, Any]:
        async with cvs_httpx.async_client() as client:
            response = await client.get("/api/v2/ekyc/card", params={"img": "https://a.vn/x.jpg", "format_type": "url"})
            return dict(response.json())

    assert asyncio.run(main())["errorCode"] == "0"


def test_parity_covers_every_operation() -> None:
    from cvs_testkit.contract import contract

    covered = set()
    for call in CALLS.values():
        op = contract().operation(call.path.split("?")[0].replace("{id}", "1"), call.method)
        if op:
            covered.add(op.operation_id)
    assert covered == {op.operation_id for op in contract().operations}


def test_cvs_httpx_is_itself_a_sync_and_async_transport(cvs_httpx) -> None:
    import httpx

    query = {"img": "https://a.vn/x.jpg", "format_type": "url"}
    base = "https://cloud.computervision.com.vn"
    with httpx.Client(transport=cvs_httpx, base_url=base, auth=("demo", "p@55w0rd")) as client:
        sync = client.get("/api/v2/ekyc/card", params=query)

    async def main() -> httpx.Response:
        async with httpx.AsyncClient(transport=cvs_httpx, base_url=base, auth=("demo", "p@55w0rd")) as client:
            return await client.get("/api/v2/ekyc/card", params=query)

    asynchronous = asyncio.run(main())
    assert sync.json() == asynchronous.json()
    assert sync.json()["errorCode"] == "0" and sync.headers["X-CVS-Mock-Trigger"] == "image-bytes"
    assert [e["endpoint"] for e in cvs_httpx.journal] == ["ekyc/card", "ekyc/card"]
