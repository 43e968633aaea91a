"""Clients as the docs tell a newcomer to make them: openapi-fetch over openapi-typescript's
types (Basic auth, a multipart upload) and openapi-python-client with the shipped config (a
short package name); each reads a card from a live fake."""

from __future__ import annotations

import base64
import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cvs_testkit import images
from mockserver import create_app
from mockserver.server import MockServer
from tests.toolchain.tools import BUNDLED, HERE, npm_tool, python_tool, run

CONFIG = Path(__file__).resolve().parents[2] / "contracts" / "openapi-python-client.yaml"


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with MockServer(create_app({"TESTING": True})) as server:
        yield server.base_url


def _hosted_card(base: str, name: str) -> str:
    import requests

    return str(requests.post(base + "/__mock__/files", data=images.id_card("chip_id_card_front", name=name),
                             headers={"Content-Type": "image/png"}, timeout=10).json()["url"])  # fmt: skip


def test_openapi_fetch_with_basic_auth_and_a_multipart_upload(fake: str, tmp_path: Path) -> None:
    generator, tsc = npm_tool("openapi-typescript", "openapi-typescript"), npm_tool("tsc", "typescript")
    done = run(generator, str(BUNDLED), "-o", str(tmp_path / "cvs.d.ts"))
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.copy(HERE / "typescript" / "fetch_client.ts", tmp_path / "fetch_client.ts")
    (tmp_path / "node_modules").symlink_to(HERE / "node_modules")
    built = run(tsc, "--strict", "--target", "es2020", "--module", "commonjs", "--moduleResolution", "node",
                "--lib", "es2020,dom", "--outDir", str(tmp_path / "out"), "fetch_client.ts", cwd=tmp_path)  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    node = shutil.which("node")
    assert node is not None
    ran = run(node, str(tmp_path / "out" / "fetch_client.js"), fake, _hosted_card(fake, "PHẠM VĂN BÌNH"), cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.strip() == "read chip_id_card_front: PHẠM VĂN BÌNH"


def test_the_shipped_python_config_makes_a_short_named_client_that_reads_a_card(fake: str, tmp_path: Path) -> None:
    tool = python_tool("openapi-python-client", "openapi-python-client")
    done = run(tool, "generate", "--path", str(BUNDLED), "--meta", "none", "--config", str(CONFIG),
               "--output-path", str(tmp_path / "cvs_api_client"), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module("cvs_api_client")
        auth = "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()
        client = package.Client(base_url=fake, headers={"Authorization": auth})
        import httpx

        card = _hosted_card(fake, "ĐỖ THỊ HÀ")
        answer = client.get_httpx_client().get("/api/v2/ekyc/card", params={"img": card, "format_type": "url"})
        assert answer.json()["data"]["info"]["name"] == "ĐỖ THỊ HÀ"
        assert isinstance(answer, httpx.Response)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith("cvs_api_client")]:
            del sys.modules[name]
