"""The benchmark sections. Each returns rows: (section, measure, cvs-mock, baseline, ratio, goal)."""

from __future__ import annotations

import base64
import io
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import responses

from cvs_testkit import images
from cvs_testkit.images import to_base64
from cvs_testkit.transports import CVSMock
from mockserver import create_app
from mockserver.contract.loading import contracts_dir

from . import wrk
from .load import run_load
from .processes import bare, cvs_mock, peak_rss_reset, prism, process, rss_kib

Row = tuple[str, str, str, str, str, str]
AUTH = ("demo", "p@55w0rd")
BASIC = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
CARDS_URL = "https://cloud.computervision.com.vn/api/v2/ekyc/cards?format_type=base64&get_thumb=false"
OCR_GET = "/api/v2/ekyc/card?img=https://cdn.example.vn/kyc/the-cccd.jpg&format_type=url&get_thumb=false"


def _rate(call: Any, seconds: float) -> float:
    for _ in range(20):
        call()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - started)


def in_process(seconds: float) -> list[Row]:
    """OCR ekyc/cards base64 through cvs_mock vs a bare responses stub of the same bytes."""
    body = {
        "img1": to_base64(images.id_card("chip_id_card_front")),
        "img2": to_base64(images.id_card("chip_id_card_back")),
    }
    session = requests.Session()
    with CVSMock(create_app()):
        raw = session.post(CARDS_URL, json=body, auth=AUTH).content
        fake_rate = _rate(lambda: session.post(CARDS_URL, json=body, auth=AUTH), seconds)
    with responses.RequestsMock() as stub:
        stub.add("POST", CARDS_URL.split("?")[0], body=raw, content_type="application/json")
        bare_rate = _rate(lambda: session.post(CARDS_URL, json=body, auth=AUTH), seconds)
    return [
        (
            "in-process",
            "ekyc/cards base64, calls/s (cvs_mock vs bare responses)",
            f"{fake_rate:.0f}",
            f"{bare_rate:.0f}",
            f"{fake_rate / bare_rate:.2f}",
            ">= 0.5",
        )
    ]


def files(seconds: float) -> list[Row]:
    """The endpoints that read whole files, beside the calls they sit next to in one run:
    a six-page claim file and an HR file against one card, liveness against face matching."""
    base = "https://cloud.computervision.com.vn/api/v2"
    pages = [images.document(t) for t in ("claim_form", "chip_id_card_front", "chip_id_card_back", "bvcard")]
    claim = images.pdf([*pages, images.document("claim_page", fields={"label": "invoice"}), None])
    hr_file = images.pdf(
        [images.document(t) for t in ("id_card", "curriculum_vitae", "curriculum_vitae", "academic_degree")]
    )
    card = {"img": to_base64(images.id_card("chip_id_card_front"))}
    shots = {part: (f"{part}.jpg", data) for part, data in images.liveness_shots("an").items()}
    pair = {"img1": to_base64(images.id_card(identity="an")), "img2": to_base64(images.portrait("an"))}
    session = requests.Session()
    with CVSMock(create_app()):
        one_card = _rate(lambda: session.post(f"{base}/ekyc/card?format_type=base64", json=card, auth=AUTH), seconds)
        claims = _rate(
            lambda: session.post(f"{base}/ocr/claims?format_type=file", files={"img": ("c.pdf", claim)}, auth=AUTH),
            seconds,
        )
        profile = _rate(
            lambda: session.post(
                f"{base}/ocr/employee_profile?format_type=file", files={"img": ("h.pdf", hr_file)}, auth=AUTH
            ),
            seconds,
        )
        match = _rate(
            lambda: session.post(f"{base}/ekyc/face_matching?format_type=base64", json=pair, auth=AUTH), seconds
        )
        live = _rate(lambda: session.post(f"{base}/ekyc/verify_liveness", files=shots, auth=AUTH), seconds)
    return [
        _row("files", "ocr/claims 6-page PDF vs ekyc/card, calls/s", claims, one_card, ">= 0.1"),
        _row("files", "ocr/employee_profile 4-page PDF vs ekyc/card, calls/s", profile, one_card, ">= 0.1"),
        _row("files", "verify_liveness 3 portraits vs face_matching, calls/s", live, match, ">= 0.5"),
    ]


def _row(section: str, measure: str, mine: float, baseline: float, goal: str) -> Row:
    return (section, measure, f"{mine:.0f}", f"{baseline:.0f}", f"{mine / baseline:.2f}", goal)


def _search_body() -> bytes:
    return json.dumps({"image": {"base64": to_base64(images.portrait("khach-hang"))}}).encode()


