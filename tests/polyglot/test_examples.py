"""The examples in other languages pass against a served fake with open tenants, each with its
one documented command: Node's own test runner, PHPUnit, and javac with JUnit 5's console
launcher (Debian's nodejs, phpunit and junit5)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.components import missing
from tests.live.helpers import cvs_mock_process

pytestmark = [pytest.mark.polyglot, pytest.mark.components]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
JUNIT = Path("/usr/share/java/junit-platform-console-standalone.jar")


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with cvs_mock_process("--tenants", "open", env={"CVS_MOCK_ACCESS_LOG": "off"}) as (base, _):
        yield base


def _run(command: list[str], folder: Path, base: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=folder, env={**os.environ, "CVS_BASE_URL": base, "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    return done


def test_the_node_example(served: str) -> None:
    if shutil.which("node") is None:
        missing("nodejs", "node")
    done = _run(["node", "--test", "test/"], EXAMPLES / "node", served)
    assert re.search(r"^# pass 5$", done.stdout, re.M) and re.search(r"^# fail 0$", done.stdout, re.M)


def test_the_php_example(served: str) -> None:
    if shutil.which("phpunit") is None:
        missing("phpunit", "phpunit")
    done = _run(["phpunit", "tests"], EXAMPLES / "php", served)
    assert "OK (5 tests" in done.stdout


def test_the_java_example(served: str, tmp_path: Path) -> None:
    if shutil.which("javac") is None:
        missing("default-jdk-headless", "javac")
    if not JUNIT.exists():
        missing("junit5", str(JUNIT))
    copy = tmp_path / "java"
    shutil.copytree(EXAMPLES / "java", copy)  # its build/ goes beside the copy, not into the tree
    done = _run(["sh", "run-tests.sh"], copy, served)
    assert re.search(r"\[\s+5 tests successful\s+\]", done.stdout) and re.search(
        r"\[\s+0 tests failed\s+\]", done.stdout
    )
