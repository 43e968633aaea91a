"""One invented person planted everywhere an answer can carry a person, recorded through a
real ``cvs-mock proxy --record`` process: nothing of the person reaches the cassette or the
log in any spelling or encoding, and what is left still parses and still replays."""

from __future__ import annotations

import base64
import io
import json
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from PIL import Image

from cvs_testkit import images
from cvs_testkit.fake import DEMO
from mockserver import create_app
from mockserver.recording.check import check_paths
from mockserver.recording.mrz import check_digit
from mockserver.recording.scrub import Scrubber
from mockserver.server import MockServer
from tests.live.helpers import cvs_mock_process, printed
from tests.record import planted

KEY = b"a team's shared scrub key, 32 b."
CARD = images.id_card("chip_id_card_front", name=planted.UPPER, id=planted.ID12)


def calls() -> list[tuple[str, str, dict[str, Any]]]:
    portrait = images.to_base64(images.portrait("nhung"))
    return [
        ("POST", "/api/v2/ekyc/cards?format_type=file", {"files": {"img1": CARD, "img2": CARD}}),
        ("GET", "/api/v2/ekyc/card?format_type=url&img=" + requests.utils.quote(planted.PRESIGNED, safe=""), {}),
        ("POST", "/api/v2/ocr/document/general?format_type=base64", {"json": {"img": images.to_base64(CARD)}}),
        ("POST", "/api/v2/ocr/birth_certificate?format_type=base64", {"json": {"img": images.to_base64(CARD)}}),
        ("POST", "/api/v2/face_search/images", {"json": {"image": {"base64": portrait, "metadata": planted.METADATA}}}),
        ("GET", "/api/v2/face_search/images", {}),
        ("GET", "/api/v2/smartcrop/crop_image?width=200&height=300&url=" + requests.utils.quote(planted.PRESIGNED), {}),
        ("GET", "/api/v2/ocr/vehicle_plate?img=" + requests.utils.quote(planted.PRESIGNED), {}),
    ]  # fmt: skip


def call(base: str, method: str, path: str, kwargs: dict[str, Any]) -> requests.Response:
    files = {k: (planted.FILE_NAME, v) for k, v in kwargs.get("files", {}).items()} or None
    return requests.request(method, base + path, json=kwargs.get("json"), files=files, auth=DEMO.auth, timeout=30)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, list[requests.Response]]]:
    """The cassette folder, everything the proxy printed, and what the client got."""
    folder = tmp_path_factory.mktemp("planted")
    key_file = folder.parent / "scrub.key"
    key_file.write_bytes(KEY)
    with MockServer(planted.upstream()) as upstream:
        args = ("--upstream", upstream.base_url, "--record", str(folder / "cassettes"), "--cassette", "planted")
        with cvs_mock_process(*args, "--scrub-key-file", str(key_file), command="proxy") as (proxy, proc):
            got = [call(proxy, m, p, k) for m, p, k in calls()]
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)
            log = printed(proc)
    yield folder / "cassettes", log, got


def cassette(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / "planted.yaml").read_text(encoding="utf-8"))
    return data


def answers(folder: Path) -> list[Any]:
    out = []
    for item in cassette(folder)["interactions"]:
        text = item["response"]["body"]["string"]
        try:
            out.append(json.loads(text))
        except ValueError:
            out.append(text)
    return out


def test_the_client_got_the_planted_person_unchanged(recorded: Any) -> None:
    _, _, got = recorded
    assert got[0].json()["data"][1]["info"]["mrz"] == planted.TD1  # the proxy forwards byte for byte
    assert got[-1].status_code == 502 and planted.NAME in got[-1].content.decode()


def test_no_planted_value_reaches_the_cassette_or_the_log_in_any_form(recorded: Any) -> None:
    folder, log, _ = recorded
    stored = (folder / "planted.yaml").read_text(encoding="utf-8")
    searched = {"cassette": stored, "cassette, YAML-decoded": json.dumps(cassette(folder), ensure_ascii=False),
                "log": log}  # fmt: skip
    for value in planted.VALUES:
        for form in planted.variants(value):
            for where, text in searched.items():
                assert form not in text, f"{value[:24]!r} as {form[:24]!r} in the {where}"
    face = planted.FACE_B64  # past the signature and the size header, which a same-size PNG shares
    for where, text in searched.items():
        for start in range(64, len(face) - 40, 40):
            assert face[start : start + 40] not in text, where
    assert KEY.decode() not in stored and KEY.decode() not in log and "p@55w0rd" not in stored


def test_what_the_contract_does_not_describe_is_listed_in_the_cassette_and_the_log(recorded: Any) -> None:
    folder, log, _ = recorded
    listed = cassette(folder)["metadata"]["scrubbed"]["undocumented"]
    # An undeclared key is listed by its keyed placeholder: its name can spell a person too.
    placeholder = Scrubber(key=KEY).placeholder
    for pointer in (
        "#0 response /data/0/info/address_entities",
        "#0 response /data/0/info/face_crop",
        "#0 response /data/0/info/qr_payload",
        "#0 response /data/1/info/mrz",
        "#0 response /data/1/info/raw_face",
        "#1 response /data/info/mrz_text",
        "#2 response /data/0/contact",
    ):
        head, _, name = pointer.rpartition("/")
        entry = f"{head}/{placeholder(name)}"
        assert entry in listed
        assert f"scrubbed, not in the contract: {entry}" in log
        assert name not in log and not any(name in e for e in listed)
    assert "#7 response (non-JSON body)" in listed
    assert cassette(folder)["metadata"]["scrubbed"]["key"] == "given"


