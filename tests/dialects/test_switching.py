"""Everywhere a user configures the dialect: create_app, the admin API, cvs-mock serve, the
pytest marker and run option; and the conformance run that reports it back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from cvs_testkit.conformance import Runner, WsgiSender
from cvs_testkit.fake import DEMO
from mockserver import create_app
from mockserver.contract.dialects import DialectError
from tests.conftest import Api
from tests.live.helpers import cvs_mock_process

UNREACHABLE = "/api/v2/ekyc/card?img=https://x.invalid/a.jpg"
FACES = "/api/v2/face_search/images"


def test_create_app_takes_a_name_a_file_a_mapping_and_settings(tmp_path: Path) -> None:
    dialect_file = tmp_path / "calibrated.toml"
    dialect_file.write_text('name = "calibrated"\n[options]\n"ocr.error_code" = "integer"\n', encoding="utf-8")
    for spec in ("alternate", str(dialect_file), {"options": {"ocr.error_code": "integer"}}):
        api = Api(create_app({"TESTING": True, "DIALECT": spec}).test_client())
        assert api.get(UNREACHABLE).get_json()["errorCode"] == 2, spec
    api = Api(create_app({"TESTING": True, "DIALECT_SET": {"errors.data": "null"}}).test_client())
    assert api.get(UNREACHABLE).get_json() == {"errorCode": "2", "errorMessage": "Url is unavailable", "data": None}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"DIALECT": "nope"}, "no dialect 'nope': give one of alternate, alternate-2, default, docs, php-ekyc"),
        ({"DIALECT_SET": {"ocr.valid": "maybe"}}, "ocr.valid takes boolean, string, not 'maybe'"),
        ({"DIALECT_SET": {"ocr.colour": "red"}}, "no dialect option 'ocr.colour'; known: errors.data"),
    ],
)
def test_a_bad_dialect_is_refused_naming_what_is_known(config: dict, message: str) -> None:
    with pytest.raises(DialectError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create_app({"TESTING": True, **config})


def test_admin_api_switches_at_run_time_and_reset_returns(api: Api) -> None:
    assert api.client.get("/__mock__/dialect").get_json()["name"] == "default"
    switched = api.client.put("/__mock__/dialect", json={"dialect": "docs", "options": {"face_search.keys": "v1"}})
    assert switched.status_code == 200
    assert switched.get_json()["changed"]["face_search.keys"] == "v1"
    assert set(api.get(FACES).get_json()) == {"result", "errorCode", "error_message"}
    assert api.get("/api/v2/ekyc/card?img=https://a.vn/x.jpg").get_json()["data"]["info"]["dob"].count("/") == 2
    api.client.post("/__mock__/reset")
    assert set(api.get(FACES).get_json()) == {"result", "status_code", "message"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"dialect": "nope"}, "no dialect 'nope'; known: alternate, alternate-2, default, docs, php-ekyc"),
        ({"options": {"messages": "shouting"}}, "messages takes fixed, verbatim, not 'shouting'"),
        ({"options": ["messages"]}, 'send {"dialect": NAME} and/or {"options": {OPTION: VALUE}}'),
    ],
)
def test_admin_api_refuses_a_bad_dialect(api: Api, body: dict, error: str) -> None:
    refused = api.client.put("/__mock__/dialect", json=body)
    assert refused.status_code == 400 and refused.get_json() == {"error": error}
    assert api.client.get("/__mock__/dialect").get_json()["name"] == "default"


def test_fixture_helpers_switch_the_dialect(cvs_mock) -> None:
    cvs_mock.use_dialect(**{"ocr.error_code": "integer"})
    body = requests.get(cvs_mock.url(UNREACHABLE), auth=DEMO.auth, timeout=10).json()
    assert body["errorCode"] == 2 and cvs_mock.dialect()["changed"] == {"ocr.error_code": "integer"}


@pytest.mark.cvs_dialect("alternate-2")
def test_the_marker_makes_the_fixtures_speak_a_dialect(cvs_mock, cvs_httpx) -> None:
    assert requests.get(cvs_mock.url(UNREACHABLE), auth=DEMO.auth, timeout=10).json()["data"] == []
    with cvs_httpx.client() as client:
        assert client.get(UNREACHABLE).json()["data"] == []


@pytest.mark.cvs_dialect(options={"face_search.keys": "v1"})
def test_the_marker_takes_options_alone(cvs_server) -> None:
    body = requests.get(cvs_server.url(FACES), auth=DEMO.auth, timeout=10).json()
    assert set(body) == {"result", "errorCode", "error_message"}


def test_serve_loads_a_dialect_file_and_settings(tmp_path: Path) -> None:
    dialect_file = tmp_path / "d.json"
    dialect_file.write_text(json.dumps({"name": "mine", "options": {"ocr.error_code": "integer"}}), encoding="utf-8")
    with cvs_mock_process("--dialect", str(dialect_file), "--set", "errors.data=empty_list") as (base, _):
        body = requests.get(base + UNREACHABLE, auth=DEMO.auth, timeout=10).json()
        spoken = requests.get(base + "/__mock__/dialect", timeout=10).json()
    assert body == {"errorCode": 2, "errorMessage": "Url is unavailable", "data": []}
    assert spoken["name"] == "mine+errors.data=empty_list"


def test_serve_refuses_a_bad_dialect_with_exit_2() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", "--set", "ocr.valid"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "cvs-mock: --set takes OPTION=VALUE, not 'ocr.valid'"


@pytest.mark.parametrize("name", ["alternate", "alternate-2", "docs", "php-ekyc", "default"])
def test_conformance_reports_back_the_dialect_the_fake_speaks(name: str, tmp_path: Path) -> None:
    from cvs_testkit.conformance.calibrate import write_dialect
    from mockserver.contract.dialects import resolve_dialect
    from mockserver.contract.loading import load_contract

    table = load_contract().dialects
    runner = Runner(WsgiSender(create_app({"DIALECT": name})), DEMO)
    report = runner.run()
    spoken = resolve_dialect(table, name).as_dict()
    observed = {k: v for k, v in report.dialect.items() if v is not None}
    # every option shows in the battery but the passport spelling (no passport sample) and
    # a shuffled order (indistinguishable from one fixed order in one answer)
    assert set(table["options"]) - set(observed) == {"ocr.passport_spelling"}
    assert {k: v for k, v in observed.items() if k != "ocr.item_order"} == {
        k: v for k, v in spoken.items() if k in observed and k != "ocr.item_order"
    }
    if spoken["ocr.item_order"] != "shuffle":
        assert observed["ocr.item_order"] == spoken["ocr.item_order"]
    written = tmp_path / "calibrated.json"
    write_dialect(report.dialect, written, "http://conformance.local")
    replayed = resolve_dialect(table, str(written)).as_dict()
    assert {k: replayed[k] for k in observed} == observed
