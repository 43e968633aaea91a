"""Schemathesis with the shipped contracts/schemathesis.toml on the bundled contract, against a
live fake: every phase, the stateful one over the Face Search links included, finds nothing,
and the stateful phase really updates images it stored."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import requests

from mockserver import create_app
from mockserver.contract.loading import contracts_dir
from mockserver.server import MockServer
from tests.toolchain.tools import BUNDLED

DEMO = ("demo", "p@55w0rd")


def test_the_shipped_config_runs_every_phase_with_no_failure() -> None:
    with MockServer(create_app({"TESTING": True})) as server:
        done = subprocess.run(
            [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
             "--config-file", str(contracts_dir() / "schemathesis.toml"),
             "run", str(BUNDLED), "--url", server.base_url,
             "--max-examples", "5", "--seed", "20261203", "--workers", "1", "--no-color"],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        journal = requests.get(server.base_url + "/__mock__/journal?limit=1000", auth=DEMO, timeout=10).json()
    output = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, output
    assert "No issues found" in done.stdout, output
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in done.stdout, (phase, output)
    entries = journal["entries"] if isinstance(journal, dict) else journal
    succeeded = Counter(
        (e["method"], e["endpoint"]) for e in entries if e["flow"] == "face_search" and str(e["code"]) == "0"
    )
    # Ids are drawn at random outside the links, so a successful update or delete is one that
    # followed a link from an image the run stored.
    assert succeeded[("POST", "face_search/add")] > 0, succeeded
    assert succeeded[("PUT", "face_search/update")] > 0, succeeded
