"""Tests of the onboarding client, as an integrating team writes them with cvs-testkit."""

from __future__ import annotations

import datetime as dt

import pytest
from ekyc_onboarding import BadImage, EkycClient, NotLive, NotSamePerson, QuotaExhausted, ServiceUnavailable
from ekyc_onboarding.client import parse_card
from hypothesis import HealthCheck, given, settings

from cvs_testkit import images
from cvs_testkit import strategies as cvs

FRONT = images.id_card("chip_id_card_front", identity="thu", name="ĐINH THỊ THU", id="001301005678", dob="14/02/2001")
BACK = images.id_card("chip_id_card_back")
SELFIE = images.portrait("thu")
LEFT, RIGHT = images.portrait("thu", pose="portrait_left"), images.portrait("thu", pose="portrait_right")


@pytest.fixture
def client(cvs_mock) -> EkycClient:
    return EkycClient(cvs_mock.base_url, *cvs_mock.credentials.auth)


def test_onboards_a_customer(client, cvs_mock) -> None:
    result = client.onboard(FRONT, BACK, SELFIE, turned_left=LEFT, turned_right=RIGHT)
    assert (result.id_number, result.full_name) == ("001301005678", "ĐINH THỊ THU")
    assert result.date_of_birth == dt.date(2001, 2, 14)
    assert result.similarity > 75 and result.face_id >= 1
    assert result.avatar_url.startswith(cvs_mock.base_url)


def test_works_whatever_the_order_of_the_card_items(cvs_mock) -> None:
    from cvs_testkit.transports import CVSMock
    from mockserver import create_app

    with CVSMock(create_app({"TESTING": True, "ITEM_ORDER": "input"})) as fake:
        card = EkycClient(fake.base_url, *fake.credentials.auth).read_card(FRONT, BACK)
    assert card["name"] == "ĐINH THỊ THU"


def test_a_different_person_is_refused(client) -> None:
    impostor = images.liveness_shots("ke-gia-mao")
    with pytest.raises(NotSamePerson):  # one live person, but not the card's
        client.onboard(
            FRONT,
            BACK,
            impostor["portrait_mid"],
            turned_left=impostor["portrait_left"],
            turned_right=impostor["portrait_right"],
        )


def test_liveness_sits_between_the_card_and_the_face_match(client, cvs_mock) -> None:
    with pytest.raises(NotLive):
        client.onboard(FRONT, BACK, SELFIE, turned_left=LEFT, turned_right=images.portrait("ke-gia-mao"))
    assert [e["endpoint"] for e in cvs_mock.requests()] == ["ekyc/cards", "ekyc/verify_liveness"]  # no match, no enrol
    assert cvs_mock.count(endpoint="face_search/add") == 0


LIVENESS_CASES = {
    "1": ("mid", {"mid": images.no_face()}),
    "2": ("left", {"left": images.no_face()}),
    "3": ("right", {"right": images.blank_image()}),
    "4": ("left", {"left": images.portrait("nguoi-khac", pose="portrait_left")}),
    "5": ("right", {"right": images.portrait("nguoi-khac", pose="portrait_right")}),
    "6": ("mid", {"mid": images.portrait("thu", spoof="screen")}),
    "7": ("left", {"left": images.portrait("thu", pose="portrait_left", spoof="printed_photo")}),
    "8": ("right", {"right": images.portrait("thu", pose="portrait_right", spoof="eyes_closed")}),
}


@pytest.mark.parametrize("code", sorted(LIVENESS_CASES))
def test_each_liveness_warning_asks_for_the_right_shot_again(client, code: str) -> None:
    retake, replaced = LIVENESS_CASES[code]
    shots = images.liveness_shots("thu", **replaced)
    with pytest.raises(NotLive) as caught:
        client.check_liveness(shots["portrait_left"], shots["portrait_mid"], shots["portrait_right"])
    assert (caught.value.code, caught.value.retake) == (code, retake)


@pytest.mark.parametrize("code", range(1, 9))
def test_a_pinned_liveness_warning_is_refused_whatever_the_shots(client, code: int) -> None:
    with pytest.raises(NotLive) as caught:
        client.check_liveness(LEFT, images.portrait("thu", liveness_warning=code), RIGHT)
    assert caught.value.code == str(code)


def test_a_live_customer_reads_in_either_type_reading(cvs_mock) -> None:
    from cvs_testkit.transports import CVSMock
    from mockserver import create_app

    with CVSMock(create_app({"TESTING": True, "DIALECT_SET": {"liveness.types": "native"}})) as fake:
        similarity = EkycClient(fake.base_url, *fake.credentials.auth).check_liveness(LEFT, SELFIE, RIGHT)
    assert similarity > 75


@pytest.mark.parametrize("warning", [7, 9, 10])
def test_face_warnings_explain_a_failed_match(client, warning: int) -> None:
    with pytest.raises(NotSamePerson) as caught:
        client.match(FRONT, images.portrait("thu", face_warning=warning, similarity=60))
    assert caught.value.code == str(warning)


@pytest.mark.parametrize(
    "picture",
    [images.corrupt_image(), images.blank_image(), images.no_document()],
    ids=["corrupt", "blank", "no-document"],
)
def test_bad_card_images(client, picture: bytes) -> None:
    with pytest.raises(BadImage):
        client.read_card(picture, BACK)


def test_screen_photo_of_a_card_is_rejected(client) -> None:
    with pytest.raises(BadImage, match="electronic screen"):
        client.read_card(images.id_card("chip_id_card_front", invalid_code=1), BACK)


def test_quota_exhaustion_stops_onboarding(cvs_mock) -> None:
    credentials = cvs_mock.add_key("ngan-hang-thu", "bi-mat", quota=2)
    limited = EkycClient(cvs_mock.base_url, *credentials.auth)
    limited.read_card(FRONT, BACK)
    limited.match(FRONT, SELFIE)
    with pytest.raises(QuotaExhausted):
        limited.enrol(SELFIE, {})
    assert cvs_mock.billable("ngan-hang-thu") == 2


@pytest.mark.parametrize(
    "fault", [{"fault": "drop"}, {"fault": "gateway", "status": 503}, {"fault": "non_json"}, {"fault": "truncate"}]
)
def test_transient_faults_are_retried_without_double_billing(client, cvs_mock, fault: dict) -> None:
    cvs_mock.force("ocr", count=2, **fault)
    assert client.read_card(FRONT, BACK)["name"] == "ĐINH THỊ THU"
    assert cvs_mock.billable() == 1
    assert cvs_mock.count(flow="ocr") == 3


def test_gives_up_after_its_retries(client, cvs_mock) -> None:
    cvs_mock.force("face_search", count=5, fault="gateway", status=502)
    with pytest.raises(ServiceUnavailable):
        client.enrol(SELFIE, {})
    assert cvs_mock.billable() == 0


@pytest.mark.cvs_fake_only
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=cvs.from_contract("ekyc_cards_upload", reading="tolerant"))
def test_parser_survives_every_answer_the_contract_allows(client, cvs_mock, body: dict) -> None:
    cvs_mock.force("ocr", body=body)
    try:
        card = client.read_card(FRONT, BACK)
    except (BadImage, QuotaExhausted) as refused:
        assert refused.code is None or str(refused.code) != "0"
    except Exception as other:  # any other outcome must be one of the client's own errors
        assert type(other).__module__.startswith("ekyc_onboarding"), repr(other)
    else:
        assert card == parse_card(body) and card["id"]
