"""Verify Liveness: every invalidCode pinned and from what the portraits show, every error by
the request a user sends, answers valid in both readings and the same for the same bytes."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cvs_testkit import images
from cvs_testkit.contract import problems_for_schema
from cvs_testkit.coverage import met
from mockserver import create_app
from mockserver.contract.catalogue import Catalogue
from mockserver.contract.loading import load_contract
from tests.conftest import Api, basic

PATH = "/api/v2/ekyc/verify_liveness"
WARNINGS = {w["code"]: w["message"] for w in Catalogue(load_contract()).flows["liveness"]["warnings"]["codes"]}
ERRORS = {e["code"]: e["message"] for e in Catalogue(load_contract()).flows["liveness"]["errors"]}


def send(api: Api, shots: dict[str, bytes]) -> Any:
    return api.post(PATH, data={part: (io.BytesIO(data), f"{part}.jpg") for part, data in shots.items()})


def verdict(api: Api, shots: dict[str, bytes]) -> dict[str, Any]:
    answer = send(api, shots)
    body = answer.get_json()
    assert answer.status_code == 200 and body["errorCode"] == "0", body
    for reading in ("strict", "tolerant"):
        assert problems_for_schema(body, "liveness_response.json", reading) == []
    return dict(body["data"])


@pytest.mark.parametrize("code", sorted(WARNINGS, key=int))
def test_each_invalid_code_can_be_pinned_by_a_scenario(api: Api, code: str) -> None:
    shots = images.liveness_shots("an", mid=images.portrait("an", liveness_warning=int(code)))
    data = verdict(api, shots)
    assert (data["invalidCode"], data["invalidMessage"]) == (code, WARNINGS[code])
    assert data["valid"] == ("True" if code == "0" else "False")


NATURAL = {
    "one person, three poses": ("0", images.liveness_shots("an")),
    "no face in the frontal shot": ("1", images.liveness_shots("an", mid=images.no_face())),
    "no face turned left": ("2", images.liveness_shots("an", left=images.no_face())),
    "an empty photo turned right": ("3", images.liveness_shots("an", right=images.blank_image())),
    "another person turned left": ("4", images.liveness_shots("an", left=images.portrait("binh"))),
    "another person turned right": ("5", images.liveness_shots("an", right=images.portrait("binh"))),
    "three different people": (
        "4",
        {
            "portrait_left": images.portrait("an", pose="portrait_left"),
            "portrait_mid": images.portrait("binh"),
            "portrait_right": images.portrait("chi", pose="portrait_right"),
        },
    ),
    "a photo of a screen as the frontal shot": (
        "6",
        images.liveness_shots("an", mid=images.portrait("an", spoof="screen")),
    ),
    "an ID card held up as the frontal shot": ("6", images.liveness_shots("an", mid=images.id_card(identity="an"))),
    "a printed photo turned left": (
        "7",
        images.liveness_shots("an", left=images.portrait("an", pose="portrait_left", spoof="printed_photo")),
    ),
    "eyes closed turned right": (
        "8",
        images.liveness_shots("an", right=images.portrait("an", pose="portrait_right", spoof="eyes_closed")),
    ),
    "two faces turned right": (
        "8",
        images.liveness_shots(
            "an",
            right=images.scenario_image(faces=[images.face("an"), images.face("binh", (10, 10, 90, 90))], documents=[]),
        ),
    ),
    "no face and another person: the lowest code": (
        "2",
        images.liveness_shots("an", left=images.no_face(), right=images.portrait("binh")),
    ),
}


@pytest.mark.parametrize("case", sorted(NATURAL))
def test_each_invalid_code_from_what_the_portraits_show(api: Api, case: str) -> None:
    code, shots = NATURAL[case]
    data = verdict(api, shots)
    assert (data["invalidCode"], data["invalidMessage"], data["valid"]) == (
        code,
        WARNINGS[code],
        "True" if code == "0" else "False",
    )


def test_similarity_is_high_for_one_person_and_low_for_another(api: Api) -> None:
    same = verdict(api, images.liveness_shots("an"))
    other = verdict(api, images.liveness_shots("an", left=images.portrait("binh")))
    assert float(same["matching_mid_left"]) > 75 and float(same["matching_mid_right"]) > 75
    assert float(other["matching_mid_left"]) <= 75 and other["matching_mid_right"] == same["matching_mid_right"]
    faceless = verdict(api, images.liveness_shots("an", right=images.no_face()))
    assert faceless["matching_mid_right"] == "0.00"


def photo(shade: int) -> bytes:
    """A plain photo with no scenario: what the fake sees in it comes from its bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 160), (shade, 150, 200))
    ImageDraw.Draw(image).ellipse((30, 30, 90, 110), fill=(224, 176, 144))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def test_unpinned_bytes_get_a_verdict_of_their_own_every_time(api: Api) -> None:
    plain = [photo(shade) for shade in (40, 90, 140)]
    three = dict(zip(images.LIVENESS_PARTS, plain, strict=True))
    assert all(images.read_scenario(p) is None for p in plain)
    once, again = verdict(api, three), verdict(api, three)
    assert once == again and once["invalidCode"] == "4"  # three photos of three people: mid and left differ
    same = verdict(api, dict.fromkeys(images.LIVENESS_PARTS, plain[0]))
    assert same["invalidCode"] == "0"


def test_each_error_by_the_request_a_user_sends() -> None:
    api = Api(create_app({"TESTING": True}).test_client())
    api.client.post("/__mock__/keys", json={"api_key": "het-luot", "api_secret": "s", "quota": 0})
    shots = images.liveness_shots("an")
    blank = dict.fromkeys(images.LIVENESS_PARTS, images.blank_image())
    answers = [
        ("1", send(api, blank), "image-bytes:blank"),
        ("3", send(api, {k: v for k, v in shots.items() if k != "portrait_left"}), "input:missing-part"),
        ("3", send(api, {**shots, "portrait_mid": b"GIF89a not really"}), "input:not-an-image"),
        ("3", api.post(PATH, json={part: images.to_base64(b) for part, b in shots.items()}), "input:missing-part"),
        ("4", send(api.with_auth(basic("het-luot", "s")), shots), "quota:spent"),
        ("5", send(api.with_auth(basic("demo", "sai")), shots), "auth:wrong"),
    ]
    for code, answer, trigger in answers:
        body = {"errorCode": code, "errorMessage": ERRORS[code]}
        assert (answer.status_code, answer.get_json(), answer.headers["X-CVS-Mock-Trigger"]) == (200, body, trigger)
    url_mode = api.get(f"{PATH}?portrait_mid=https://cdn.example.vn/a.jpg")
    assert (url_mode.status_code, url_mode.get_json()) == (
        405,
        {"errorCode": "6", "errorMessage": "Incorrect format type"},
    )
    usage = api.client.get("/__mock__/usage").get_json()["totals"]["demo"]
    assert usage["ekyc/verify_liveness"]["billable"] == 0


def test_warnings_are_journaled_and_counted_by_error_path_coverage(api: Api) -> None:
    for code in ("0", "5", "7"):
        case = next(shots for c, shots in NATURAL.values() if c == code)
        verdict(api, case)
    entries = api.client.get("/__mock__/journal").get_json()["entries"]
    assert [e["warnings"] for e in entries] == [["0"], ["5"], ["7"]]
    seen = met(entries)
    assert {("liveness", "warning", c) for c in ("0", "5", "7")} <= seen and ("liveness", "success", "0") in seen
