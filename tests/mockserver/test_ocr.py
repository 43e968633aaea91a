"""OCR answers are consistent with the request and internally consistent."""

from __future__ import annotations

import base64
import io
import json
import re
from functools import cache
from typing import Any

import pytest
from PIL import Image
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from cvs_testkit import images
from cvs_testkit.contract import assert_conforms
from cvs_testkit.images import document, scenario_image, to_base64
from mockserver import create_app
from tests.conftest import Api

MODES = ["url", "file", "base64"]
PATHS = {"/api/v2/ekyc/cards": ("img1", "img2"), "/api/v2/ekyc/card": ("img",), "/api/v2/ocr/card": ("img",)}


def send(api: Api, path: str, mode: str, pictures: dict[str, bytes], thumb: bool = False) -> Any:
    query = f"?format_type={mode}&get_thumb={'true' if thumb else 'false'}"
    if mode == "url":
        urls = {
            name: api.client.post("/__mock__/files", data=data, content_type="image/png").get_json()["url"]
            for name, data in pictures.items()
        }
        return api.get(path + query + "".join(f"&{n}={u}" for n, u in urls.items()))
    if mode == "file":
        return api.post(path + query, data={n: (io.BytesIO(d), f"{n}.png") for n, d in pictures.items()})
    return api.post(path + query, json={n: base64.encodebytes(d).decode() for n, d in pictures.items()})


def cards() -> dict[str, bytes]:
    return {"img1": images.id_card("chip_id_card_front"), "img2": images.id_card("chip_id_card_back")}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_endpoint_and_mode_succeeds_and_conforms(api: Api, path: str, mode: str) -> None:
    pictures = cards() if len(PATHS[path]) == 2 else {"img": images.id_card("passport")}
    response = send(api, path, mode, pictures)
    body = response.get_json()
    assert body["errorCode"] == "0", body
    assert_conforms(body, path, "GET" if mode == "url" else "POST")


def test_cards_returns_back_then_front_sharing_one_person(api: Api) -> None:
    front = images.id_card("chip_id_card_front", name="Trần Thị Mai", id="079301004567", dob="05/07/2001", gender="Nữ")
    body = send(api, "/api/v2/ekyc/cards", "file", {"img1": front, "img2": images.id_card("chip_id_card_back")})
    back, front_item = body.get_json()["data"]
    assert (back["type"], front_item["type"]) == ("chip_id_card_back", "chip_id_card_front")
    assert front_item["info"]["name"] == "Trần Thị Mai"
    assert back["info"]["person_number"] == front_item["info"]["id"] == "079301004567"
    assert back["info"]["document_number"] == "301004567"
    assert back["info"]["dob"] == front_item["info"]["dob"] == "05-07-2001"  # pinned with slashes, sent as dated
    assert back["info"]["gender"] == "F"
    assert (back["info"]["sur_name"], back["info"]["given_name"]) == ("TRAN", "THI MAI")


def test_generated_card_pair_agrees_without_a_scenario(api: Api) -> None:
    plain = Image.new("RGB", (320, 200), "navy")
    plain.putpixel((5, 5), (255, 255, 0))
    out = io.BytesIO()
    plain.save(out, "PNG")
    back = io.BytesIO()
    teal = Image.new("RGB", (320, 200), "teal")
    teal.paste((250, 250, 250), (100, 50, 200, 150))
    teal.save(back, "JPEG")
    body = send(api, "/api/v2/ekyc/cards", "base64", {"img1": out.getvalue(), "img2": back.getvalue()}).get_json()
    items = {item["type"]: item["info"] for item in body["data"]}
    front_type = next(t for t in items if t.endswith("_front"))
    assert front_type.replace("_front", "_back") in items


@cache
def divisions() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"province": {}, "district": {}, "ward": {}}
    for p in json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8")):
        out["province"][f"{p['code']:02d}"] = p["name"]
        for d in p["districts"]:
            out["district"][f"{d['code']:03d}"] = d["name"]
            for w in d.get("wards", []):
                out["ward"][f"{w['code']:05d}"] = w["name"]
    return out


@pytest.mark.parametrize("seed", range(12))
def test_front_fields_are_vietnamese_and_consistent(api: Api, seed: int) -> None:
    card = scenario_image(documents=[document("12_id_card_front", seed=f"nguoi-{seed}")])
    info = send(api, "/api/v2/ekyc/card", "file", {"img": card}).get_json()["data"]["info"]
    for prefix in ("address", "hometown"):
        names = divisions()
        assert names["province"][info[f"{prefix}_town_code"]] == info[f"{prefix}_town"]
        assert names["district"][info[f"{prefix}_district_code"]] == info[f"{prefix}_district"]
        assert names["ward"][info[f"{prefix}_ward_code"]] == info[f"{prefix}_ward"]
        assert info[prefix].endswith(
            f"{info[prefix + '_ward']}, {info[prefix + '_district']}, {info[prefix + '_town']}"
        )
    day, month, year = map(int, info["dob"].split("-"))
    assert re.fullmatch(r"\d{12}", info["id"])
    assert info["id"][:3] == "0" + info["hometown_town_code"]
    century_sex = int(info["id"][3])
    assert century_sex % 2 == (info["gender"] == "Nữ") and (century_sex >= 2) == (year >= 2000)
    assert info["id"][4:6] == f"{year % 100:02d}"
    assert info["name"] == info["name"].upper() and len(info["name"].split()) >= 2


