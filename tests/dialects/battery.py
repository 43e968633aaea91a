"""Requests that show every dialect option: each operation's success, warnings and errors."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from cvs_testkit import images
from cvs_testkit.images import to_base64

DEMO = "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()
WRONG = "Basic " + base64.b64encode(b"demo:sai").decode()
FRONT = images.id_card("chip_id_card_front", identity="an", dob="05/07/2001")
BACK = images.id_card("chip_id_card_back")
WARNED = images.id_card("12_id_card_front", invalid_code=2)
PASSPORT = images.id_card("passport", person_number_box=[10, 20, 200, 40], mrz_confidence=0.97)
SELFIE = images.portrait("an")
CARD_URL = "https://cdn.example.vn/kyc/the.jpg"


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str
    json: Any = None
    files: dict[str, bytes] = field(default_factory=dict)
    auth: str = DEMO


CALLS = [
    Call("ekyc_cards", "POST", "/api/v2/ekyc/cards?format_type=file", files={"img1": FRONT, "img2": BACK}),
    Call("ekyc_cards_warned", "POST", "/api/v2/ekyc/cards?format_type=file", files={"img1": WARNED, "img2": BACK}),
    Call("ekyc_card", "POST", "/api/v2/ekyc/card?format_type=base64", json={"img": to_base64(FRONT)}),
    Call("ekyc_card_passport", "POST", "/api/v2/ekyc/card?format_type=file", files={"img": PASSPORT}),
    Call("ekyc_card_url", "GET", f"/api/v2/ekyc/card?img={CARD_URL}&format_type=url"),
    Call("ocr_card", "POST", "/api/v2/ocr/card?format_type=file", files={"img": FRONT}),
    Call("ocr_wrong_secret", "GET", f"/api/v2/ekyc/card?img={CARD_URL}", auth=WRONG),
    Call("ocr_format_mismatch", "POST", "/api/v2/ekyc/card?format_type=url", json={"img": to_base64(FRONT)}),
    Call("ocr_unreachable", "GET", "/api/v2/ekyc/card?img=https://x.invalid/a.jpg"),
    Call("ocr_unserved_route", "GET", "/api/v2/ocr/unknown"),
    Call(
        "face_matching",
        "POST",
        "/api/v2/ekyc/face_matching?format_type=base64",
        json={"img1": to_base64(FRONT), "img2": to_base64(SELFIE)},
    ),
    Call(
        "face_matching_warned",
        "POST",
        "/api/v2/ekyc/face_matching?format_type=file",
        files={"img1": FRONT, "img2": images.portrait("an", face_warning=7)},
    ),
    Call("face_matching_error", "GET", f"/api/v2/ekyc/face_matching?img1={CARD_URL}&img2={CARD_URL}", auth=WRONG),
    Call(
        "liveness",
        "POST",
        "/api/v2/ekyc/verify_liveness",
        files=images.liveness_shots("an", mid=images.portrait("an", spoof="eyes_closed")),
    ),
    Call("face_search_add", "POST", "/api/v2/face_search/images", json={"image": {"base64": to_base64(SELFIE)}}),
    Call("face_search_list", "GET", "/api/v2/face_search/images"),
    Call("face_search_search", "POST", "/api/v2/face_search/search", json={"image": {"base64": to_base64(SELFIE)}}),
    Call("face_search_error", "GET", "/api/v2/face_search/images", auth=WRONG),
    Call("face_search_unknown_id", "PUT", "/api/v2/face_search/images/999", json={"metadata": {}}),
    Call("face_search_delete", "DELETE", "/api/v2/face_search/images", json={"ids": [1]}),
    Call("crop_image", "GET", f"/api/v2/smartcrop/crop_image?url={CARD_URL}&width=64&height=64"),
    Call(
        "crop_person",
        "POST",
        "/api/v2/smartcrop/crop_person?format_type=file&width=32&height=48",
        files={"img": images.portrait("an", crop_warning=3)},
    ),
    Call("crop_error", "GET", f"/api/v2/smartcrop/crop_image?url={CARD_URL}&width=64&height=64", auth=WRONG),
]


def send(client: Any, call: Call) -> Any:
    import io

    data = {k: (io.BytesIO(v), f"{k}.png") for k, v in call.files.items()} or None
    return client.open(call.path, method=call.method, json=call.json, data=data, headers={"Authorization": call.auth})
