"""Each dialect's strict schemas pin what that dialect pins, so ``assert_conforms(...,
dialect=...)`` tells dialects apart: the date separator and the misprinted messages."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest

from cvs_testkit import images
from cvs_testkit.contract import validate
from mockserver import create_app

AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}


def answer(dialect: str, path: str, **data: Any) -> Any:
    client = create_app({"TESTING": True, "DIALECT": dialect}).test_client()
    return client.post(path, data=data, headers=AUTH).get_json()


def card_answer(dialect: str) -> Any:
    front = images.id_card("chip_id_card_front", dob="23/08/1970")
    return answer(dialect, "/api/v2/ekyc/card?format_type=file", img=(io.BytesIO(front), "front.png"))


@pytest.mark.parametrize(("spoken", "other"), [("default", "docs"), ("docs", "default")])
def test_a_dialects_dates_pass_its_own_schemas_and_fail_the_others(spoken: str, other: str) -> None:
    body = card_answer(spoken)
    assert validate(body, "/api/v2/ekyc/card", "POST", dialect=spoken) == []
    refused = validate(body, "/api/v2/ekyc/card", "POST", dialect=other)
    assert "/data/info/dob" in {p.path for p in refused}


@pytest.mark.parametrize(("spoken", "other"), [("default", "docs"), ("docs", "default")])
def test_a_misprinted_message_passes_its_own_dialect_only(spoken: str, other: str) -> None:
    body = answer(spoken, "/api/v2/ekyc/card?format_type=base64")  # no JSON body: errorCode 6 or 3
    wrong_mode = answer(spoken, "/api/v2/ekyc/card?format_type=url", img=(io.BytesIO(b"x"), "x.png"))
    assert wrong_mode["errorMessage"] == ("ncorrect format type" if spoken == "docs" else "Incorrect format type")
    assert validate(wrong_mode, "/api/v2/ekyc/card", "POST", dialect=spoken) == []
    assert {p.path for p in validate(wrong_mode, "/api/v2/ekyc/card", "POST", dialect=other)} == {"/errorMessage"}
    assert body["errorCode"]