def P(name: str) -> str:
    """The keyed placeholder an undeclared key is recorded under."""
    return Scrubber(key=KEY).placeholder(name)


def test_the_mrz_is_regenerated_valid_and_agrees_with_the_other_fields(recorded: Any) -> None:
    folder, _, _ = recorded
    front, back = (item["info"] for item in answers(folder)[0]["data"])
    one, two, three = back[P("mrz")]  # undeclared: under its keyed placeholder
    assert [len(line) for line in back[P("mrz")]] == [30, 30, 30]
    assert one[14] == check_digit(one[5:14]) and two[6] == check_digit(two[0:6]) and two[14] == check_digit(two[8:14])
    assert two[29] == check_digit(one[5:30] + two[0:7] + two[8:15] + two[18:29])
    assert one[15:27] == back["person_number"] == front["id"] and one[5:14] == back["document_number"]
    day, month, year = back["dob"].split("/")
    assert two[0:6] == year[2:] + month + day and year == "1986" and two[7] == "F"
    surname, _, given = three.rstrip("<").partition("<<")
    assert (surname, given.replace("<", " ")) == (back["sur_name"], back["given_name"])
    passport = answers(folder)[1]["data"]["info"]
    first, second = passport[P("mrz_text")].split("\n")
    assert second[0:9].rstrip("<") == passport["id"] and second[9] == check_digit(second[0:9])
    assert second[43] == check_digit(second[0:10] + second[13:20] + second[21:43])
    assert second[28:40] == passport["person_number"]


def test_the_year_and_sex_survive_so_age_rules_still_hold(recorded: Any) -> None:
    folder, _, _ = recorded
    front = answers(folder)[0]["data"][0]["info"]
    assert front["dob"].endswith("/1986") and front["gender"] == "Nữ"
    assert front["id"][3:6] == planted.ID12[3:6] and front["id"] != planted.ID12  # century-sex and year digits


def test_urls_keep_scheme_and_host_and_replay_still_matches_url_mode(recorded: Any) -> None:
    folder, _, _ = recorded
    interactions = cassette(folder)["interactions"]
    uri = interactions[1]["request"]["uri"]
    # A host other than the vendor's is a keyed name under .invalid; path and query are digests.
    assert "format_type=url" in uri and re.search(r"img=https%3A%2F%2Fh[0-9a-f]{10}\.invalid%2Fd", uri)
    listed = answers(folder)[5]["result"][0]
    assert re.match(r"https://h[0-9a-f]{10}\.invalid/d[0-9a-f]{24}\.jpg\?", listed["url"])
    assert "kyc-bucket" not in listed["url"] and "Amz" not in listed["url"] and "kyc-bucket" not in uri
    with MockServer(create_app({"TESTING": True, "REPLAY": str(folder), "REPLAY_STRICT": True})) as fake:
        replayed = [call(fake.base_url, m, p, k) for m, p, k in calls()[:2]]
    assert [r.headers["X-CVS-Mock-Trigger"] for r in replayed] == ["replay:planted#0", "replay:planted#1"]
    assert replayed[1].json() == answers(folder)[1]


def test_images_become_other_images_of_the_same_size_and_format(recorded: Any) -> None:
    folder, _, _ = recorded
    front, back = (item["info"] for item in answers(folder)[0]["data"])
    prefix, _, payload = front[P("face_crop")].partition(",")
    for encoded in (payload, back[P("raw_face")]):
        raw = base64.b64decode(encoded)
        assert raw != planted.FACE
        with Image.open(io.BytesIO(raw)) as picture:
            assert (picture.size, picture.format) == ((64, 80), "PNG")
    assert prefix == "data:image/png;base64"


def test_free_text_keeps_its_lines_and_rough_length(recorded: Any) -> None:
    folder, _, _ = recorded
    text = answers(folder)[2]["data"][0]["text"]
    assert text.count("\n") == planted.GENERAL_TEXT.count("\n")
    assert abs(len(text) - len(planted.GENERAL_TEXT)) < len(planted.GENERAL_TEXT) // 4


def test_the_recorded_cassette_passes_the_leak_check_and_only_its_owner_reads_it(recorded: Any) -> None:
    folder, _, _ = recorded
    assert check_paths([folder]) == []
    assert (folder / "planted.yaml").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in folder.iterdir()] == ["planted.yaml"]  # no temporary file left behind


def test_a_non_json_page_is_dropped_not_kept(recorded: Any) -> None:
    folder, _, _ = recorded
    item = cassette(folder)["interactions"][7]
    assert item["response"]["status"]["code"] == 502
    assert item["response"]["body"]["string"].startswith("[a ") and "text/html" in item["response"]["body"]["string"]
