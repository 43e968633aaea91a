"""Replay's matchers: each named, each saying why it failed, chosen by ``match_on``; and one
reading of what a cassette folder holds, for replay and the leak check alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver import create_app
from mockserver.recording.check import check_paths
from mockserver.recording.persister import cassette_files
from mockserver.recording.recorder import Recorder
from mockserver.recording.replayer import Replayer, load
from mockserver.recording.request import describe
from mockserver.state.positions import LocalPositions
from tests.conftest import Api

LIST = "/api/v2/face_search/images"


def _cassette(folder: Path, name: str = "gallery", query: str = "offset=0&limit=5") -> Path:
    recorder = Recorder(folder, name)
    sent = describe("GET", f"{LIST}?{query}", "", None)
    answer = {"status_code": 0, "status": "Success", "result": []}
    recorder.record(
        sent, "http://upstream.test", 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()
    )
    return recorder.path


def test_a_failed_match_names_each_matcher_that_failed_and_how(tmp_path: Path) -> None:
    replayer = Replayer(load([_cassette(tmp_path)]), match_on=["method", "operation", "mode"])
    asked = describe("POST", LIST, "application/json", b"{}")
    assert replayer.match(asked, LocalPositions()) is None
    closest = replayer.closest(asked)
    assert closest == "closest: gallery#0 GET /api/v2/face_search/images (url): method 'POST' vs recorded 'GET'; " \
        "mode 'base64' vs recorded 'url'"  # fmt: skip


def test_match_on_decides_what_counts(tmp_path: Path) -> None:
    recorded = load([_cassette(tmp_path)])
    other_query = describe("GET", f"{LIST}?offset=7", "", None)
    assert Replayer(recorded).match(other_query, LocalPositions()) is not None  # the query is not compared by default
    by_query = Replayer(recorded, match_on="method,operation,query")
    assert by_query.match(other_query, LocalPositions()) is None
    assert "query (('offset', '7'),) vs recorded" in by_query.closest(other_query)


def test_an_unknown_matcher_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no matcher named headers; known: method, operation, path, mode, images"):
        Replayer([], match_on=["method", "headers"])


def test_the_admin_api_takes_match_on_and_says_what_it_uses(tmp_path: Path) -> None:
    path = _cassette(tmp_path)
    app = create_app({"TESTING": True})
    admin = app.test_client()
    answer = admin.put("/__mock__/replay", json={"cassettes": [str(path)], "match_on": ["method", "operation"]})
    assert answer.status_code == 200 and answer.get_json()["match_on"] == ["method", "operation"]
    response = Api(app.test_client()).get(f"{LIST}?offset=3")
    assert response.headers["X-CVS-Mock-Trigger"] == "replay:gallery#0"
    bad = admin.put("/__mock__/replay", json={"cassettes": [str(path)], "match_on": ["colour"]})
    assert bad.status_code == 400 and "no matcher named colour" in bad.get_json()["error"]
    bad = admin.put("/__mock__/replay", json={"cassettes": [str(path)], "match_on": "method"})
    assert bad.status_code == 400 and "list of matcher names" in bad.get_json()["error"]


def test_serve_refuses_an_unknown_matcher_in_one_line(tmp_path: Path) -> None:
    path = _cassette(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mockserver.cli", "serve", "--replay", str(path), "--replay-match-on", "method,colour",
         "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "no matcher named colour" in done.stderr


def test_replay_and_the_leak_check_read_a_folder_alike(tmp_path: Path) -> None:
    _cassette(tmp_path, "top")
    nested = tmp_path / "team" / "flows"
    _cassette(nested, "deep")
    (nested / "deep.yaml").rename(nested / "deep.yml")
    (tmp_path / "notes.txt").write_text("not a cassette", encoding="utf-8")
    files = [p.relative_to(tmp_path).as_posix() for p in cassette_files([tmp_path])]
    assert files == ["team/flows/deep.yml", "top.yaml"]
    assert sorted(e.cassette for e in load([tmp_path])) == ["deep", "top"]
    assert check_paths([tmp_path]) == []
