"""Tests of the onboarding client, as an integrating team writes them with cvs-testkit."""

from __future__ import annotations

import datetime as dt

import pytest
from ekyc_onboarding import BadImage, EkycClient, NotSamePerson, QuotaExhausted, ServiceUnavailable
from ekyc_onboarding.client import parse_card
from hypothesis import HealthCheck, given, settings

from cvs_testkit import images
from cvs_testkit import strategies as cvs

FRONT = images.id_card("chip_id_card_front", identity="thu", name="ĐINH THỊ THU", id="001301005678", dob="14/02/2001")
BACK = images.id_card("chip_id_card_back")
SELFIE = images.portrait("thu")


@pytest.fixture
def client(cvs_mock) -> EkycClient:
    return EkycClient(cvs_mock.base_url, *cvs_mock.credentials.auth)


def test_onboards_a_customer(client, cvs_mock) -> None:
    result = client.onboard(FRONT, BACK, SELFIE)
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
    with pytest.raises(NotSamePerson):
        client.onboard(FRONT, BACK, images.portrait("ke-gia-mao"))


@pytest.mark.parametrize("warning", [7, 9, 10])
def test_face_warnings_explain_a_failed_match(client, warning: int) -> None:
    with pytest.raises(NotSamePerson) as caught:
        client.match(FRONT, images.portrait("thu", face_warning=warning, similarity=60))
    assert caught.value.code == str(warning)


@pytest.mark.parametrize("picture", [images.corrupt_image(), images.blank_image(), images.no_document()])
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
    assert len([e for e in cvs_mock.journal if e["flow"] == "ocr"]) == 3


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
