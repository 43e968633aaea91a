"""Hostile cassettes: alias bombs, oversized and malformed files are refused with one message
naming file, interaction and problem — ``serve --replay`` exits 2 with it, ``PUT
/__mock__/replay`` answers 400 — and a cassette named in any script replays with valid headers."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import requests
import yaml

from mockserver import create_app
from mockserver.recording.persister import MAX_CASSETTE_BYTES
from mockserver.recording.scrub import image_digest
from mockserver.server import MockServer

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
    f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n"
    for n in range(8)
)


def interaction(status: object = 200, body: object = '{"errorCode": "0", "errorMessage": "Success"}') -> dict:
    return {
        "request": {
            "method": "GET",
            "uri": "https://api.example.vn/api/v2/ekyc/card?img=x",
            "headers": {"X-Cvs-Input-Mode": ["url"], "X-Cvs-Image-Sha256": [image_digest(b"x")]},
        },  # fmt: skip
        "response": {"status": {"code": status, "message": ""}, "body": {"string": body}, "headers": {}},
    }


CASES = {
    "alias bomb": (BOMB, "line 1: YAML anchors and aliases are refused"),
    "not a mapping": ("- just\n- a list\n", "a cassette is a mapping with a list of interactions"),
    "a rejected tag": ("interactions: !!python/object:os.system [ls]\n", "not a usable YAML cassette: could not determine a constructor"),  # noqa: E501
    "not YAML": ("interactions: [unclosed\n", "not a usable YAML cassette: while parsing a flow sequence"),
    "an interaction that is text": (yaml.safe_dump({"interactions": ["hello"]}), "interaction 0: the interaction must be a mapping"),  # noqa: E501
    "no response": (yaml.safe_dump({"interactions": [{"request": interaction()["request"]}]}), "interaction 0: missing 'response'"),  # noqa: E501
    "a method that is a number": (
        yaml.safe_dump({"interactions": [{**interaction(), "request": {**interaction()["request"], "method": 7}}]}),
        "interaction 0: request.method and request.uri must be text",
    ),
    **{
        f"status {code}": (
            yaml.safe_dump({"interactions": [interaction(), interaction(code)]}),
            f"interaction 1: response.status.code must be an HTTP status from 100 to 599, not {code!r}",
        )
        for code in (0, 99, 1000, -1, "200")
    },
    "a body nested too deep": (
        yaml.safe_dump({"interactions": [interaction(body="[" * 5000 + "]" * 5000)]}),
        "interaction 0: response.body.string is JSON nested deeper than 64 levels",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("text", "message"), CASES.values(), ids=list(CASES))
def test_serve_replay_refuses_a_bad_cassette_with_exit_2_and_one_message(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", "--replay", str(path)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith(f"cvs-mock: {path}: ") and message in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("text", "message"), CASES.values(), ids=list(CASES))
def test_put_replay_refuses_a_bad_cassette_with_400_in_the_admin_shape(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    client = create_app({"TESTING": True}).test_client()
    answer = client.put("/__mock__/replay", json={"cassettes": [str(path)]})
    assert answer.status_code == 400 and list(answer.get_json()) == ["error"]
    assert answer.get_json()["error"].startswith(f"{path}: ") and message in answer.get_json()["error"]


def test_a_cassette_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:
        out.truncate(MAX_CASSETTE_BYTES + 1)  # sparse: nothing is written, nothing need be read
    answer = create_app({"TESTING": True}).test_client().put("/__mock__/replay", json={"cassettes": [str(path)]})
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": f"{path}: {MAX_CASSETTE_BYTES + 1} bytes, over the {MAX_CASSETTE_BYTES}-byte limit for a cassette"
    }


def test_a_cassette_named_in_vietnamese_replays_with_a_percent_encoded_trigger(tmp_path: Path) -> None:
    name = "hồ_sơ_khách_hàng"
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump({"interactions": [interaction()]}), encoding="utf-8")
    with MockServer(create_app({"REPLAY": str(tmp_path)})) as fake:
        answer = requests.get(fake.base_url + "/api/v2/ekyc/card?img=x", auth=("demo", "p@55w0rd"), timeout=10)
        journal = requests.get(fake.base_url + "/__mock__/journal", timeout=10).json()["entries"]
    assert answer.status_code == 200 and answer.json() == json.loads(interaction()["response"]["body"]["string"])
    header = answer.headers["X-CVS-Mock-Trigger"]
    assert header == "replay:" + urllib.parse.quote(name) + "#0" and header.isascii()
    assert urllib.parse.unquote(header) == f"replay:{name}#0" == journal[-1]["trigger"]
