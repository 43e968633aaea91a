"""Whole pytest runs, each with two xdist workers, against one shared fake (three replicas on
PostgreSQL behind haproxy, open tenants): at once, and one after another."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.deployments.replicas import Deployment

ROOT = Path(__file__).resolve().parents[2]
SUITE = Path(__file__).parent / "suites" / "own_tenant_suite.py"
RUN_TIMEOUT = 300


pytestmark = pytest.mark.usefixtures("on_components")


def _run(target: Path, base_url: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:randomly", "-p", "no:cacheprovider"]
    return subprocess.Popen(
        [*argv, str(target), "--cvs-base-url", base_url],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _finished(run: subprocess.Popen[str]) -> str:
    output, _ = run.communicate(timeout=RUN_TIMEOUT)
    assert run.returncode == 0, output
    return output


def test_two_runs_at_once_each_see_only_their_own_tenants(team: Deployment) -> None:
    first, second = _run(SUITE, team.balancer), _run(SUITE, team.balancer)
    for run in (first, second):
        assert "10 passed" in _finished(run)


def test_the_examples_pass_twice_in_a_row_and_beside_another_run(team: Deployment) -> None:
    examples = ROOT / "examples"
    alongside = _run(examples, team.balancer)
    for _ in range(2):
        assert "34 passed, 1 skipped" in _finished(_run(examples, team.balancer))
    assert "34 passed, 1 skipped" in _finished(alongside)
