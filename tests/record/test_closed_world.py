"""Closed-world scrubbing, tried as an attacker would: a stand-in upstream answers with
invented people in shapes no detector knows (names outside any list, numbers in every layout,
encodings, JSON in a string) and in every position (messages, object keys, numbers, URL hosts
and query names, request paths, header parameters). One real ``cvs-mock proxy --record`` keeps
none of them, in the cassette or in its log, because only what the contract proves impersonal
is kept: catalogue messages beside their code, enumerated values, scores and boxes."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
import yaml
from flask import Flask, Response, jsonify

from mockserver.generation.people import unaccent
from mockserver.recording.check import check_document
from mockserver.recording.scrub import Scrubber
from mockserver.server import MockServer
from tests.live.helpers import cvs_mock_process, printed

NAMES = ["H'Hen Niê", "Ksor Y Phôn", "JOHN MICHAEL SMITH", "Khiếu Thị Hạnh", "Điểu Thị Hoa"]
NUMBERS = [
    "0071001234567",  # bank account
    "1012345678",  # bank account
    "0312345678",  # tax number
    "84903123456",  # phone without a plus
    "(028) 3823 4567",  # landline
    "51F-123.45",  # plate
    "9704 3660 1234 5678",  # card
    "285 123 456",  # old 9-digit id with spaces
    "PA1234567",  # passport
]
DATES = ["ngày 05 tháng 07 năm 2001", "20010705", "July 5, 2001"]
ENCODED = [
    unicodedata.normalize("NFD", "Nguyễn Văn Khải"),
    "Nguyễn\u00a0Văn\u00a0Khải",
    "Nguy&#7877;n V&#259;n Kh&#7843;i",
    "Nguy\\u1ec5n V\\u0103n Kh\\u1ea3i",
    quote("Nguyễn Văn Khải"),
    quote(quote("Nguyễn Văn Khải")),
    "NGUYEN_VAN_KHAI",
    "oanh [at] gmail [dot] com",
    "thôn Buôn Đôn, xã Krông Na",
]
PLANTED = [*NAMES, *NUMBERS, *DATES, *ENCODED]
STRINGIFIED = json.dumps({"hoTen": "Khiếu Thị Hạnh", "soTK": "0071001234567"}, ensure_ascii=False)
HOST = "hhen-nie-2001.s3.amazonaws.com"


def upstream_app() -> Flask:
    """Answers every request with the planted values in every position an answer has."""
    app = Flask("planted-upstream")

    @app.route("/<path:anything>", methods=["GET", "POST", "PUT", "DELETE"])
    def answer(anything: str) -> Response:
        if anything.startswith("api/v2/face_search"):
            body: dict[str, Any] = {
                "status_code": 0,
                "message": "Success · " + NAMES[0],  # not the catalogue's message: replaced
                "result": [
                    {
                        "id": 84903123456,
                        "url": f"https://{HOST}/customers/{quote(NAMES[1])}.jpg?{quote(NAMES[2])}&so={NUMBERS[0]}",
                        "metadata": {name: number for name, number in zip(NAMES, NUMBERS, strict=False)}
                        | {"note": STRINGIFIED, "phone": 84903123456.0},
                    }
                ],
            }
        else:
            body = {
                "errorCode": "3",
                "errorMessage": " ".join(PLANTED[: len(PLANTED) // 2]),
                "data": [{"type": "chip_id_card_front", "info": {"name": NAMES[3]}, "invalidMessage": " ".join(DATES)}],
                ENCODED[6]: ENCODED[:6],  # an undeclared key that spells a name
            }
        response = jsonify(body)
        response.headers["Content-Type"] = f'application/json; name="{unaccent(NAMES[0])}_{NUMBERS[0]}.json"'
        response.headers["X-CVS-Mock-Trigger"] = f"forced:{quote(NAMES[4])}"  # a header is Latin-1
        return response

    return app


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The cassette's text and the recorder's log, after one request of each shape."""
    folder = tmp_path_factory.mktemp("closed")
    with MockServer(upstream_app()) as upstream:
        args = ("--upstream", upstream.base_url, "--record", str(folder), "--cassette", "planted")
        with cvs_mock_process(*args, command="proxy") as (proxy, proc):
            auth = ("demo", "p@55w0rd")
            for path in (
                f"/api/v2/ekyc/card?format_type=url&img=https://{HOST}/{NUMBERS[0]}.jpg&hoTen={quote(NAMES[0])}",
                f"/api/v2/ekyc/card?format_type=url&img=https://{HOST}/a.jpg&{quote(NAMES[2])}",
                f"/images/{NUMBERS[0]}/{quote(NAMES[1])}",
                "/api/v2/face_search/images?limit=5&offset=0",
            ):
                requests.get(proxy + path, auth=auth, timeout=30)
            requests.post(
                proxy + "/api/v2/face_search/images",
                auth=auth,
                json={"image": {"base64": "aGVsbG8=", "metadata": {NAMES[4]: NUMBERS[3]}}, "label": NAMES[3]},
                timeout=30,
            )
    text = (folder / "planted.yaml").read_text(encoding="utf-8")
    yield text, printed(proc)


