"""Under ``--cvs-base-url``, the fixtures never let a test reach the vendor by accident:
``cvs_mock`` and ``cvs_httpx`` send every call for the vendor's hosts to the served fake, as
the test's own tenant; other hosts are untouched; only ``--cvs-allow-real`` lets a vendor
call through, and the run says so. Everything runs inside a network namespace that has only
its own loopback, so nothing could leave even if a fixture were wrong."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.components import loopback_namespace
from tests.live.helpers import cvs_mock_process

pytestmark = pytest.mark.components  # a network namespace

pytest.importorskip("httpx")

INTEGRATOR_TESTS = """
import asyncio

import httpx
import pytest
import requests

from cvs_testkit import images

VENDOR = "https://cloud.computervision.com.vn"


def test_a_card_read_through_requests(cvs_mock):
    front = images.id_card("chip_id_card_front", name="NGUYỄN VĂN AN", id="001099012345")
    answer = requests.post(
        f"{VENDOR}/api/v2/ekyc/card?format_type=file",
        files={"img": ("front.png", front)},
        auth=cvs_mock.credentials.auth,
        timeout=30,
    )
    data = answer.json()["data"]
    assert (data[0] if isinstance(data, list) else data)["info"]["name"] == "NGUYỄN VĂN AN"
    assert [e["path"] for e in cvs_mock.journal] == ["/api/v2/ekyc/card"]


def test_the_demo_host_and_a_hard_coded_demo_pair_land_in_this_tests_tenant(cvs_mock):
    answer = requests.get("https://demo.computervision.com.vn/api/v2/face_search/images", auth=("demo", "p@55w0rd"))
    assert answer.json()["status_code"] == 0
    assert cvs_mock.credentials.api_key != "demo"
    assert [e["path"] for e in cvs_mock.journal] == ["/api/v2/face_search/images"]


def test_a_wrong_secret_still_gets_the_auth_error(cvs_mock):
    answer = requests.get(f"{VENDOR}/api/v2/face_search/images", auth=(cvs_mock.credentials.api_key, "wrong"))
    assert answer.json()["status_code"] == 4  # Face Search: Incorrect Api_key or api_secret


def test_a_forced_outcome_reaches_a_vendor_host_call(cvs_mock):
    cvs_mock.force("ocr", code="4")
    url = f"{VENDOR}/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
    answer = requests.get(url, auth=cvs_mock.credentials.auth, timeout=30)
    assert answer.json()["errorCode"] == "4"


def test_a_dropped_connection_stays_a_dropped_connection(cvs_mock):
    cvs_mock.force("face_search", fault="drop")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{VENDOR}/api/v2/face_search/images", auth=cvs_mock.credentials.auth, timeout=30)


def test_httpx_sync(cvs_httpx):
    with httpx.Client(transport=cvs_httpx) as client:
        answer = client.get(f"{VENDOR}/api/v2/face_search/images", auth=cvs_httpx.credentials.auth)
    assert answer.json()["status_code"] == 0
    assert [e["path"] for e in cvs_httpx.journal] == ["/api/v2/face_search/images"]


def test_httpx_async(cvs_httpx):
    async def call():
        async with httpx.AsyncClient(transport=cvs_httpx) as client:
            return await client.get(f"{VENDOR}/api/v2/face_search/images", auth=cvs_httpx.credentials.auth)

    assert asyncio.run(call()).json()["status_code"] == 0


def test_other_hosts_are_left_alone(cvs_mock, cvs_httpx):
    with pytest.raises(requests.ConnectionError):
        requests.get("http://other.example/api/v2/face_search/images", timeout=5)
    with pytest.raises(httpx.ConnectError):
        httpx.Client(transport=cvs_httpx).get("http://other.example/", timeout=5)
"""

REAL_TESTS = """
import httpx
import pytest
import requests


def test_with_allow_real_a_vendor_call_goes_to_the_vendor(cvs_mock, cvs_httpx):
    with pytest.raises(requests.ConnectionError):  # no network here: it really tried the vendor
        requests.get("https://cloud.computervision.com.vn/api/v2/face_search/images", timeout=5)
    with pytest.raises(httpx.ConnectError):
        httpx.Client(transport=cvs_httpx).get("https://cloud.computervision.com.vn/", timeout=5)
"""


@pytest.fixture(scope="module")
def isolated() -> Iterator[tuple[list[str], str]]:
    """A namespace with only loopback, and a served fake with open tenants inside it."""
    with loopback_namespace() as within:
        with cvs_mock_process("--tenants", "open", within=within, probe=False) as (base_url, _):
            yield within, base_url


def _pytest(within: list[str], folder: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_integrator.py").write_text(source, encoding="utf-8")
    argv = [*within, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *args]
    return subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=300)


def test_every_vendor_host_call_goes_to_the_served_fake(isolated: tuple[list[str], str], tmp_path: Path) -> None:
    within, base_url = isolated
    run = _pytest(within, tmp_path, INTEGRATOR_TESTS, "--cvs-base-url", base_url)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "8 passed" in run.stdout


def test_only_allow_real_lets_a_vendor_call_through_and_the_run_says_so(
    isolated: tuple[list[str], str], tmp_path: Path
) -> None:
    within, base_url = isolated
    run = _pytest(within, tmp_path, REAL_TESTS, "--cvs-base-url", base_url, "--cvs-allow-real")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "--cvs-allow-real: in 2 test(s) the cvs fixtures let calls to the vendor's hosts through" in run.stdout


def test_the_vendor_as_base_url_needs_allow_real(isolated: tuple[list[str], str], tmp_path: Path) -> None:
    within, _ = isolated
    run = _pytest(within, tmp_path, REAL_TESTS, "--cvs-base-url", "https://cloud.computervision.com.vn")
    assert run.returncode == 4  # pytest's usage error
    assert "is the vendor's real API: add --cvs-allow-real" in run.stderr