def _load(base: str, method: str, path: str, body: bytes | None, total: int) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, errors) from wrk when installed, else the Python generator."""
    if wrk.available():
        found = wrk.run_wrk(base, method, path, body, BASIC, seconds=max(2, total // 800))
        return found.rate, found.p50, found.p99, found.errors
    result = run_load(base, method, path, body, BASIC, total=total)
    return result.rate, result.p50, result.percentile(99), result.errors


def load_generator() -> str:
    return "wrk -t2 -c8" if wrk.available() else "Python, 8 clients (install wrk for the C load generator)"


def _warm(base: str) -> None:
    """First answers load data and fill caches; neither server is timed on them."""
    for _ in range(20):
        requests.get(base + OCR_GET, headers=BASIC, timeout=30)


def live(total: int) -> list[Row]:
    """cvs-mock serve vs a bare Flask app on the same waitress settings, 8 connections."""
    rows: list[Row] = []
    cases = [
        ("OCR GET url mode", "GET", OCR_GET, None),
        ("Face Search search", "POST", "/api/v2/face_search/search", _search_body()),
    ]
    with process(cvs_mock(), "/__mock__/health") as (fake, _):
        for n in range(50):  # a gallery to search
            requests.post(
                fake + "/api/v2/face_search/images",
                auth=AUTH,
                timeout=30,
                json={"image": {"base64": to_base64(images.portrait(f"p{n % 10}"))}},
            )
        _warm(fake)
        for name, method, path, body in cases:
            answer = requests.request(method, fake + path, data=body, headers=BASIC, timeout=30).content
            fake_rate, fake_p50, fake_p99, fake_errors = _load(fake, method, path, body, total)
            with tempfile.NamedTemporaryFile(suffix=".json") as file:
                file.write(answer)
                file.flush()
                with process(bare(Path(file.name))) as (baseline, _):
                    _warm(baseline)
                    bare_rate, bare_p50, bare_p99, bare_errors = _load(baseline, method, path, body, total)
            rows.append(
                (
                    "live",
                    f"{name}: requests/s",
                    f"{fake_rate:.0f}",
                    f"{bare_rate:.0f}",
                    f"{fake_rate / bare_rate:.2f}",
                    ">= 0.5",
                )
            )
            rows.append(
                (
                    "live",
                    f"{name}: p50 / p99 ms",
                    f"{fake_p50:.1f} / {fake_p99:.1f}",
                    f"{bare_p50:.1f} / {bare_p99:.1f}",
                    "",
                    "p99 < 20",
                )
            )
            if fake_errors:
                rows.append(("live", f"{name}: errors", str(fake_errors), str(bare_errors), "", "0"))
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peer(total: int, prism_dir: Path) -> list[Row]:
    """The same OCR request on Prism 5 serving contracts/openapi.yaml."""
    command = prism(contracts_dir() / "openapi.yaml", _free_port(), prism_dir)
    if command is None:
        return [
            (
                "peer",
                "Prism 5: not installed",
                "-",
                "-",
                "-",
                f"npm install --prefix {prism_dir} @stoplight/prism-cli@5",
            )
        ]
    with process(cvs_mock(), "/__mock__/health") as (fake, _):
        _warm(fake)
        fake_rate, fake_p50, fake_p99, _errors = _load(fake, "GET", OCR_GET, None, total)
    port = int(command[command.index("--port") + 1])
    with process(command + [], "/", timeout=120) as (baseline, _):
        _warm(baseline)
        prism_rate, prism_p50, prism_p99, prism_errors = _load(baseline, "GET", OCR_GET, None, total)
    return [
        (
            "peer",
            "OCR GET: requests/s (cvs-mock vs Prism 5)",
            f"{fake_rate:.0f}",
            f"{prism_rate:.0f}",
            f"{fake_rate / prism_rate:.2f}",
            ">= 1.5",
        ),
        (
            "peer",
            "OCR GET: p50 / p99 ms",
            f"{fake_p50:.1f} / {fake_p99:.1f}",
            f"{prism_p50:.1f} / {prism_p99:.1f}",
            "",
            f"Prism errors {prism_errors}, port {port}",
        ),
    ]


FIXTURE_TESTS = """
import requests
URL = "https://cloud.computervision.com.vn/api/v2/face_search/images"
{setup}
def _one(fake):
    assert requests.get(URL, auth=("demo", "p@55w0rd"), timeout=5).status_code == 200
{tests}
"""


def _timed_pytest(folder: Path, body: str) -> float:
    (folder / "test_many.py").write_text(body)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        check=True,
        capture_output=True,
        cwd=folder,
        timeout=900,
    )
    return time.perf_counter() - started


def fixtures(count: int) -> list[Row]:
    """cvs_server start-up and reset; wall time of many small cvs_mock tests vs bare stubs."""
    from cvs_testkit.transports import LiveFake
    from mockserver.server import MockServer

    started = time.perf_counter()
    server = MockServer(create_app()).start()
    requests.get(server.base_url + "/__mock__/health", timeout=10)
    startup = (time.perf_counter() - started) * 1000
    fake = LiveFake(server.base_url)
    resets = []
    for _ in range(50):
        t = time.perf_counter()
        fake.reset()
        resets.append((time.perf_counter() - t) * 1000)
    server.stop()
    empty_app = (lambda: (time.perf_counter(), create_app(), time.perf_counter()))()
    app_ms = (empty_app[2] - empty_app[0]) * 1000
    tests = "\n".join(f"def test_{n}(cvs_mock):\n    _one(cvs_mock)\n" for n in range(count))
    stub_setup = (
        "import pytest, responses\n@pytest.fixture\ndef stub():\n    with responses.RequestsMock() as r:\n"
        "        r.add('GET', URL, json={'result': [], 'status_code': 0, 'message': 'Success'})\n"
        "        yield r\n"
    )
    stub_tests = "\n".join(f"def test_{n}(stub):\n    _one(stub)\n" for n in range(count))
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        with_fake = _timed_pytest(Path(a), FIXTURE_TESTS.format(setup="", tests=tests))
        with_stub = _timed_pytest(Path(b), FIXTURE_TESTS.format(setup=stub_setup, tests=stub_tests))
    return [
        (
            "fixtures",
            "cvs_server start-up ms (vs create_app alone)",
            f"{startup:.1f}",
            f"{app_ms:.1f}",
            f"{startup / app_ms:.1f}x",
            "",
        ),
        ("fixtures", "per-test reset ms (median of 50)", f"{statistics.median(resets):.2f}", "", "", ""),
        (
            "fixtures",
            f"{count} tests with cvs_mock vs bare responses stub, wall s",
            f"{with_fake:.1f}",
            f"{with_stub:.1f}",
            f"{with_fake / with_stub:.2f}x",
            "<= 1.2x",
        ),
    ]


def _bulk_faces(store: Any, owner: str, count: int) -> None:
    rows = [(owner, f"id-{n % 5000}", "f", "{}") for n in range(count)]
    with store.database.tx() as db:
        db.executemany("INSERT INTO faces (owner, identity, file_id, metadata) VALUES (?, ?, ?, ?)", rows)


def _median_ms(call: Any, repeat: int = 100) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _gallery_latencies(size: int) -> tuple[float, float, float]:
    probe = json.dumps({"image": {"base64": to_base64(images.portrait("id-42"))}})
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"STATE": str(Path(folder) / "scale.sqlite")})
        _bulk_faces(app.extensions["cvs"].store, "demo", size)
        client = app.test_client()
        first = _median_ms(lambda: client.get("/api/v2/face_search/images?limit=50", headers=BASIC))
        middle = _median_ms(
            lambda: client.get(f"/api/v2/face_search/images?offset={size // 2}&limit=50", headers=BASIC)
        )
        found = _median_ms(lambda: client.post("/api/v2/face_search/search", data=probe, headers=BASIC))
        app.extensions["cvs"].store.close()
    return first, middle, found


def scale(sizes: tuple[int, ...]) -> list[Row]:
    """Face Search list and search latency with growing galleries in SQLite state."""
    results = {size: _gallery_latencies(size) for size in sizes}
    small, big = sizes[0], sizes[-1]
    rows = []
    for n, label in enumerate(("list first page", "list middle page", "search")):
        values = " / ".join(f"{results[s][n]:.2f}" for s in sizes)
        rows.append(
            (
                "scale",
                f"{label} ms at {' / '.join(f'{s // 1000}k' for s in sizes)}",
                values,
                "",
                f"{results[big][n] / results[small][n]:.2f}",
                "flat (ratio ~1)",
            )
        )
    return rows


def memory(megabytes: int) -> list[Row]:
    """Peak RSS while the server handles one base64 upload of about ``megabytes`` MB."""
    side = int((megabytes * 1024 * 1024 * 3 / 4 / 3) ** 0.5)
    noise = random.Random(7).randbytes(side * side * 3)
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(out, "PNG", compress_level=0)
    body = json.dumps({"img": base64.b64encode(out.getvalue()).decode()}).encode()
    with process(cvs_mock(), "/__mock__/health") as (fake, pid):
        requests.get(fake + OCR_GET, auth=AUTH, timeout=30)
        baseline = rss_kib(pid)
        peak_rss_reset(pid)
        answer = requests.post(
            fake + "/api/v2/ekyc/card?format_type=base64",
            data=body,
            timeout=120,
            headers={**BASIC, "Content-Type": "application/json"},
        ).json()
        peak = rss_kib(pid, "VmHWM")
    grown = (peak - baseline) * 1024
    return [
        (
            "memory",
            f"peak RSS growth for a {len(body) / 2**20:.1f} MB base64 upload (errorCode {answer.get('errorCode')})",
            f"{grown / 2**20:.1f} MB",
            f"{len(body) / 2**20:.1f} MB",
            f"{grown / len(body):.2f}x",
            "< 5x",
        )
    ]
