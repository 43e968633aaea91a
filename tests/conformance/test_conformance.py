"""``cvs-testkit conformance`` against real HTTP servers: the fake (green) and a wrong one."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from cvs_testkit.conformance.probes import document_endpoints
from mockserver import create_app
from mockserver.server import MockServer
from tests.conformance.wrong_upstream import wrong_app
from tests.live.helpers import cvs_mock_process

SECRET = "p@55w0rd"


def run(base_url: str, *args: str, secret: str = SECRET) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "cvs_testkit.cli",
        "conformance",
        "--base-url",
        base_url,
        "--api-key",
        "demo",
        "--api-secret",
        secret,
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_the_fake_conforms_all_green(tmp_path: Path) -> None:
    with cvs_mock_process() as (base, _):
        done = run(base, "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "result: PASS" in done.stdout
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["passed"] is True and report["billable_spent"] <= report["max_billable"]
    assert all(r["outcome"] == "passed" for r in report["results"])
    assert report["assumptions"]["D6"] == "confirmed" and report["assumptions"]["D40"] == "not exercised"
    assert report["codes"]["ocr"]["unknown"] == [] and "0" in report["codes"]["ocr"]["met"]
    suites = ET.parse(tmp_path / "r.xml").getroot()
    assert {s.get("name") for s in suites} == {"ocr", "face_matching", "liveness", "face_search", "smart_crop"}
    assert report["assumptions"]["D51"] == "confirmed" and report["codes"]["liveness"]["met"] == ["0", "3", "5"]
    assert sum(int(s.get("failures", "1")) for s in suites) == 0
    for text in (done.stdout, done.stderr, (tmp_path / "r.json").read_text(), (tmp_path / "r.xml").read_text()):
        assert SECRET not in text


def test_a_wrong_server_is_reported_precisely(tmp_path: Path) -> None:
    with MockServer(wrong_app()) as server:
        done = run(server.base_url, "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"))
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    results = {r["name"]: r for r in report["results"]}

    def findings(name: str) -> list[tuple[str, str, str]]:
        return [(f["check"], f["path"], f["got"]) for f in results[name]["findings"]]

    assert ("response_schema", "/data/0/type", "nothing") in findings("ocr ekyc/cards success")
    assert any(path == "/data/match" and got == "1.5" for _, path, got in findings("face_matching success"))
    wrong_code = findings("face_search wrong secret")
    assert ("envelope", "/status_code", "42") in wrong_code
    assert findings("smart_crop crop_image success")[0][0] == "json_body"
    drift = results["ocr ekyc/card success"]["drift"]
    assert [(d["path"], d["severity"]) for d in drift] == [("/Exception", "drift")]
    assert results["ocr ekyc/card success"]["outcome"] == "passed"  # drift warns, it does not fail
    assert "42" in report["codes"]["face_search"]["unknown"]
    assert report["assumptions"]["D34"] == "contradicted"
    junit = ET.parse(tmp_path / "r.xml").getroot()
    assert sum(int(s.get("failures", "0")) for s in junit) == len(
        [r for r in report["results"] if r["outcome"] == "failed"]
    )
    assert "at /data/0/type: expected a required field, got nothing" in done.stdout


@pytest.mark.parametrize("limit", [0, 3, 7])
def test_the_billable_budget_is_never_exceeded(limit: int, tmp_path: Path) -> None:
    with MockServer(create_app({"TESTING": True})) as server:
        done = run(server.base_url, "--max-billable", str(limit), "--json", str(tmp_path / "r.json"))
        usage = requests.get(server.base_url + "/__mock__/usage", timeout=10).json()
    billed = sum(c["billable"] for c in usage["totals"].get("demo", {}).values())
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert billed == report["billable_spent"] <= limit
    assert done.returncode == 0
    assert any(r["outcome"] == "skipped" for r in report["results"])


def test_dry_run_sends_nothing() -> None:
    with MockServer(create_app({"TESTING": True})) as server:
        done = run(server.base_url, "--dry-run")
        journal = requests.get(server.base_url + "/__mock__/journal", timeout=10).json()["entries"]
    assert done.returncode == 0 and journal == []
    assert "worst case 12 billable" in done.stdout and "nothing sent" in done.stdout


def test_unreachable_server_is_exit_2_with_one_line() -> None:
    done = run("http://127.0.0.1:9")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("cvs-testkit: cannot connect to http://127.0.0.1:9")


@pytest.mark.parametrize(
    "args, reason",
    [
        (["--flows", "ocr,iris_scan"], "unknown flow(s): iris_scan"),
        (["--max-billable", "-1"], "--max-billable must be 0 or more"),
        (["--images", "/nonexistent-folder"], "--images /nonexistent-folder: no such folder"),
    ],
)
def test_usage_errors_are_exit_2(args: list[str], reason: str) -> None:
    done = run("http://127.0.0.1:9", *args)
    assert done.returncode == 2 and reason in done.stderr


def test_samples_from_a_folder(tmp_path: Path) -> None:
    from cvs_testkit import images

    (tmp_path / "front.png").write_bytes(images.id_card("12_id_card_front", identity="x"))
    (tmp_path / "back.png").write_bytes(images.id_card("12_id_card_back"))
    (tmp_path / "selfie.jpg").write_bytes(images.portrait("x", format="JPEG"))
    with MockServer(create_app({"TESTING": True})) as server:
        done = run(server.base_url, "--images", str(tmp_path), "--flows", "ocr,face_matching")
    assert done.returncode == 0, done.stdout


def test_the_document_endpoints_are_probed_on_request_within_the_budget(tmp_path: Path) -> None:
    with MockServer(create_app({"TESTING": True})) as server:
        done = run(server.base_url, "--flows", "ocr", "--endpoints", "all", "--json", str(tmp_path / "r.json"))
        few = run(
            server.base_url, "--flows", "ocr", "--endpoints", "vehicle_registrations,invoice", "--max-billable", "3"
        )
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    probed = {r["name"] for r in report["results"] if r["name"].startswith("ocr ocr/") and " " not in r["name"][8:]}
    assert len(probed) == len(document_endpoints()) == 19 and done.returncode == 0, done.stdout[-2000:]
    assert "ocr ocr/document/invoice-xml" in probed and report["assumptions"]["D44"] == "confirmed"
    assert few.returncode == 0 and "billable calls: 3 of at most 3" in few.stdout
    assert "[skip] ocr ocr/vehicle_registrations" in few.stderr and "[skip] ocr ocr/document/invoice" in few.stderr


def test_an_unknown_endpoint_is_a_usage_error() -> None:
    done = run("http://127.0.0.1:9", "--endpoints", "ocr/nope")
    assert done.returncode == 2 and "unknown endpoint(s): ocr/nope; known: ocr/vehicle_registrations" in done.stderr