def spellings(value: str) -> set[str]:
    """The forms a value could be found in: as written, accents dropped, any case, JSON-escaped."""
    forms = {value, unaccent(value), value.upper(), unaccent(value).upper(), value.lower(), unaccent(value).lower()}
    forms |= {json.dumps(form)[1:-1] for form in list(forms)}
    return {form for form in forms if len(form) >= 6}


@pytest.mark.parametrize("value", [*PLANTED, HOST, STRINGIFIED], ids=lambda v: v[:24])
def test_no_planted_value_survives_in_the_cassette_or_the_log(recorded: tuple[str, str], value: str) -> None:
    text, log = recorded
    for form in spellings(value):
        assert form not in text, form
        assert form not in log, form


def test_the_leak_check_passes_the_cassette_the_proxy_wrote(recorded: tuple[str, str]) -> None:
    text, _ = recorded
    assert check_document(yaml.safe_load(text), "planted.yaml") == []


def test_digits_of_the_planted_numbers_survive_in_no_layout(recorded: tuple[str, str]) -> None:
    text, _ = recorded
    squeezed = "".join(c for c in text if c.isdigit())
    for number in NUMBERS:
        digits = "".join(c for c in number if c.isdigit())
        assert digits not in squeezed, number


def test_what_the_contract_proves_impersonal_is_kept(recorded: tuple[str, str]) -> None:
    text, _ = recorded
    document = yaml.safe_load(text)
    answers = [json.loads(i["response"]["body"]["string"]) for i in document["interactions"]]
    card = answers[0]
    assert card["errorCode"] == "3" and card["data"][0]["type"] == "chip_id_card_front"
    headers = document["interactions"][0]["response"]["headers"]
    assert headers["Content-Type"] == ["application/json"]  # the media type alone
    assert "X-CVS-Mock-Trigger" not in headers  # not one of the fake's own words
    listed = answers[3]["result"][0]
    assert listed["url"].startswith("https://h") and ".invalid/" in listed["url"]
    assert isinstance(listed["id"], int) and listed["id"] != 84903123456


def test_a_catalogue_message_is_kept_only_beside_its_own_code() -> None:
    scrubber = Scrubber()
    schema = "ocr_card_response.json"
    kept = scrubber.answer({"errorCode": "2", "errorMessage": "Url is unavailable", "data": []}, schema)
    assert kept["errorMessage"] == "Url is unavailable"
    beside_another = scrubber.answer({"errorCode": "0", "errorMessage": "Url is unavailable", "data": []}, schema)
    assert beside_another["errorMessage"] == "Url is unavailable"  # still a message the contract spells
    invented = scrubber.answer({"errorCode": "2", "errorMessage": "Url of Ksor Y Phôn is unavailable"}, schema)
    assert "Ksor" not in invented["errorMessage"] and "Phôn" not in invented["errorMessage"]


def test_request_fields_are_scrubbed_against_the_requests_own_schema() -> None:
    scrubber = Scrubber()
    body = {"image": {"base64": "x", "metadata": {}}, "label": "Khiếu Thị Hạnh", "type": "Ksor Y Phôn"}
    scrubbed = scrubber.request_body(body, "face_search_add")
    assert "label" not in scrubbed and "type" not in scrubbed  # answer fields, not this request's
    assert "Khiếu" not in json.dumps(scrubbed, ensure_ascii=False) and "Ksor" not in json.dumps(scrubbed)


def test_the_same_undeclared_key_gets_the_same_placeholder_throughout_a_recording() -> None:
    scrubber = Scrubber()
    first = scrubber.answer({"result": [{"metadata": {"hoTen": "A", "soCCCD": 1}}]}, "face_search_list_response.json")
    second = scrubber.answer({"result": [{"metadata": {"hoTen": "B"}}]}, "face_search_list_response.json")
    keys = list(first["result"][0]["metadata"])
    assert keys[0] == list(second["result"][0]["metadata"])[0] and keys[0] != keys[1]
    assert "hoTen" not in keys and all(k.startswith("k") and len(k) == 13 for k in keys)