def test_passport_agrees_with_its_mrz_names(api: Api) -> None:
    card = scenario_image(documents=[document("passport", seed="ho-chieu")])
    info = send(api, "/api/v2/ekyc/card", "base64", {"img": card}).get_json()["data"]["info"]
    assert info["full_name"] == f"{info['sur_name']} {info['given_name']}"
    assert info["full_name"].isascii() and info["full_name"] == info["full_name"].upper()
    assert info["country"] == info["nationality"] == "VNM"
    assert info["gender"] in ("M", "F") and re.fullmatch(r"C\d{7}", info["id"])
    assert info["id"][1:] == info["person_number"][-7:]


def test_same_bytes_give_the_same_document_in_every_mode_and_app(api: Api) -> None:
    card = {"img": images.id_card("9_id_card_front")}
    first = send(api, "/api/v2/ekyc/card", "file", card).get_json()
    second = send(Api(create_app({"TESTING": True}).test_client()), "/api/v2/ekyc/card", "base64", card).get_json()
    assert first == second


def test_get_thumb_adds_a_real_aligned_image(api: Api) -> None:
    card = {"img": images.id_card("12_id_card_back")}
    without = send(api, "/api/v2/ekyc/card", "file", card).get_json()["data"]["info"]
    with_thumb = send(api, "/api/v2/ekyc/card", "file", card, thumb=True).get_json()["data"]["info"]
    assert "image" not in without
    thumb = Image.open(io.BytesIO(base64.b64decode(with_thumb.pop("image"))))
    assert thumb.format == "PNG" and thumb.size[0] > thumb.size[1]
    assert with_thumb == without


def test_ocr_card_returns_every_document_without_validity_keys(api: Api) -> None:
    picture = scenario_image(documents=[document("9_id_card_front"), document("driving_license"), document("passport")])
    items = send(api, "/api/v2/ocr/card", "file", {"img": picture}).get_json()["data"]
    assert [i["type"] for i in items] == ["9_id_card_front", "driving_license", "passport"]
    assert all(set(i) == {"type", "info"} for i in items)


def test_ekyc_card_on_a_licence_has_no_validity_keys(api: Api) -> None:
    body = send(api, "/api/v2/ekyc/card", "file", {"img": images.id_card("driving_license")}).get_json()
    assert set(body["data"]) == {"type", "info"}


def test_unknown_scenario_fields_are_ignored_and_said(api: Api) -> None:
    response = send(api, "/api/v2/ekyc/card", "file", {"img": images.id_card("passport", nickname="Tí")})
    assert "nickname" not in response.get_json()["data"]["info"]
    assert "nickname" in response.headers["X-CVS-Mock-Note"]


@pytest.mark.parametrize(
    "order, expected",
    [("input", ["12_id_card_front", "12_id_card_back"]), ("back_first", ["12_id_card_back", "12_id_card_front"])],
)
def test_item_order_option(order: str, expected: list[str]) -> None:
    api = Api(create_app({"TESTING": True, "ITEM_ORDER": order}).test_client())
    pics = {"img1": images.id_card("12_id_card_front"), "img2": images.id_card("12_id_card_back")}
    body = send(api, "/api/v2/ekyc/cards", "file", pics).get_json()
    assert [i["type"] for i in body["data"]] == expected


def test_dates_with_slashes_and_docs_verbatim_messages_by_the_older_settings() -> None:
    api = Api(create_app({"TESTING": True, "DATE_FORMAT": "DD/MM/YYYY", "DOCS_VERBATIM": True}).test_client())
    item = send(api, "/api/v2/ekyc/card", "file", {"img": images.id_card("9_id_card_back")}).get_json()["data"]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", item["info"]["issue_date"])
    assert item["invalidMessage"] == "uccessful"
    body = api.post("/api/v2/ekyc/card?format_type=url", json={"img": to_base64(images.id_card())}).get_json()
    assert body == {"errorCode": "6", "errorMessage": "ncorrect format type"}


def test_missing_format_type_is_inferred_and_missing_image_is_reported(api: Api) -> None:
    ok = api.post("/api/v2/ekyc/card", json={"img": to_base64(images.id_card(), line_breaks=True)}).get_json()
    assert ok["errorCode"] == "0"
    assert api.get("/api/v2/ekyc/card?format_type=url").get_json()["errorCode"] == "2"
    assert (
        api.post("/api/v2/ekyc/card?format_type=file", data={"anh": (io.BytesIO(b"x"), "x.txt")}).get_json()[
            "errorCode"
        ]
        == "3"
    )
    assert (
        api.post("/api/v2/ekyc/cards?format_type=base64", json={"img1": to_base64(images.id_card())}).get_json()[
            "errorCode"
        ]
        == "3"
    )


def test_data_uri_base64_is_accepted(api: Api) -> None:
    body = api.post(
        "/api/v2/ekyc/card?format_type=base64", json={"img": "data:image/png;base64," + to_base64(images.id_card())}
    ).get_json()
    assert body["errorCode"] == "0"
