"""The plugin's command-line options and markers, and the checks of what was chosen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cvs_testkit.plugin.dialects import dialect_names, named_dialects
from cvs_testkit.plugin.remote import remote_url


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("cvs-testkit", "CVS API v2 fake and contract")
    group.addoption(
        "--cvs-base-url",
        metavar="URL",
        default=os.environ.get("CVS_BASE_URL"),
        help="run the cvs_* fixtures against this server (a shared cvs-mock or the real "
        "API) instead of the in-process fake; credentials from CVS_API_KEY/CVS_API_SECRET",
    )
    group.addoption(
        "--cvs-allow-real",
        action="store_true",
        default=False,
        help="let cvs_mock and cvs_httpx calls to the vendor's hosts through to the real API (billable); "
        "without it, under --cvs-base-url they go to that server, and the vendor is never reached",
    )
    group.addoption(
        "--cvs-intercept",
        metavar="URL",
        action="append",
        default=[],
        help="another base URL cvs_mock intercepts (repeatable)",
    )
    group.addoption(
        "--cvs-dialects",
        metavar="NAMES",
        default=None,
        help="run each test that uses a cvs fixture once per dialect: 'all' (every named dialect) "
        "or a comma-separated list of names or dialect files",
    )
    group.addoption(
        "--cvs-coverage", action="store_true", help="report which documented CVS outcomes the tests' clients received"
    )
    group.addoption(
        "--cvs-min-coverage",
        metavar="P",
        type=float,
        default=None,
        help="fail the run when error-path coverage is below P percent (implies --cvs-coverage)",
    )


MARKERS = (
    "cvs_fake_only: needs the in-process fake (skipped with --cvs-base-url)",
    "cvs_cassette(name, strict=False): the cvs fixtures answer from cassettes/NAME.yaml (or .yml) beside "
    "the test file (recorded with cvs-mock proxy --record)",
    "cvs_dialect(name=None, options=None): the dialect the cvs fixtures speak in this test "
    "(a named dialect or a dialect file, and/or {option: value})",
)


def add_markers(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def check_choices(config: pytest.Config) -> None:
    """Refuse, before any test runs, a base URL that is the vendor's (without
    ``--cvs-allow-real``) and a dialect that does not exist."""
    remote = remote_url(config)
    if remote and not config.getoption("--cvs-allow-real"):
        from cvs_testkit.routing import is_vendor_url

        if is_vendor_url(remote):
            raise pytest.UsageError(
                f"--cvs-base-url {remote} is the vendor's real API: add --cvs-allow-real to let the tests "
                "reach it (each successful call may be billed)"
            )
    chosen = config.getoption("--cvs-dialects", None)
    if chosen:
        unknown = [n for n in dialect_names(str(chosen)) if n not in named_dialects() and not Path(n).is_file()]
        if unknown:
            known = ", ".join(sorted(named_dialects()))
            raise pytest.UsageError(
                f"--cvs-dialects: no dialect named {', '.join(unknown)}; known: {known}, all, or a dialect file"
            )
