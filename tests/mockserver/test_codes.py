"""Every documented code of every flow, produced by the input a user would send.

Each case sends a realistic request and checks the exact envelope and the trigger header.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from cvs_testkit import images
from cvs_testkit.images import document, face, scenario_image, to_base64
from mockserver.contract.catalogue import Catalogue
from mockserver.contract.loading import load_contract
from tests.conftest import Api, basic

CATALOGUE = Catalogue(load_contract())
CARD_URL = "https://cdn.nganhang.example.vn/kyc/cccd-mat-truoc.jpg"
WRONG = basic("demo", "sai-mat-khau")


def spent_key(api: Api) -> Api:
    api.client.application.extensions["cvs"].store.keys.put("het-luot", "bi-mat", 0)
    return api.with_auth(basic("het-luot", "bi-mat"))


def file_part(data: bytes, name: str = "img") -> dict[str, Any]:
    return {name: (io.BytesIO(data), "anh.png")}


Send = Callable[[Api], Any]
OCR: dict[str, tuple[Send, str]] = {
    "0": (lambda a: a.get(f"/api/v2/ekyc/card?img={CARD_URL}&format_type=url&get_thumb=false"), "image-bytes"),
    "1": (
        lambda a: a.post("/api/v2/ekyc/card?format_type=file", data=file_part(images.blank_image())),
        "image-bytes:no-document",
    ),
    "2": (lambda a: a.get("/api/v2/ekyc/card?img=https://anh.invalid/cccd.jpg&format_type=url"), "url:unreachable"),
    "3": (
        lambda a: a.post("/api/v2/ekyc/card?format_type=base64", json={"img": to_base64(images.corrupt_image())}),
        "input:not-an-image",
    ),
    "4": (lambda a: spent_key(a).get(f"/api/v2/ekyc/card?img={CARD_URL}&format_type=url"), "quota:spent"),
    "5": (lambda a: a.with_auth(WRONG).get(f"/api/v2/ekyc/card?img={CARD_URL}&format_type=url"), "auth:wrong"),
    "6": (
        lambda a: a.post("/api/v2/ekyc/card?format_type=url", json={"img": to_base64(images.id_card())}),
        "input:format-type-mismatch",
    ),
}
FM_URLS = "img1=https://cdn.example.vn/the.jpg&img2=https://cdn.example.vn/selfie.jpg"
FACE_MATCHING: dict[str, tuple[Send, str]] = {
    "0": (lambda a: a.get(f"/api/v2/ekyc/face_matching?{FM_URLS}&type1=card&format_type=url"), "image-bytes"),
    "1": (
        lambda a: a.post(
            "/api/v2/ekyc/face_matching?format_type=base64",
            json={"img1": to_base64(images.id_card(identity="an")), "img2": to_base64(images.blank_image())},
        ),
        "image-bytes:blank",
    ),
    "2": (
        lambda a: a.get("/api/v2/ekyc/face_matching?img1=https://x.invalid/a.jpg&img2=https://x.invalid/b.jpg"),
        "url:unreachable",
    ),
    "3": (
        lambda a: a.post(
            "/api/v2/ekyc/face_matching?format_type=file",
            data={
                "img1": (io.BytesIO(b"not an image at all"), "a.jpg"),
                "img2": (io.BytesIO(images.portrait("an")), "b.png"),
            },
        ),
        "input:not-an-image",
    ),
    "4": (lambda a: spent_key(a).get(f"/api/v2/ekyc/face_matching?{FM_URLS}"), "quota:spent"),
    "5": (lambda a: a.with_auth(None).get(f"/api/v2/ekyc/face_matching?{FM_URLS}"), "auth:missing"),
    "6": (lambda a: a.get(f"/api/v2/ekyc/face_matching?{FM_URLS}&type1=selfie"), "input:bad-type1"),
}


LIVENESS_PATH = "/api/v2/ekyc/verify_liveness"


def liveness(a: Api, shots: dict[str, bytes]) -> Any:
    return a.post(LIVENESS_PATH, data={part: (io.BytesIO(data), f"{part}.jpg") for part, data in shots.items()})


LIVENESS: dict[str, tuple[Send, str]] = {
    "0": (lambda a: liveness(a, images.liveness_shots("an")), "scenario-image"),
    "1": (lambda a: liveness(a, dict.fromkeys(images.LIVENESS_PARTS, images.blank_image())), "image-bytes:blank"),
    # 2 and 6 answer no request of this endpoint (no URL, no format_type): a proxy's 502,
    # a store's 503 and a GET's 405 carry them (tests/mockserver/test_liveness.py)
    "2": (lambda a: liveness(_forced(a, "liveness", 2), images.liveness_shots("an")), "forced:code"),
    "3": (
        lambda a: liveness(a, {**images.liveness_shots("an"), "portrait_right": b"not an image at all"}),
        "input:not-an-image",
    ),
    "4": (lambda a: liveness(spent_key(a), images.liveness_shots("an")), "quota:spent"),
    "5": (lambda a: liveness(a.with_auth(WRONG), images.liveness_shots("an")), "auth:wrong"),
    "6": (lambda a: liveness(_forced(a, "liveness", 6), images.liveness_shots("an")), "forced:code"),
}


def fs_add(a: Api, data: bytes, metadata: dict[str, Any] | None = None) -> Any:
    return a.post("/api/v2/face_search/images", json={"image": {"base64": to_base64(data), "metadata": metadata or {}}})


FACE_SEARCH: dict[str, tuple[Send, str]] = {
    "0": (lambda a: fs_add(a, images.portrait("hoa"), {"hoTen": "Lê Thị Hoa"}), "scenario-image"),
    "1": (
        lambda a: a.post("/api/v2/face_search/search", json={"image": {"base64": "đây-không-phải-base64"}}),
        "input:bad-base64",
    ),
    "2": (lambda a: _forced(a, "face_search", 2).get("/api/v2/face_search/images"), "forced:code"),
    "3": (lambda a: fs_add(a, images.blank_image()), "image-bytes:no-face"),
    "4": (lambda a: a.with_auth(WRONG).get("/api/v2/face_search/images"), "auth:wrong"),
    "5": (lambda a: spent_key(a).get("/api/v2/face_search/images"), "quota:spent"),
    "6": (lambda a: fs_add(a, images.portrait("hoa"), {"user": "hoa"}), "input:reserved-metadata-key"),
    "7": (lambda a: a.put("/api/v2/face_search/images/987654", json={"metadata": {"a": "b"}}), "store:unknown-id"),
}
CROP = "/api/v2/smartcrop/crop_image"
SMART_CROP: dict[str, tuple[Send, str]] = {
    "0": (lambda a: a.get(f"{CROP}?url=https://cdn.example.vn/anh.jpg&width=400&height=600"), "image-bytes"),
    "1": (
        lambda a: a.post(f"{CROP}?width=400&height=600", data=file_part(images.corrupt_image())),
        "input:not-an-image",
    ),
    "2": (lambda a: a.get(f"{CROP}?url=https://cdn.invalid/anh.jpg&width=400&height=600"), "url:unreachable"),
    "3": (
        lambda a: a.post(f"{CROP}?width=400&height=600", data=file_part(images.blank_image("PNG", "black"))),
        "image-bytes:blank",
    ),
    "4": (
        lambda a: a.with_auth(WRONG).get(f"{CROP}?url=https://cdn.example.vn/anh.jpg&width=4&height=6"),
        "auth:wrong",
    ),
    "5": (lambda a: spent_key(a).get(f"{CROP}?url=https://cdn.example.vn/anh.jpg&width=4&height=6"), "quota:spent"),
    "6": (lambda a: a.get(f"{CROP}?url=https://cdn.example.vn/anh.jpg&width=0&height=600"), "input:bad-width"),
}


def _forced(api: Api, flow: str, code: int) -> Api:
    response = api.client.post("/__mock__/outcomes", json={"flow": flow, "code": code})
    assert response.status_code == 201
    return api


CASES = [
    (flow, code, send, trigger)
    for flow, table in (
        ("ocr", OCR),
        ("face_matching", FACE_MATCHING),
        ("liveness", LIVENESS),
        ("face_search", FACE_SEARCH),
        ("smart_crop", SMART_CROP),
    )
    for code, (send, trigger) in table.items()
]


def test_every_documented_code_has_a_case() -> None:
    for flow, spec in CATALOGUE.flows.items():
        assert {str(e["code"]) for e in spec["errors"]} == {c for f, c, _, _ in CASES if f == flow}


@pytest.mark.parametrize("flow, code, send, trigger", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_code_is_produced_by_its_trigger(api: Api, flow: str, code: str, send: Send, trigger: str) -> None:
    response = send(api)
    entry = CATALOGUE.entry_by_code(flow, code)
    assert entry is not None
    body = response.get_json()
    code_field = CATALOGUE.code_field(flow)
    assert response.status_code == 200
    assert response.headers["X-CVS-Mock-Trigger"] == trigger
    if code in ("0",):
        assert body[code_field] == entry["code"]
        assert body[CATALOGUE.flows[flow]["message_field"]] == "Success"
    else:
        assert body == CATALOGUE.error_body(flow, entry)


OCR_WARNINGS = CATALOGUE.flows["ocr"]["warnings"]["codes"]


@pytest.mark.parametrize("warning", OCR_WARNINGS, ids=lambda w: str(w["code"]))
def test_ocr_warning_from_scenario(api: Api, warning: dict[str, Any]) -> None:
    card = images.id_card("12_id_card_front", invalid_code=warning["code"])
    body = api.post("/api/v2/ekyc/card?format_type=file", data=file_part(card)).get_json()
    item = body["data"]
    assert (item["valid"], item["invalidCode"], item["invalidMessage"]) == (
        warning["code"] == 0,
        warning["code"],
        warning["message"],
    )


def _fm(api: Api, card: bytes, portrait: bytes, type1: str = "card") -> dict[str, Any]:
    body = api.post(
        f"/api/v2/ekyc/face_matching?type1={type1}&format_type=base64",
        json={"img1": to_base64(card), "img2": to_base64(portrait)},
    ).get_json()
    assert body["errorCode"] == "0"
    return dict(body["data"])


FM_NATURAL = {
    "1": lambda: (images.portrait("an"), images.portrait("an"), "card"),
    "4": lambda: (scenario_image(documents=[document("chip_id_card_front")], faces=[]), images.portrait("an"), "card"),
    "5": lambda: (images.id_card(identity="an"), scenario_image(documents=[], faces=[]), "card"),
    "6": lambda: (images.id_card(identity="an"), scenario_image(faces=[face("an"), face("binh")]), "card"),
}


@pytest.mark.parametrize("warning", CATALOGUE.flows["face_matching"]["warnings"]["codes"], ids=lambda w: w["code"])
def test_face_matching_warning(api: Api, warning: dict[str, Any]) -> None:
    code = warning["code"]
    if code in FM_NATURAL:
        card, portrait, type1 = FM_NATURAL[code]()
    else:
        card, portrait, type1 = images.id_card(identity="an"), images.portrait("an", face_warning=int(code)), "card"
    data = _fm(api, card, portrait, type1)
    assert (data["invalidCode"], data["invalidMessage"]) == (code, warning["message"])


def _crop_person(api: Api, picture: bytes) -> dict[str, Any]:
    return dict(api.post("/api/v2/smartcrop/crop_person?width=120&height=160", data=file_part(picture)).get_json())


@pytest.mark.parametrize("warning", CATALOGUE.flows["smart_crop"]["warnings"]["codes"], ids=lambda w: str(w["code"]))
def test_crop_person_warning(api: Api, warning: dict[str, Any]) -> None:
    code = warning["code"]
    picture = {
        1: lambda: scenario_image(faces=[]),
        2: lambda: scenario_image(faces=[face("an", (10, 10, 90, 90)), face("binh", (300, 100, 400, 200))]),
    }.get(code, lambda: images.portrait("an", crop_warning=code))()
    body = _crop_person(api, picture)
    assert (body["errorCode"], body["invalidCode"], body["invalidMessage"]) == (0, code, warning["message"])
