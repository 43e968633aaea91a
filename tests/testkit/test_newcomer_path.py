"""The newcomer's path: the examples run as examples/README.md writes them against a served
fake, twice in a row, with no credentials set; a mistyped dialect is refused at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import cvs_mock_process

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CVS_API_KEY", "CVS_API_SECRET")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow  # starts several processes
def test_the_examples_pass_against_a_served_fake_twice_as_written() -> None:
    with cvs_mock_process() as (base, _):
        for _ in range(2):
            done = run_pytest("examples/", "--cvs-base-url", base)
            assert done.returncode == 0, done.stdout[-3000:]
            assert " failed" not in done.stdout and "34 passed, 1 skipped" in done.stdout, done.stdout[-600:]


def test_an_unknown_dialect_is_refused_at_start_up_naming_the_known_ones() -> None:
    done = run_pytest("examples/", "--cvs-dialects=nosuch")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert (
        "--cvs-dialects: no dialect named nosuch; known: " in done.stderr and ", all, or a dialect file" in done.stderr
    )


def conformance(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CVS_API_KEY", "CVS_API_SECRET")}
    command = [sys.executable, "-m", "cvs_testkit.cli", "conformance", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_a_dry_run_needs_no_credentials_and_a_missing_samples_folder_is_named() -> None:
    dry = conformance("--base-url", "https://cloud.computervision.com.vn", "--dry-run")
    assert dry.returncode == 0 and "worst case 12 billable (limit --max-billable 12); nothing sent" in dry.stdout
    missing = conformance(
        "--base-url", "http://127.0.0.1:9", "--api-key", "k", "--api-secret", "s", "--images", "nosuch"
    )
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "cvs-testkit: --images nosuch: no such folder (it needs front.*, back.* and selfie.* images)"
    )
