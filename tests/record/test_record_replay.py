"""Record real answers through the proxy, scrubbed; replay them through every way in."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from cvs_testkit import images
from cvs_testkit.contract import contract, problems_for_schema
from cvs_testkit.fake import DEMO
from mockserver import create_app
from mockserver.generation.people import unaccent
from mockserver.proxy import create_proxy_app
from mockserver.recording.recorder import Recorder
from mockserver.recording.replayer import Replayer, load
from mockserver.recording.request import describe
from mockserver.recording.scrub import Scrubber
from mockserver.server import MockServer
from mockserver.state.positions import LocalPositions

PLANTED_NAME, PLANTED_ID = "PHẠM THỊ KIỀU OANH", "079301004567"
FRONT = images.id_card("chip_id_card_front", name=PLANTED_NAME, id=PLANTED_ID, dob="05/07/2001", identity="oanh")
BACK = images.id_card("chip_id_card_back")
PASSPORT = images.id_card("passport", name="VÕ MINH KHÔI")
SELFIE = images.portrait("oanh")
METADATA = {"hoTen": PLANTED_NAME, "soCCCD": PLANTED_ID, "sdt": "0912 345 678", "email": "oanh.pham@gmail.com"}
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/v2/ekyc/cards?format_type=file&get_thumb=true", {"files": {"img1": FRONT, "img2": BACK}}),
    ("POST", "/api/v2/ekyc/card?format_type=base64", {"json": {"img": images.to_base64(PASSPORT)}}),
    (
        "POST",
        "/api/v2/ekyc/face_matching?format_type=base64",
        {"json": {"img1": images.to_base64(FRONT), "img2": images.to_base64(SELFIE)}},
    ),
    (
        "POST",
        "/api/v2/face_search/images",
        {"json": {"image": {"base64": images.to_base64(SELFIE), "metadata": METADATA}}},
    ),
    ("GET", "/api/v2/face_search/images", {}),
    ("GET", "/api/v2/ocr/document/business_registration?img=https://cdn.example.vn/dkkd.jpg", {}),
]


def call(base: str, method: str, path: str, kwargs: dict[str, Any]) -> requests.Response:
    files = {k: (f"{k}.png", v) for k, v in kwargs.get("files", {}).items()} or None
    return requests.request(method, base + path, json=kwargs.get("json"), files=files, auth=DEMO.auth, timeout=30)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, list[dict[str, Any]]]]:
    """A recording through the proxy; yields the folder, the upstream and what the client got."""
    folder = tmp_path_factory.mktemp("cassettes")
    with MockServer(create_app({"TESTING": True})) as upstream:
        proxy_app = create_proxy_app(upstream.base_url, record=Recorder(folder, "onboarding"))
        with MockServer(proxy_app) as proxy:
            got = [call(proxy.base_url, m, p, k).json() for m, p, k in CALLS]
        yield folder, upstream.base_url, got


def personal_values(answers: list[dict[str, Any]]) -> set[str]:
    """The personal data the upstream answered with: what must not land in the cassette."""
    found = {PLANTED_NAME, PLANTED_ID, *METADATA.values(), "05-07-2001"}
    personal = ("name", "id", "person_number", "number_of_idcard", "document_number", "dob", "address", "hometown",
                "full_name", "face1", "face2", "image", "representative_name",
                "household_address", "representative_address", "father_name", "mother_name")  # fmt: skip

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in personal and isinstance(value, str) and len(value) >= 6:
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(answers)  # a family name alone (sur_name) is shared by millions: the full names are searched
    return found


def forms(value: str) -> list[bytes]:
    raw = value.encode()
    return [raw, base64.b64encode(raw), urllib.parse.quote(value).encode(), json.dumps(value).encode()]


def test_no_planted_personal_value_or_image_byte_lands_in_the_cassette(recording: Any) -> None:
    folder, _, got = recording
    stored = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    for value in personal_values(got):
        for form in forms(value):
            assert form not in stored, value[:40]
    for picture in (FRONT, BACK, PASSPORT, SELFIE):
        for form in (
            picture[16:80],
            base64.b64encode(picture)[8:72],
            urllib.parse.quote(base64.b64encode(picture)[8:72]).encode(),
        ):
            assert form not in stored
    text = stored.decode()
    assert "Authorization" not in text and "p@55w0rd" not in text and "ZGVtbzpw" not in text


def cassette(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / "onboarding.yaml").read_text(encoding="utf-8"))
    return data


def test_scrubbed_answers_validate_and_one_person_still_agrees(recording: Any) -> None:
    folder, _, _ = recording
    interactions = cassette(folder)["interactions"]
    assert len(interactions) == len(CALLS)
    for (method, path, _), item in zip(CALLS, interactions, strict=True):
        body = json.loads(item["response"]["body"]["string"])
        op = contract().operation(path.split("?")[0], method)
        assert problems_for_schema(body, op.schema, "strict") == [], path
    back, front = (i["info"] for i in json.loads(interactions[0]["response"]["body"]["string"])["data"])
    assert back["person_number"] == front["id"] != PLANTED_ID and back["document_number"] == front["id"][-9:]
    assert f"{back['sur_name']} {back['given_name']}" == unaccent(front["name"]).upper()
    assert back["dob"] == front["dob"] and front["dob"].endswith("2001") and front["gender"] == "Nữ"
    request = interactions[0]["request"]
    assert request["headers"]["X-Cvs-Input-Mode"] == ["file"]
    digests = request["headers"]["X-Cvs-Image-Sha256"][0].split()
    assert [re.fullmatch(r"hmac-sha256:[0-9a-f]{32}", d) is not None for d in digests] == [True, True]
    scrubbed = cassette(folder)["metadata"]["scrubbed"]
    assert re.fullmatch(r"[0-9a-f]{16}", scrubbed["key_check"])
    assert scrubbed["undocumented"] == [] and scrubbed["key"] == "random, this run only"  # the fake keeps the contract


def test_vcrpy_loads_the_cassette_and_replays_it_to_requests(recording: Any) -> None:
    vcr = pytest.importorskip("vcr")
    folder, upstream, _ = recording
    recorded = json.loads(cassette(folder)["interactions"][4]["response"]["body"]["string"])
    with vcr.use_cassette(str(folder / "onboarding.yaml"), record_mode="none", match_on=["method", "path"]):
        answer = requests.get(upstream + "/api/v2/face_search/images", auth=DEMO.auth, timeout=10)
    metadata = answer.json()["result"][0]["metadata"]
    assert answer.json() == recorded and "hoTen" not in metadata and PLANTED_NAME not in metadata.values()


def recorded_answers(folder: Path) -> list[Any]:
    return [json.loads(i["response"]["body"]["string"]) for i in cassette(folder)["interactions"]]


def normal(body: Any) -> str:
    """Answers compared without the hosts of hosted-file URLs."""
    import re

    return re.sub(r"https?://[^/\"]+/__mock__/files/", "<files>/", json.dumps(body, sort_keys=True))


def test_serve_replays_the_recorded_answers(recording: Any) -> None:
    folder, _, _ = recording
    with MockServer(create_app({"TESTING": True, "REPLAY": str(folder)})) as fake:
        got = [call(fake.base_url, m, p, k) for m, p, k in CALLS]
        journal = requests.get(fake.base_url + "/__mock__/journal", timeout=10).json()["entries"]
        usage = requests.get(fake.base_url + "/__mock__/usage", timeout=10).json()["totals"]["demo"]
    assert [normal(r.json()) for r in got] == [normal(b) for b in recorded_answers(folder)]
    assert [r.headers["X-CVS-Mock-Trigger"] for r in got][:2] == ["replay:onboarding#0", "replay:onboarding#1"]
    assert [e["trigger"] for e in journal][0] == "replay:onboarding#0"
    assert usage["ekyc/cards"] == {"requests": 1, "billable": 1}  # billed as the fake bills


def test_the_fixtures_replay_through_responses_and_httpx(recording: Any, cvs_mock: Any, cvs_httpx: Any) -> None:
    folder, _, _ = recording
    expected = recorded_answers(folder)
    assert cvs_mock.use_cassette(str(folder)) == len(CALLS)
    assert normal(call(cvs_mock.base_url, *CALLS[0][:2], CALLS[0][2]).json()) == normal(expected[0])
    cvs_httpx.use_cassette(str(folder / "onboarding.yaml"))
    with cvs_httpx.client() as client:
        answer = client.post(CALLS[1][1], json=CALLS[1][2]["json"])
    assert normal(answer.json()) == normal(expected[1])


def test_strict_replay_names_the_closest_entry_on_a_miss(recording: Any) -> None:
    folder, _, _ = recording
    client = create_app({"TESTING": True, "REPLAY": str(folder), "REPLAY_STRICT": True}).test_client()
    auth = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
    other = images.id_card("passport", full_name="NGUOI KHAC")
    upload = {"img": (io.BytesIO(other), "other.png")}
    miss = client.post("/api/v2/ekyc/card?format_type=file", data=upload, headers=auth)
    assert miss.status_code == 501 and miss.headers["X-CVS-Mock-Trigger"] == "replay:miss"
    message = miss.get_json()["message"]
    assert message.startswith("no recorded answer to POST /api/v2/ekyc/card (file); closest: onboarding#1")
    assert "mode 'file' vs recorded 'base64'" in message
    fell_through = create_app({"TESTING": True, "REPLAY": str(folder)}).test_client()
    answer = fell_through.post(
        "/api/v2/ekyc/card?format_type=file", data={"img": (io.BytesIO(other), "o.png")}, headers=auth
    )
    assert answer.get_json()["data"]["info"]["full_name"] == "NGUOI KHAC"  # the generated fake answers


def test_with_the_key_replay_tells_images_apart_and_without_it_their_order_decides(tmp_path: Path) -> None:
    key = b"the team's scrub key, 32 bytes.."
    first, second = images.portrait("mot"), images.portrait("hai")
    recorder = Recorder(tmp_path, "keyed", Scrubber(key=key))
    for n, picture in enumerate((first, second)):
        sent = describe("POST", "/api/v2/ekyc/face_matching?format_type=file", "multipart/form-data", None,
                        {"img1": picture, "img2": picture})  # fmt: skip
        answer = {"code": "200", "message": "request successful.", "data": {"match": str(n)}}
        recorder.record(
            sent, "http://upstream.test", 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
        )
    text = (tmp_path / "keyed.yaml").read_text(encoding="utf-8")
    assert hashlib.sha256(second).hexdigest() not in text  # no digest a guess could be checked against
    recorded = load([tmp_path / "keyed.yaml"])

    def asked(picture: bytes, replayer: Replayer) -> int | None:
        sent = describe(
            "POST", "/api/v2/ekyc/face_matching", "multipart/form-data", None, {"img1": picture, "img2": picture}
        )
        found = replayer.match(sent, positions[replayer])
        return None if found is None else found.index

    keyed = Replayer(recorded, after_last="exhausted", key=key)
    other_key = Replayer(recorded, after_last="exhausted", key=b"another key of 32 bytes, not it.")
    positions = {keyed: LocalPositions(), other_key: LocalPositions()}
    assert [asked(second, keyed), asked(first, keyed), asked(first, keyed)] == [1, 0, None]
    assert [asked(second, other_key), asked(second, other_key), asked(first, other_key)] == [0, 1, None]


def test_a_replayed_answer_that_breaks_the_contract_is_reported_as_drift(recording: Any, tmp_path: Path) -> None:
    folder, _, _ = recording
    data = cassette(folder)
    body = json.loads(data["interactions"][1]["response"]["body"]["string"])
    body["data"]["type"] = 42
    data["interactions"][1]["response"]["body"]["string"] = json.dumps(body)
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    client = create_app({"TESTING": True, "REPLAY": str(tmp_path)}).test_client()
    auth = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
    answer = client.post(CALLS[1][1], json=CALLS[1][2]["json"], headers=auth)
    assert answer.get_json()["data"]["type"] == 42  # sent as recorded, not hidden
    assert "replayed answer drifts from the contract: /data: " in answer.headers["X-CVS-Mock-Note"]
    drift = client.get("/__mock__/journal").get_json()["entries"][-1]["drift"]
    assert drift[0].startswith("/data: ") and "'type': 42" in drift[0]


def test_the_marker_replays_a_cassette_beside_the_test(pytester: pytest.Pytester, recording: Any) -> None:
    folder, _, _ = recording
    (pytester.path / "cassettes").mkdir()
    (pytester.path / "cassettes" / "onboarding.yaml").write_bytes((folder / "onboarding.yaml").read_bytes())
    pytester.makepyfile(
        test_replayed="""
        import pytest, requests

        @pytest.mark.cvs_cassette("onboarding")
        def test_listed(cvs_mock):
            body = requests.get(cvs_mock.base_url + "/api/v2/face_search/images", auth=("demo", "p@55w0rd")).json()
            metadata = body["result"][0]["metadata"]
            assert "hoTen" not in metadata and "PHẠM THỊ KIỀU OANH" not in metadata.values()
            assert cvs_mock.journal[-1]["trigger"] == "replay:onboarding#4"

        @pytest.mark.cvs_cassette("missing")
        def test_missing(cvs_mock):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*cvs_cassette: no cassette*missing.yaml*"])


