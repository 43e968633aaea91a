"""POST /__mock__/images makes what cvs_testkit.images makes, for clients in any language: the
same scenario, the same checks, the image itself or a hosted URL, billed to nobody."""

from __future__ import annotations

import base64

import pytest
from flask import Flask

from cvs_testkit import images
from mockserver import create_app
from tests.conftest import Api, basic


def _made(app: Flask, body: dict, auth: str | None = None) -> object:
    headers = {"Authorization": auth} if auth else {}
    return app.test_client().post("/__mock__/images", json=body, headers=headers)


def test_an_id_card_carries_the_same_scenario_as_the_python_maker(app: Flask) -> None:
    answer = _made(app, {"kind": "id_card", "type": "12_id_card_front", "fields": {"name": "TRẦN THỊ MAI"}})
    assert answer.status_code == 200 and answer.mimetype == "image/png"  # type: ignore[attr-defined]
    same = images.id_card("12_id_card_front", name="TRẦN THỊ MAI")
    assert images.read_scenario(answer.data) == images.read_scenario(same)  # type: ignore[attr-defined]


def test_the_fake_reads_an_image_made_over_http(app: Flask, api: Api) -> None:
    card = _made(app, {"kind": "id_card", "type": "chip_id_card_front", "fields": {"name": "LÊ VĂN TÁM"}})
    read = api.post("/api/v2/ekyc/card?format_type=file", data={"img": (__import__("io").BytesIO(card.data), "c.png")})  # type: ignore[attr-defined]
    data = read.get_json()["data"]
    assert (data[0] if isinstance(data, list) else data)["info"]["name"] == "LÊ VĂN TÁM"


def test_portraits_jpeg_pdf_and_the_plain_kinds(app: Flask) -> None:
    selfie = _made(app, {"kind": "portrait", "person": "an", "similarity": 70.5, "format": "JPEG"})
    assert selfie.mimetype == "image/jpeg"  # type: ignore[attr-defined]
    assert images.read_scenario(selfie.data)["similarity"] == 70.5  # type: ignore[attr-defined,index]
    paper = _made(app, {"kind": "pdf", "documents": [{"type": "claim_form"}, None]})
    assert paper.mimetype == "application/pdf" and paper.data.startswith(b"%PDF")  # type: ignore[attr-defined]
    assert _made(app, {"kind": "corrupt"}).data == images.corrupt_image()  # type: ignore[attr-defined]
    assert images.read_scenario(_made(app, {"kind": "no_face"}).data) == {
        "cvs_scenario": 1,
        "documents": [],
        "faces": [],
    }  # type: ignore[attr-defined]


def test_liveness_shots_come_as_three_and_one_may_be_replaced(app: Flask) -> None:
    body = {"kind": "liveness_shots", "person": "mai", "mid": {"kind": "portrait", "person": "mai", "spoof": "screen"}}
    shots = _made(app, body).get_json()  # type: ignore[attr-defined]
    assert sorted(shots) == list(images.LIVENESS_PARTS)
    assert images.read_scenario(base64.b64decode(shots["portrait_mid"]))["spoof"] == "screen"  # type: ignore[index]


def test_host_answers_a_url_for_url_mode_and_bills_nothing() -> None:
    app = create_app({"TESTING": True, "TENANTS": "open"})
    auth = basic("team-img", "s")
    hosted = _made(app, {"kind": "id_card", "type": "chip_id_card_front", "host": True}, auth)
    assert hosted.status_code == 201  # type: ignore[attr-defined]
    url = hosted.get_json()["url"]  # type: ignore[attr-defined]
    answer = Api(app.test_client(), auth).get(f"/api/v2/ekyc/card?img={url}&format_type=url").get_json()
    assert answer["errorCode"] == "0"
    totals = app.test_client().get("/__mock__/usage", headers={"Authorization": auth}).get_json()["totals"]
    assert totals["team-img"] == {"ekyc/card": {"requests": 1, "billable": 1}}  # the image itself cost nothing


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"kind": "selfie"}, "kind must be one of id_card, portrait, liveness_shots"),
        ({"kind": "portrait", "person": "an", "colour": "red"}, "portrait takes no colour; it takes "),
        ({"kind": "portrait", "person": "an", "spoof": "hologram"}, "portrait: spoof must be one of screen"),
        ({"kind": "id_card", "type": "library_card"}, "id_card: unknown document type 'library_card'"),
        ({"kind": "id_card", "type": "chip_id_card_front", "fields": {"dob_confidence": "high"}}, "cannot be 'high'"),
        ({"kind": "id_card", "host": "yes"}, "host is true"),
    ],
)
def test_a_bad_request_is_a_400_naming_what_is_wrong(app: Flask, body: dict, error: str) -> None:
    answer = _made(app, body)
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert error in answer.get_json()["error"]  # type: ignore[attr-defined]
