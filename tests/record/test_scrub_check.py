"""``cvs-testkit scrub-check``: every kind of planted value edited into a cassette by hand is
found and named by file, interaction and JSON path (never by value); every cassette the
recorder writes passes; it runs as a pre-commit hook."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cvs_testkit import strategies as cvs
from cvs_testkit.contract import contract
from mockserver.recording.check import check_document, check_paths
from mockserver.recording.recorder import Recorder
from mockserver.recording.request import describe
from mockserver.recording.scrub import Scrubber
from tests.record import planted

ROOT = Path(__file__).resolve().parents[2]


def record(folder: Path, answers: list[tuple[str, str, Any]], name: str = "clean") -> Path:
    recorder = Recorder(folder, name, Scrubber())
    for method, url, body in answers:
        sent = describe(method, url, "application/json", b'{"img": "x"}' if method == "POST" else None)
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        recorder.record(sent, "https://api.example.vn", 200, {"Content-Type": "application/json"}, raw)
    return recorder.path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    client = planted.upstream().test_client()
    presigned = planted.PRESIGNED.replace("&", "%26")
    answers = [
        ("POST", "/api/v2/ekyc/cards", client.post("/api/v2/ekyc/cards").get_json()),
        ("GET", "/api/v2/ekyc/card?img=" + presigned, client.get("/api/v2/ekyc/card").get_json()),
        ("POST", "/api/v2/ocr/document/general", client.post("/api/v2/ocr/document/general").get_json()),
        ("GET", "/api/v2/smartcrop/crop_image?url=x", client.get("/api/v2/smartcrop/crop_image").get_json()),
    ]  # fmt: skip
    return record(tmp_path, answers)


def edited(path: Path, change: Any) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    out = path.with_name("edited.yaml")
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def set_in_answer(n: int, pointer: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        body = json.loads(data["interactions"][n]["response"]["body"]["string"])
        node = body
        steps = pointer.strip("/").split("/")
        for step in steps[:-1]:  # a hand edit may add keys: undeclared ones are placeholders now
            node = node[int(step)] if isinstance(node, list) else node.setdefault(step, {})
        if isinstance(node, list):
            node[int(steps[-1])] = value
        else:
            node[steps[-1]] = value
        data["interactions"][n]["response"]["body"]["string"] = json.dumps(body, ensure_ascii=False)

    return change


def test_the_recorder_writes_a_cassette_that_passes(clean: Path) -> None:
    assert check_paths([clean]) == []


HAND_EDITS = [
    ("a 12-digit identity number", 0, "/data/0/info/id", "079301004567"),
    ("a 9-digit identity number", 0, "/data/1/info/document_number", "301004567"),
    ("a passport number", 1, "/data/info/id", "B1234567"),
    ("a date (of birth?)", 0, "/data/0/info/dob", "05/07/2001"),
    ("a Vietnamese full name", 0, "/data/0/info/name", "pham thi kieu oanh"),
    ("a Vietnamese full name", 2, "/data/0/text", "Khách hàng PHẠM THỊ KIỀU OANH đã ký"),
    ("a phone number", 2, "/data/0/contact/phone", "+84 912 345 678"),
    ("an e-mail address", 2, "/data/0/contact/email", "kieu.oanh@gmail.com"),
    ("an MRZ line", 0, "/data/1/info/mrz_line", planted.TD1[0]),
    ("a presigned-URL token", 3, "/url", "https://s3.example.com/a.jpg?X-Amz-Signature=" + "ab12" * 16),
    ("an embedded image", 0, "/data/0/info/face_crop", "data:image/png;base64," + planted.FACE_B64),
]


@pytest.mark.parametrize(("what", "n", "pointer", "value"), HAND_EDITS, ids=[f"{e[0]}@{e[2]}" for e in HAND_EDITS])
def test_a_hand_edited_value_is_named_by_file_interaction_and_path(
    clean: Path, what: str, n: int, pointer: str, value: str
) -> None:
    dirty = edited(clean, set_in_answer(n, pointer, value))
    leaks = check_paths([dirty])
    assert [(leak.where, leak.pointer, leak.what) for leak in leaks] == [
        (f"interaction {n}: response body", pointer, what)
    ]
    assert str(leaks[0]) == f"{dirty}: interaction {n}: response body {pointer}: {what}"


def test_a_token_in_a_request_uri_and_a_name_in_metadata_are_found(clean: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["interactions"][1]["request"]["uri"] += "&sig=" + "Zx9" * 12
        data["metadata"]["note"] = "checked by Trần Văn Hùng"

    leaks = check_paths([edited(clean, change)])
    assert [(leak.where, leak.pointer, leak.what) for leak in leaks] == [
        ("interaction 1: request uri", "?sig", "a presigned-URL token"),
        ("", "/metadata/note", "a Vietnamese full name"),
    ]


def run_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "cvs_testkit.cli", "scrub-check", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_the_command_exits_1_on_a_leak_without_printing_it_and_0_when_clean(clean: Path) -> None:
    dirty = edited(clean, set_in_answer(0, "/data/0/info/name", "LÝ THỊ TUYẾT NHUNG"))
    found = run_check(dirty.parent)
    assert found.returncode == 1
    assert f"{dirty}: interaction 0: response body /data/0/info/name: a Vietnamese full name" in found.stdout
    assert "NHUNG" not in found.stdout + found.stderr
    assert "1 value(s) that look personal in 2 file(s)" in found.stderr
    dirty.unlink()
    passed = run_check(clean)
    assert passed.returncode == 0 and passed.stdout == "" and "1 file(s) clean" in passed.stderr


def test_the_command_exits_2_on_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    missing = run_check(tmp_path / "nope.yaml")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("interactions: [unclosed", encoding="utf-8")
    unreadable = run_check(broken)
    assert unreadable.returncode == 2 and "not a usable YAML cassette" in unreadable.stderr
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"interactions:\n- \xff\xfe\x80 Nguy\xe1n\n")
    not_text = run_check(binary)
    assert not_text.returncode == 2 and not_text.stdout == ""
    assert not_text.stderr.splitlines() == [f"cvs-testkit: scrub-check: {binary}: not UTF-8 text (byte 16)"]
    assert len(unreadable.stderr.splitlines()) == 1


def test_an_old_cassette_without_the_recorders_list_is_checked_in_full(clean: Path) -> None:
    dirty = edited(clean, lambda data: data.pop("metadata"))
    kinds = {leak.what for leak in check_paths([dirty])}
    assert {"a Vietnamese full name", "a 12-digit identity number", "an MRZ line", "an embedded image"} <= kinds


@settings(max_examples=40)
@given(st.lists(st.sampled_from(cvs.OPERATIONS), min_size=1, max_size=3).flatmap(
    lambda ops: st.tuples(*(st.tuples(st.just(op), cvs.from_contract(op, reading="tolerant")) for op in ops))
))  # fmt: skip
def test_every_cassette_the_recorder_writes_passes(tmp_path_factory: pytest.TempPathFactory, drawn: Any) -> None:
    ops = {op.operation_id: op for op in contract().operations}
    answers = [(ops[name].method, ops[name].path, body) for name, body in drawn]
    path = record(tmp_path_factory.mktemp("drawn"), answers)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert check_document(document, str(path)) == []


def test_the_hook_manifest_is_one_pre_commit_accepts() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="needs the pre-commit package")
    hooks = clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert [(h["id"], h["entry"], h["language"]) for h in hooks] == [
        ("cvs-scrub-check", "cvs-testkit scrub-check", "python")
    ]


def test_the_projects_own_pre_commit_config_runs_its_checks() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="needs the pre-commit package")
    config = clientlib.load_config(str(ROOT / ".pre-commit-config.yaml"))
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks == {"ruff", "ruff-format", "mypy", "lint-imports"}


def test_pre_commit_refuses_a_commit_of_a_hand_edited_cassette(clean: Path, tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="needs the pre-commit package")
    if shutil.which("git") is None:
        pytest.skip("needs git")
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    repo = tmp_path / "repo"
    (repo / "tests" / "cassettes").mkdir(parents=True)
    entry = f"{sys.executable} -m cvs_testkit.cli scrub-check"  # the installed entry, run in this interpreter
    config = {"repos": [{"repo": "local", "hooks": [{**hook, "entry": entry, "language": "system"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git[:3], "init", "-q"], check=True, timeout=60)
    shutil.copy(clean, repo / "tests" / "cassettes" / "onboarding.yaml")
    dirty = edited(clean, set_in_answer(0, "/data/0/info/id", "079301004567"))
    shutil.copy(dirty, repo / "tests" / "cassettes" / "edited.yaml")
    subprocess.run([*git, "add", "-A"], check=True, timeout=60)
    run = [sys.executable, "-m", "pre_commit", "run", "--config", str(repo / ".pre-commit-config.yaml")]
    refused = subprocess.run(run, cwd=repo, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "tests/cassettes/edited.yaml: interaction 0: response body /data/0/info/id" in refused.stdout
    (repo / "tests" / "cassettes" / "edited.yaml").unlink()
    subprocess.run([*git, "add", "-A"], check=True, timeout=60)
    passed = subprocess.run(run, cwd=repo, capture_output=True, text=True, timeout=300)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_bare_base64_image_is_found(clean: Path) -> None:
    blob = base64.b64encode(planted.FACE * 2).decode()
    leaks = check_paths([edited(clean, set_in_answer(2, "/data/0/page", blob))])
    assert [leak.what for leak in leaks] == ["an embedded image"]


def test_the_cassette_marker_refuses_a_cassette_that_carries_a_person(pytester: pytest.Pytester, clean: Path) -> None:
    (pytester.path / "cassettes").mkdir()
    shutil.copy(clean, pytester.path / "cassettes" / "clean.yaml")
    dirty = edited(clean, set_in_answer(0, "/data/0/info/name", "Phạm Thị Kiều Oanh"))
    shutil.copy(dirty, pytester.path / "cassettes" / "dirty.yaml")
    pytester.makepyfile(
        test_marked="""
        import pytest

        @pytest.mark.cvs_cassette("clean")
        def test_clean(cvs_mock):
            assert cvs_mock.journal == []

        @pytest.mark.cvs_cassette("dirty")
        def test_dirty(cvs_mock):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*cvs_cassette: *dirty.yaml carries what looks like personal data*",
            "*interaction 0: response body /data/0/info/name: a Vietnamese full name*",
        ]
    )
    assert "Oanh" not in result.stdout.str()
