"""Identity documents true to life: one person behind every field, pinned values that carry
through, real card history, every declared field with its confidence and box."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvs_testkit import images
from cvs_testkit.contract import contract
from cvs_testkit.images import to_base64
from mockserver import create_app
from mockserver.flows.ocr.document_views import ENDPOINTS
from mockserver.generation.cards import IDENTITY_TYPES, ISSUE_WINDOWS
from mockserver.generation.documents import schema_type_of
from mockserver.generation.people import add_years, person_for
from tests.conftest import Api

KINDS = ("9_id_card", "12_id_card", "chip_id_card")
PIN_KEYS = ("name", "dob", "gender", "id", "province")
INFO = contract().schemas["ocr_document.json"]["$defs"]


def day(text: str) -> dt.date:
    d, m, y = map(int, re.split(r"[-/]", text))
    return dt.date(y, m, d)


def read_cards(api: Api, kind: str, fields: dict, size: tuple[int, int] = (640, 400)) -> tuple[dict, dict, str]:
    front = images.scenario_image(documents=[images.document(f"{kind}_front", fields=fields)], size=size)
    back = images.scenario_image(documents=[images.document(f"{kind}_back")], size=size)
    answer = api.post("/api/v2/ekyc/cards?format_type=base64", json={"img1": to_base64(front), "img2": to_base64(back)})
    items = {i["type"]: i["info"] for i in answer.get_json()["data"]}
    return items[f"{kind}_front"], items[f"{kind}_back"], answer.headers.get("X-CVS-Mock-Note", "")


def pins_of(seed: str, keys: tuple[str, ...], kind: str) -> dict[str, str]:
    """A consistent subset of one generated person's facts, as a test would pin them."""
    person = person_for(seed)
    facts = {
        "name": person.name,
        "dob": f"{person.dob:%d/%m/%Y}",
        "gender": person.gender,
        "id": person.id9 if kind == "9_id_card" else person.id12,
        "hometown_town_code": person.hometown.province_code,
    }
    wanted = {"province": "hometown_town_code"}
    printed = INFO[f"info_{kind}_front"]["properties"]  # a 9-digit CMND prints no sex
    return {wanted.get(k, k): facts[wanted.get(k, k)] for k in keys if wanted.get(k, k) in printed}


