"""Schemathesis with the shipped contracts/schemathesis.toml on the bundled contract, against a
live fake: every phase, the stateful one over the Face Search links included, finds nothing,
and the stateful phase really updates images it stored."""

from __future__ import annotations

import subprocess
import sys

import requests

from mockserver import create_app
from mockserver.contract.loading import contracts_dir, load_contract
from mockserver.server import MockServer
from tests.helpers.components import needs_module
from tests.toolchain.tools import BUNDLED

DEMO = ("demo", "p@55w0rd")


def test_the_shipped_config_runs_every_phase_with_no_failure() -> None:
    needs_module("schemathesis")
    with MockServer(create_app({"TESTING": True})) as server:
        done = subprocess.run(
            [sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
             "--config-file", str(contracts_dir() / "schemathesis.toml"),
             "run", str(BUNDLED), "--url", server.base_url,
             "--max-examples", "5", "--seed", "20261203", "--workers", "1", "--no-color"],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        # usage counts the whole run; the journal keeps only the newest 1000 requests
        usage = requests.get(server.base_url + "/__mock__/usage", auth=DEMO, timeout=10).json()["totals"]["demo"]
    output = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, output
    assert "No issues found" in done.stdout, output
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in done.stdout, (phase, output)
    succeeded = {endpoint: counts["billable"] for endpoint, counts in usage.items()}  # billable: code 0
    # Ids are drawn at random outside the links, so a successful update or delete is one that
    # followed a link from an image the run stored.
    assert succeeded["face_search/add"] > 0 and succeeded["face_search/update"] > 0, succeeded
    assert len(succeeded) == len({op.path for op in load_contract().operations}) + 2  # Face Search: 2 paths, 5 ops
