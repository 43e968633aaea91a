"""A served fake as a service: one access-log line per request that never carries a secret, a
query value, a body or a file name; metrics that add up across workers; lifecycle options
checked at start-up."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from cvs_testkit import images
from tests.live.helpers import cvs_mock_process, printed

SECRET = "s3cret-never-logged"
CARD = "/api/v2/ekyc/card?img=https://private.example.vn/CUSTOMER-NGUYEN.jpg&format_type=url"


def test_the_json_access_log_has_a_line_per_request_and_no_personal_value() -> None:
    with cvs_mock_process("--access-log", "json", "--tenants", "open") as (base, proc):
        auth = ("team-log", SECRET)
        requests.get(base + CARD, auth=auth, timeout=30)
        files = {"img": ("passport-of-TRAN-THI-MAI.png", images.id_card("chip_id_card_front"))}
        requests.post(base + "/api/v2/ekyc/card?format_type=file", files=files, auth=auth, timeout=30)
        requests.get(base + "/api/v2/no/such/path?token=abc123", timeout=30)
        requests.get(base + "/__mock__/journal", auth=auth, timeout=30)
    output = printed(proc)
    logged = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    lines = [e for e in logged if e["route"] != "/__mock__/health"]  # the helper's own readiness probe
    assert [(e["method"], e["route"], e["status"]) for e in lines] == [
        ("GET", "/api/v2/ekyc/card", 200),
        ("POST", "/api/v2/ekyc/card", 200),
        ("GET", "-", 404),
        ("GET", "/__mock__/journal", 200),
    ]
    first = lines[0]
    assert set(first) == {"time", "method", "route", "flow", "code", "status", "ms", "tenant", "trigger"}
    assert (first["flow"], first["code"], first["trigger"]) == ("ocr", "0", "image-bytes")
    assert re.fullmatch(r"[0-9a-f]{12}", first["tenant"]) and lines[1]["tenant"] == first["tenant"]
    for value in (SECRET, "team-log", "CUSTOMER-NGUYEN", "private.example.vn", "TRAN-THI-MAI", "abc123", "no/such"):
        assert value not in output


def test_the_text_access_log_and_off() -> None:
    with cvs_mock_process("--access-log", "text") as (base, proc):
        requests.get(base + "/api/v2/face_search/images", auth=("demo", "p@55w0rd"), timeout=30)
    assert re.search(
        r"method=GET route=/api/v2/face_search/images flow=face_search code=0 status=200 ms=", printed(proc)
    )
    with cvs_mock_process("--access-log", "off") as (base, proc):
        requests.get(base + "/api/v2/face_search/images", auth=("demo", "p@55w0rd"), timeout=30)
    assert "route=" not in printed(proc)


def _requests_total(text: str) -> float:
    return sum(float(m[1]) for m in re.finditer(r"^cvs_mock_requests_total\{[^}]*\} (\S+)$", text, re.M))


@pytest.mark.slow  # several worker processes
def test_metrics_add_up_across_workers(tmp_path: Path) -> None:
    with cvs_mock_process("--state", str(tmp_path / "w.sqlite"), "--workers", "2") as (base, proc):
        for _ in range(20):
            requests.get(base + "/api/v2/face_search/images", auth=("demo", "p@55w0rd"), timeout=30)
        # each scrape reaches one worker or the other; every one of them reports all 20
        seen = []
        for _ in range(8):
            with requests.Session() as fresh:  # a new connection, so the kernel may pick the other worker
                text = fresh.get(base + "/__mock__/metrics", timeout=30).text
            seen.append((_requests_total(text), "cvs_mock_tenants 1.0" in text))
        assert set(seen) == {(20.0, True)}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--tenant-ttl", "soon", "--tenants", "open"], "--tenant-ttl: 'soon' is not a duration"),
        (["--tenant-ttl", "30m"], "--tenant-ttl expires open tenants: give --tenants open too"),
        (["--journal-max", "0"], "--journal-max"),
        (["--access-log", "yaml"], "invalid choice: 'yaml'"),
    ],
)
def test_lifecycle_and_log_options_are_checked_in_one_line(args: list[str], says: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert says in done.stderr