def expected_expiry(dob: dt.date, issued: dt.date) -> dt.date | None:
    for age in (25, 40, 60):
        if issued < add_years(dob, age - 2):
            return add_years(dob, age)
    return None


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    seed=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
    keys=st.sets(st.sampled_from(PIN_KEYS)).map(lambda s: tuple(sorted(s))),
    kind=st.sampled_from(KINDS),
)
def test_any_pinned_subset_fixes_a_consistent_card(seed: str, keys: tuple[str, ...], kind: str) -> None:
    api = Api(create_app({"TESTING": True}).test_client())  # TESTING: the strict self-check raises
    pins = pins_of(seed, keys, kind)
    front, back, note = read_cards(api, kind, pins)
    assert note == ""  # consistent pins: nothing to report
    for key, value in pins.items():
        assert front[key] == (value.replace("/", "-") if key == "dob" else value)
    born = day(front["dob"])
    if kind != "9_id_card":
        number = front["id"]
        woman = front["gender"] == "Nữ"
        assert number[1:3] == front["hometown_town_code"]  # the birth province
        assert int(number[3]) == 2 * ((born.year - 1900) // 100) + int(woman)  # century and sex
        assert number[4:6] == f"{born.year % 100:02d}"
    first, last, youngest = ISSUE_WINDOWS[kind]
    issued = day(back["issue_date"])
    if add_years(born, youngest) <= last:  # the person is old enough for this card at all
        assert max(first, add_years(born, youngest)) <= issued <= last
    if "due_date" in front:
        due = expected_expiry(born, issued)
        assert front["due_date"] == ("Không thời hạn" if due is None else f"{due:%d-%m-%Y}")
    if kind == "chip_id_card":
        assert (back["person_number"], back["document_number"]) == (front["id"], front["id"][-9:])
        assert back["dob"] == front["dob"] and back["due_date"] == front["due_date"]
        assert back["gender"] == ("F" if front["gender"] == "Nữ" else "M")
        assert f"{back['sur_name']} {back['given_name']}" == images_unaccent(front["name"])


def images_unaccent(name: str) -> str:
    from mockserver.generation.people import unaccent

    return unaccent(name).upper()


@pytest.mark.parametrize(
    ("name", "gender"), [("TRẦN THỊ MAI", "Nữ"), ("Nguyễn Văn Long", "Nam"), ("Lê Thị Thu Hà", "Nữ")]
)
def test_a_pinned_name_alone_decides_the_sex_and_the_number_follows(api: Api, name: str, gender: str) -> None:
    front, back, note = read_cards(api, "chip_id_card", {"name": name})
    assert (front["name"], front["gender"], note) == (name, gender, "")
    assert int(front["id"][3]) % 2 == (gender == "Nữ")


def test_a_pinned_birth_date_fixes_the_number_and_the_due_date(api: Api) -> None:
    front, back, _ = read_cards(api, "chip_id_card", {"dob": "05/07/2001"})
    assert front["id"][4:6] == "01" and front["id"][3] in "23"  # born in the 2000s
    issued = day(back["issue_date"])
    assert front["due_date"] == f"{expected_expiry(dt.date(2001, 7, 5), issued):%d-%m-%Y}"


def test_a_pinned_province_by_name_or_code_is_the_birth_province(api: Api) -> None:
    by_code, _, _ = read_cards(api, "12_id_card", {"hometown_town_code": "79"})
    by_name, _, _ = read_cards(api, "12_id_card", {"hometown_town": "Thành phố Hồ Chí Minh"})
    for front in (by_code, by_name):
        assert front["id"][:3] == "079" and front["hometown_town_code"] == "79"


def test_contradicting_pins_are_kept_and_named(api: Api) -> None:
    front, _, note = read_cards(
        api, "chip_id_card", {"name": "Trần Thị Mai", "gender": "Nam", "id": "079301004567", "dob": "05/07/1999"}
    )
    assert (front["name"], front["gender"], front["id"], front["dob"]) == (
        "Trần Thị Mai",
        "Nam",
        "079301004567",
        "05-07-1999",
    )
    assert "gender says Nam but id and name says otherwise" in note
    assert "dob 05-07-1999 but id 079301004567 encodes a birth year of 2001" in note


def test_a_holder_too_young_for_the_card_is_named(api: Api) -> None:
    _, _, note = read_cards(api, "chip_id_card", {"dob": "01/01/2015"})
    assert "dob 01-01-2015 is too young for a chip_id_card (issued from age 14)" in note


def reader_of(schema_type: str) -> tuple[str, str, bool]:
    """(path, document type, takes PDFs) of an endpoint that reads this info schema: ocr/card
    reads the identity family, the rows of the document table the rest (a family's own lists,
    ``hr_*`` and ``claims_*``, on the endpoint of that family)."""
    for endpoint in [] if schema_type in IDENTITY_TYPES else ENDPOINTS:
        doc_type = schema_type.removeprefix(endpoint.family) if endpoint.family else schema_type
        one_image = endpoint.images == ("img",) and not endpoint.xml
        if one_image and doc_type in endpoint.types and schema_type_of(doc_type, endpoint.family) == schema_type:
            return endpoint.path, doc_type, endpoint.pdf
    return "/api/v2/ocr/card", schema_type, False


def info_in(data: Any, doc_type: str) -> dict:
    """The one document's info, whatever the shape of the endpoint's data."""
    if isinstance(data, list):
        return dict(data[0]["info"])
    if "info" in data:
        return dict(data["info"])
    return dict(data[doc_type][0]["info"])


@pytest.mark.parametrize("schema_type", sorted(t.removeprefix("info_") for t in INFO if t.startswith("info_")))
def test_every_declared_field_is_generated_and_boxes_lie_inside_the_image(api: Api, schema_type: str) -> None:
    path, doc_type, pdf = reader_of(schema_type)
    properties = INFO[f"info_{schema_type}"]["properties"]
    images_declared = {
        n for n, p in properties.items() if p in ({"$ref": "#/$defs/image"}, {"$ref": "#/$defs/image_list"})
    }
    declared = set(properties) - {"image"}
    seen: set[str] = set()
    for n, size in enumerate([(640, 400), (1280, 808), (300, 190), (1000, 1400)]):
        # a document over four pages, so every page image a document may carry is there
        pages = images.pdf([images.document(doc_type, seed=f"s{n}")] * 4, size=size)
        card = images.scenario_image(documents=[images.document(doc_type, seed=f"s{n}")], size=size)
        upload = pages if pdf else card
        body = api.post(f"{path}?format_type=base64&get_thumb=true", json={"img": to_base64(upload)})
        info = info_in(body.get_json()["data"], doc_type)
        seen |= set(info)
        for name, box in info.items():
            if name.endswith("_box"):
                left, top, right, bottom = box
                assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1], (name, box, size)
    assert declared - seen == set(), doc_type
    assert images_declared and images_declared <= seen


def test_boxes_sit_where_the_field_is_printed(api: Api) -> None:
    card = images.scenario_image(documents=[images.document("chip_id_card_front")], size=(1000, 630))
    info = api.post("/api/v2/ekyc/card?format_type=base64", json={"img": to_base64(card)}).get_json()["data"]["info"]
    assert info["id_box"][1] < info["name_box"][1] < info["dob_box"][1] < info["address_box"][1]  # top to bottom
    assert info["gender_box"][1] == info["nationality_box"][1] and info["gender_box"][2] < info["nationality_box"][0]
    assert info["id_box"][0] > 300  # right of the photo


def test_passport_has_every_confidence_and_box_and_the_vendor_spelling_on_request() -> None:
    card = images.id_card("passport")
    info = (
        Api(create_app({"TESTING": True}).test_client())
        .post("/api/v2/ekyc/card?format_type=base64", json={"img": to_base64(card)})
        .get_json()["data"]["info"]
    )
    for name in ("issue_date_confidence", "issued_at_confidence", "place_of_birth_confidence", "person_number_box"):
        assert name in info
    vendor = Api(create_app({"TESTING": True, "DIALECT_SET": {"ocr.passport_spelling": "vendor"}}).test_client())
    spelled = vendor.post("/api/v2/ekyc/card?format_type=base64", json={"img": to_base64(card)}).get_json()
    assert {"Person_number_box", "mrz_confindence"} <= set(spelled["data"]["info"])
    assert not {"person_number_box", "mrz_confidence"} & set(spelled["data"]["info"])


def test_issue_windows_are_the_card_generations() -> None:
    assert ISSUE_WINDOWS["chip_id_card"][0] == dt.date(2021, 1, 1)
    assert ISSUE_WINDOWS["12_id_card"][0].year == 2016 and ISSUE_WINDOWS["9_id_card"][1].year == 2020
    assert json.dumps(sorted(ISSUE_WINDOWS)) == json.dumps(sorted(ISSUE_WINDOWS))
