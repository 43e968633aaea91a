"""The layer contract in pyproject.toml holds for the tree, and breaks for an import up a layer.

``lint-imports`` (import-linter) reads the contract; these tests run it on a copy of the two
packages, so a planted import never touches the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_tree(folder: Path) -> Path:
    for package in ("mockserver", "cvs_testkit"):
        shutil.copytree(ROOT / package, folder / package, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    if not LINT_IMPORTS.exists():
        pytest.skip("needs import-linter (pip install import-linter)")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )


def _plant(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    marker = "from __future__ import annotations\n"
    path.write_text(text.replace(marker, marker + "\n" + line + "\n", 1), encoding="utf-8")


def test_the_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        pytest.param(
            "mockserver/contract/catalogue.py",
            "from mockserver.pipeline import api_view  # noqa: F401",
            "mockserver layers",
            id="contract-imports-pipeline",
        ),
        pytest.param(
            "mockserver/state/journal.py",
            "from mockserver.flows.ocr import views  # noqa: F401",
            "mockserver layers",
            id="state-imports-a-flow",
        ),
        pytest.param(
            "mockserver/flows/smart_crop/views.py",
            "from mockserver.flows.ocr import views as ocr_views  # noqa: F401",
            "flows are independent",
            id="flow-imports-a-flow",
        ),
        pytest.param(
            "mockserver/media/pictures.py",
            "import hypothesis  # noqa: F401",
            "the fake never imports the toolkit, pytest or Hypothesis",
            id="fake-imports-hypothesis",
        ),
        pytest.param(
            "cvs_testkit/images.py",
            "from cvs_testkit import plugin  # noqa: F401",
            "cvs_testkit layers",
            id="images-import-the-plugin",
        ),
    ],
)
def test_an_import_up_a_layer_breaks_the_contract(tmp_path: Path, module: str, planted: str, broken: str) -> None:
    folder = _copy_tree(tmp_path)
    _plant(folder / module, planted)
    result = _lint(folder)
    assert result.returncode == 1, result.stdout
    assert f"{broken} BROKEN" in result.stdout.splitlines()


def test_a_module_that_imports_its_importer_back_is_a_cycle(tmp_path: Path) -> None:
    folder = _copy_tree(tmp_path)
    # generation.documents imports papers (through the registry); papers importing documents closes a ring
    _plant(folder / "mockserver/generation/papers.py", "from mockserver.generation import documents  # noqa: F401")
    result = _lint(folder)
    assert result.returncode == 1
    assert "no import cycles BROKEN" in result.stdout.splitlines()
    assert "mockserver layers KEPT" in result.stdout.splitlines()  # a ring inside one layer
