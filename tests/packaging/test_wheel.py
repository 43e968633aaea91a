"""The built wheel, installed alone in a fresh virtualenv, works outside the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

SMOKE = """
from cvs_testkit import assert_conforms
from mockserver.contract.loading import contracts_dir
import cvs_testkit, sys
assert "site-packages" in str(contracts_dir()), contracts_dir()
assert_conforms({"errorCode": "5", "errorMessage": "Incorrect Api_key or api_secret"}, "/api/v2/ekyc/card", "GET")
try:
    assert_conforms({"errorCode": "9", "errorMessage": "?"}, "/api/v2/ekyc/card", "GET")
except AssertionError as exc:
    assert "at /errorCode" in str(exc)
else:
    sys.exit("an unknown code conformed")
from mockserver import create_app
page = create_app({"TESTING": True}).test_client().get("/__mock__/ui/dashboard.js")
assert page.status_code == 200 and b"textContent" in page.data, page.status_code
print("wheel smoke ok")
"""
# Without the optional extras: the plugin works, the strategies say which extra they need, and
# cvs_httpx skips naming its extra.
BARE_TESTS = """
import pytest
import requests


def test_cvs_mock_answers(cvs_mock):
    answer = requests.get("https://cloud.computervision.com.vn/api/v2/ekyc/card?img=https://x.example/a.jpg",
                          auth=("demo", "p@55w0rd"), timeout=5)
    assert answer.status_code == 200 and answer.json()["errorCode"] == "0"


def test_strategies_name_their_extra():
    with pytest.raises(ImportError, match="cvs-testkit\\[strategies\\]"):
        import cvs_testkit.strategies  # noqa: F401


def test_httpx_fixture(cvs_httpx):
    pass
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)], check=True, timeout=600
    )
    return next(out.glob("cvs_testkit-*.whl"))


def test_wheel_holds_the_contract_and_no_top_level_contracts_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for name in (
        "openapi.yaml",
        "errors.json",
        "dialects.json",
        "ASSUMPTIONS.md",
        "schemas/scenario.json",
        "schemas/ocr_document.json",
        "tolerant/ocr_document.json",
        "openapi.bundled.json",
        "openapi.tolerant.bundled.json",
        "redocly.yaml",
        "spectral.yaml",
        "schemathesis.toml",
    ):
        assert f"mockserver/_contracts/{name}" in names
    assert not any(n.startswith("contracts/") for n in names)
    assert "cvs_testkit/plugin/__init__.py" in names and "mockserver/py.typed" in names
    for asset in ("index.html", "dashboard.js", "dashboard.css"):
        assert f"mockserver/admin/dashboard/static/{asset}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "cvs_testkit = cvs_testkit.plugin" in text and "cvs-mock = mockserver.cli:main" in text


def test_fresh_virtualenv_with_only_the_wheel(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900, env=clean)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    smoke = subprocess.run(
        [str(python), "-c", SMOKE], cwd=outside, capture_output=True, text=True, env=clean, timeout=120
    )
    assert smoke.returncode == 0, smoke.stderr
    for command in ("cvs-mock", "cvs-testkit"):
        helped = subprocess.run(
            [str(env_dir / "bin" / command), "--help"], capture_output=True, text=True, env=clean, timeout=60
        )
        assert helped.returncode == 0 and "usage:" in helped.stdout
    (outside / "test_bare.py").write_text(BARE_TESTS)
    bare = _pytest_in(python, outside, clean, "-rs", "test_bare.py")
    assert bare.returncode == 0, bare.stdout[-3000:] + bare.stderr[-2000:]
    assert "2 passed, 1 skipped" in bare.stdout and "cvs-testkit[httpx]" in bare.stdout
    (outside / "test_bare.py").unlink()
    extras = f"cvs-testkit[strategies,httpx] @ {wheel.as_uri()}"
    subprocess.run([str(python), "-m", "pip", "install", "-q", extras], check=True, timeout=900, env=clean)
    shutil.copytree(ROOT / "examples", outside / "examples")
    examples = _pytest_in(python, outside, clean, "examples")
    assert examples.returncode == 0, examples.stdout[-3000:] + examples.stderr[-2000:]
    assert " passed" in examples.stdout


def _pytest_in(python: Path, folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
