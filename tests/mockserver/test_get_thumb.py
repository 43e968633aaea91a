"""``get_thumb`` read as the docs list it (D49): true or false, any letter case; another value is
errorCode 6, answered before any image is read, on every OCR endpoint that takes it."""

from __future__ import annotations

import io

import pytest

from cvs_testkit import images
from mockserver.contract.catalogue import Catalogue
from mockserver.contract.loading import load_contract
from tests.conftest import Api

CATALOGUE = Catalogue(load_contract())
CARD = "/api/v2/ekyc/card?img=https://cdn.nganhang.example.vn/kyc/cccd.jpg&format_type=url"
BAD_FORMAT = CATALOGUE.error_body("ocr", CATALOGUE.entry_by_code("ocr", "6"))


@pytest.mark.parametrize("value", ["yes", "1", "", "0", "truee"])
def test_a_value_outside_true_and_false_is_code_6(api: Api, value: str) -> None:
    response = api.get(f"{CARD}&get_thumb={value}")
    assert response.status_code == 200
    assert response.get_json() == BAD_FORMAT
    assert response.headers["X-CVS-Mock-Trigger"] == "input:bad-get-thumb"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/ekyc/cards?img1=https://cdn.example.vn/a.jpg&img2=https://cdn.example.vn/b.jpg&format_type=url",
        "/api/v2/ocr/card?img=https://cdn.example.vn/a.jpg&format_type=url",
        "/api/v2/ocr/document/invoice?img=https://cdn.example.vn/hoa-don.jpg&format_type=url",
        "/api/v2/ocr/vehicle_plate?img=https://cdn.example.vn/bien-so.jpg&format_type=url",
    ],
)
def test_every_ocr_endpoint_refuses_it_alike(api: Api, path: str) -> None:
    response = api.get(f"{path}&get_thumb=yes")
    assert response.get_json() == BAD_FORMAT


def test_it_is_refused_before_the_image_is_read(api: Api) -> None:
    # A corrupt image would be code 3; the parameter is checked first.
    response = api.post(
        "/api/v2/ekyc/card?format_type=file&get_thumb=maybe",
        data={"img": (io.BytesIO(b"not an image"), "a.jpg")},
    )
    assert response.get_json() == BAD_FORMAT


def test_an_xml_invoice_checks_it_too(api: Api) -> None:
    xml = b'<?xml version="1.0"?><HDon><DLHDon><TTChung><SHDon>12</SHDon></TTChung></DLHDon></HDon>'
    response = api.post(
        "/api/v2/ocr/document/invoice-xml?format_type=file&get_thumb=on",
        data={"img": (io.BytesIO(xml), "hoa-don.xml")},
    )
    assert response.get_json() == BAD_FORMAT


@pytest.mark.parametrize(("value", "has_image"), [("true", True), ("TRUE", True), ("False", False), (None, False)])
def test_true_and_false_in_any_case_choose_the_image(api: Api, value: str | None, has_image: bool) -> None:
    query = "" if value is None else f"&get_thumb={value}"
    response = api.post(
        f"/api/v2/ekyc/card?format_type=file{query}",
        data={"img": (io.BytesIO(images.id_card("chip_id_card_front")), "cccd.png")},
    )
    body = response.get_json()
    assert body["errorCode"] == "0", body
    assert ("image" in body["data"]["info"]) is has_image
