"""A leak check that can be trusted: it finds personal values in shapes the scrubber's own
tests never use (a corpus of its own, measured for recall), never reads digests as numbers, is
quiet on recordings of the fake's own answers, and no original can excuse itself through the
recorder's fingerprint list."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from cvs_testkit.contract import contract
from cvs_testkit.fake import DEMO
from mockserver import create_app
from mockserver.recording import suspects
from mockserver.recording.check import check_document, check_paths, key_of, parts
from mockserver.recording.fingerprints import legacy
from mockserver.recording.recorder import Recorder
from mockserver.recording.request import describe
from mockserver.recording.scrub import Scrubber

HERE = Path(__file__).parent
CORPUS = yaml.safe_load((HERE / "leak_corpus.yaml").read_text(encoding="utf-8"))
UPSTREAM = "https://cloud.computervision.com.vn"


def found(value: str, key: str = "") -> list[str]:
    return [f.kind for f in suspects.findings(value, key)]


def test_the_corpus_is_large_and_its_own() -> None:
    personal, clean = CORPUS["personal"], CORPUS["clean"]
    assert len(personal) >= 200 and len(clean) >= 200
    others = "".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    others += (HERE / "planted.py").read_text(encoding="utf-8")
    reused = [e["value"] for e in personal if len(e["value"]) >= 8 and e["value"] in others]
    assert reused == []  # the scrubber's tests plant other values


def test_recall_on_the_personal_corpus_is_at_least_95_percent() -> None:
    personal = CORPUS["personal"]
    missed = [e for e in personal if not found(e["value"], e.get("key", ""))]
    recall = 1 - len(missed) / len(personal)
    assert recall >= 0.95, f"recall {recall:.3f}, missed: {missed}"


def test_the_clean_corpus_raises_at_most_one_percent_false_findings() -> None:
    clean = CORPUS["clean"]
    flagged = [(value, found(value)) for value in clean if found(value)]
    assert len(flagged) <= len(clean) // 100, flagged


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("4111 1111 1111 1111", "card"),  # Luhn holds
        ("079195012345", "id12"),  # province 079, century digit 1
        ("999995012345", "number"),  # no such province: still a long number
        ("+84 987 654 321", "phone"),
        ("19/08/1990", "date"),
        ("29B1-234.56", "plate"),
    ],
)
def test_a_number_is_classified_by_its_checksum_and_rules(value: str, kind: str) -> None:
    assert found(value) == [kind]


def test_digests_hex_base64_and_placeholders_are_never_read_as_numbers() -> None:
    r = random.Random(7)
    tokens = []
    for _ in range(500):
        raw = r.randbytes(32)
        tokens += [
            "sha256:" + hashlib.sha256(raw).hexdigest(),
            "hmac-sha256:" + raw.hex()[:32],
            "k" + raw.hex()[:12],
            "d" + raw.hex()[:24],
            f"https://h{raw.hex()[:10]}.invalid/d{raw.hex()[10:34]}.jpg",
            base64.b64encode(raw[: r.randint(12, 31)]).decode(),
            raw.hex()[: r.randint(16, 64)],
        ]
    flagged = [t for t in tokens if found(t)]
    assert flagged == []


def test_base64_that_hides_text_is_searched_as_text() -> None:
    hidden = base64.b64encode("Liên hệ Nông Thị Xuyến 0903 555 777".encode()).decode()
    assert set(found(hidden)) == {"name", "phone"}


def test_every_spelling_of_a_value_is_brought_to_one_before_it_is_searched() -> None:
    spellings = ["Ma&#803;c Văn Kho&#7843;ng", "Mạc%20Văn%20Khoảng", "Mạc%2520Văn%2520Khoảng", "M\\u1ea1c V\\u0103n",
                 "M\u200bạc V\u200băn Kh\u200boảng", "ＭẠＣ ＶĂＮ ＫＨＯẢＮＧ"]  # fmt: skip
    for spelled in spellings:
        assert "name" in found(spelled), spelled


def seeded_answers(seed: int) -> list[tuple[str, Any, dict[str, str], bytes, int]]:
    """The fake's answer to every GET operation of the contract, in url mode, for images named
    by ``seed`` (each URL draws other people, documents and numbers)."""
    client = create_app({"TESTING": True}).test_client()
    token = base64.b64encode(f"{DEMO.auth[0]}:{DEMO.auth[1]}".encode()).decode()
    out = []
    for op in contract().operations:
        if op.method != "GET" or "{" in op.path:
            continue
        image = f"https://cdn.example.vn/{seed}/{op.operation_id}.jpg"
        query = f"format_type=url&img={image}&img1={image}&img2={image}1&url={image}&get_thumb=true"
        answer = client.get(f"{op.path}?{query}", headers={"Authorization": f"Basic {token}"})
        sent = describe("GET", f"{op.path}?{query}", "", None)
        out.append((op.path, sent, dict(answer.headers), answer.data, answer.status_code))
    return out


@pytest.mark.slow  # starts several processes
def test_recordings_of_the_fakes_own_answers_across_50_seeds_raise_no_finding(tmp_path: Path) -> None:
    paths = []
    for seed in range(50):
        recorder = Recorder(tmp_path, f"seed{seed}", Scrubber(key=f"seed {seed}".encode()))  # reproducible
        answers = seeded_answers(seed)
        for _path, sent, headers, raw, status in answers:
            recorder.record(sent, UPSTREAM, status, headers, raw)
        assert len(recorder.interactions) == len(answers) >= 20
        paths.append(recorder.path)
    assert check_paths(paths) == []


def clean_cassette(folder: Path, scrubber: Scrubber | None = None) -> Path:
    recorder = Recorder(folder, "one", scrubber or Scrubber(key=b"the trusted-check key, 32 bytes."))
    for _path, sent, headers, raw, status in seeded_answers(3)[:6]:
        recorder.record(sent, UPSTREAM, status, headers, raw)
    return recorder.path


class Careless(Scrubber):
    """A scrubber that keeps every answer as it came: a recorder bug of the worst kind."""

    def answer(self, body: Any, schema: str | None = None, where: str = "") -> Any:
        return body


def test_an_original_left_in_place_is_never_listed_and_the_check_reports_it(tmp_path: Path) -> None:
    path = clean_cassette(tmp_path, Careless())
    leaks = check_paths([path])
    assert {leak.what for leak in leaks} >= {"a Vietnamese full name", "a date (of birth?)"}
    assert all(leak.where.endswith("response body") for leak in leaks)


def test_a_listed_pseudonym_excuses_nothing_in_another_place(tmp_path: Path) -> None:
    path = clean_cassette(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert check_document(document, str(path)) == []
    first = json.loads(document["interactions"][0]["response"]["body"]["string"])
    name = next(t for _, pointer, t in parts(document["interactions"][0]) if pointer.endswith("/name") and t != "name")
    first.setdefault("data", {})
    moved = {"errorCode": first.get("errorCode"), "data": first["data"], "errorMessage": f"Khách hàng {name}"}
    document["interactions"][1]["response"]["body"]["string"] = json.dumps(moved, ensure_ascii=False)
    leaks = check_document(document, str(path))
    assert [(leak.where, leak.pointer, leak.what) for leak in leaks if leak.pointer == "/errorMessage"] == [
        ("interaction 1: response body", "/errorMessage", "a Vietnamese full name")
    ]


def test_a_cassette_of_the_older_recorder_is_read_with_its_unbound_list(tmp_path: Path) -> None:
    path = clean_cassette(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    scrubbed = document["metadata"]["scrubbed"]
    del scrubbed["salt"]
    texts = [(t, key_of(p)) for item in document["interactions"] for _, p, t in parts(item)]
    scrubbed["pseudonyms"] = sorted({legacy(f.text) for t, key in texts for f in suspects.findings(t, key)})
    assert check_document(document, "old.yaml") == []
    scrubbed["pseudonyms"] = []
    assert check_document(document, "old.yaml") != []


def test_the_listing_is_salted_per_cassette(tmp_path: Path) -> None:
    one, two = clean_cassette(tmp_path / "a"), clean_cassette(tmp_path / "b")
    lists = [yaml.safe_load(p.read_text(encoding="utf-8"))["metadata"]["scrubbed"] for p in (one, two)]
    assert lists[0]["salt"] != lists[1]["salt"]
    assert not set(lists[0]["pseudonyms"]) & set(lists[1]["pseudonyms"])


BAD_ANSWERS = {
    "not UTF-8": (b'\xff\xfe{"errorCode": "0", \x80 Nguy\xe1n V\xe3n}', {}),
    "10 MB of text": (
        json.dumps(
            {"errorCode": "0", "data": [{"text": "Khách hàng Nông Thị Xuyến 0903 555 777. " * 260_000}]},
            ensure_ascii=False,
        ).encode(),
        {},
    ),  # fmt: skip
    "a header of 10,000 parameters": (
        b'{"errorCode": "0", "errorMessage": "Success"}',
        {"Content-Type": "application/json; " + "; ".join(f"p{n}=Xuyen{n}" for n in range(10_000))},
    ),
    "a key of 1 MB": (
        json.dumps({"errorCode": "0", "data": [{"info": {"Nông Thị Xuyến " * 70_000: "x"}}]}).encode(),
        {},
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_input_is_scrubbed_or_dropped_with_a_note_never_kept(tmp_path: Path, case: str) -> None:
    raw, headers = BAD_ANSWERS[case]
    notes: list[str] = []
    recorder = Recorder(tmp_path, "bad", Scrubber(), report=notes.append)
    sent = describe("GET", "/api/v2/ocr/document/general?format_type=url&img=https://cdn.example.vn/a.jpg", "", None)
    recorder.record(sent, UPSTREAM, 200, {"Content-Type": "application/json", **headers}, raw)
    text = recorder.path.read_text(encoding="utf-8")
    assert "Xuy" not in text and "Nguy" not in text and "555 777" not in text
    assert recorder.path.stat().st_size < 20_000
    assert check_paths([recorder.path]) == []
    if case != "a header of 10,000 parameters":  # the media type alone is kept, nothing to note
        assert notes, case


def test_the_check_reports_a_value_too_long_to_search_by_kind(tmp_path: Path) -> None:
    path = clean_cassette(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["interactions"][0]["response"]["body"]["string"] = json.dumps({"note": "word " * 300_000})
    leaks = check_document(document, str(path))
    assert [(leak.pointer, leak.what) for leak in leaks] == [("/note", "a value too long to check")]