def test_conformance_keeps_its_exchanges_scrubbed(tmp_path: Path) -> None:
    import subprocess
    import sys

    with MockServer(create_app({"TESTING": True})) as fake:
        done = subprocess.run(
            [sys.executable, "-m", "cvs_testkit.cli", "conformance", "--base-url", fake.base_url, "--api-key", "demo",
             "--api-secret", "p@55w0rd", "--flows", "ocr", "--record", str(tmp_path)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    recorded = yaml.safe_load((tmp_path / "conformance.yaml").read_text(encoding="utf-8"))["interactions"]
    assert len(recorded) >= 10 and "p@55w0rd" not in (tmp_path / "conformance.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("after_last", "second_pass"),
    [("cycle", ["replay:onboarding#0", "replay:onboarding#1"]), ("repeat", ["replay:onboarding#0", "replay:onboarding#1"]),  # noqa: E501
     ("exhausted", ["replay:miss", "replay:miss"])],
)  # fmt: skip
def test_what_a_served_replay_does_after_its_last_interaction(
    recording: Any, after_last: str, second_pass: list[str]
) -> None:  # noqa: E501
    folder, _, _ = recording
    config = {"TESTING": True, "REPLAY": str(folder), "REPLAY_STRICT": True, "REPLAY_AFTER_LAST": after_last}
    with MockServer(create_app(config)) as fake:
        first = [call(fake.base_url, m, p, k).headers["X-CVS-Mock-Trigger"] for m, p, k in CALLS[:2]]
        again = [call(fake.base_url, m, p, k).headers["X-CVS-Mock-Trigger"] for m, p, k in CALLS[:2]]
    assert first == ["replay:onboarding#0", "replay:onboarding#1"] and again == second_pass


def test_repeat_answers_the_last_of_several_matches_and_cycle_starts_over(tmp_path: Path) -> None:
    from mockserver.recording.replayer import Replayer
    from mockserver.recording.request import KeptRequest
    from mockserver.recording.serializer import Recorded
    from mockserver.state.positions import LocalPositions

    sent = KeptRequest("GET", "/api/v2/face_search/images", (), "", ())
    entries = [Recorded("c", n, sent, 200, {"n": n}) for n in range(3)]
    repeat, used = Replayer(entries, after_last="repeat"), LocalPositions()
    assert [repeat.match(sent, used).index for _ in range(5)] == [0, 1, 2, 2, 2]  # type: ignore[union-attr]
    cycle = Replayer([Recorded("c", n, sent, 200, {}) for n in range(3)], after_last="cycle")
    used = LocalPositions()
    assert [cycle.match(sent, used).index for _ in range(5)] == [0, 1, 2, 0, 1]  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="one of cycle, repeat, exhausted"):
        Replayer(entries, after_last="loop")
