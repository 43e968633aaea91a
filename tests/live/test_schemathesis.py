"""Schemathesis, driven by contracts/openapi.yaml alone, against a live fake (CI-sized).

The longer run is documented in the README (Reliability); only these checks apply, because the
API answers every business error, credentials included, with HTTP 200 by design.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from mockserver import create_app
from mockserver.contract.loading import contracts_dir
from mockserver.server import MockServer
from tests.helpers.components import needs_module

pytestmark = pytest.mark.components  # Schemathesis from PyPI

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance"


def test_schemathesis_finds_no_5xx_no_schema_violation_no_non_json() -> None:
    needs_module("schemathesis")
    with MockServer(create_app({"TESTING": True})) as server:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from schemathesis.cli import schemathesis; schemathesis()",
                "run",
                str(contracts_dir() / "openapi.yaml"),
                "--url",
                server.base_url,
                "--auth",
                "demo:p@55w0rd",
                "--checks",
                CHECKS,
                "--max-examples",
                "15",
                "--workers",
                "1",
                "--seed",
                "20261124",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "No issues found" in done.stdout
