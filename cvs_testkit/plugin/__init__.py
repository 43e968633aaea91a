"""pytest plugin (entry point ``pytest11``): fixtures that reach the fake CVS API.

Fixtures (function scope unless said):

``cvs_credentials`` -> :class:`~cvs_testkit.fake.Credentials`
    demo / p@55w0rd; with ``--cvs-base-url``, ``CVS_API_KEY`` / ``CVS_API_SECRET``.
``cvs_app`` -> :class:`flask.Flask`
    a fresh fake (``mockserver.create_app({"TESTING": True})``): no state shared.
``cvs_server_session`` (session scope, one per xdist worker) -> :class:`~cvs_testkit.transports.LiveFake`
    a live waitress server on a free loopback port.
``cvs_server`` -> LiveFake
    the session server, reset before the test: ``.base_url``, ``.credentials``, helpers.
``cvs_mock`` -> :class:`~cvs_testkit.transports.CVSMock`
    intercepts ``requests`` calls to cloud/demo.computervision.com.vn (and ``--cvs-intercept``
    URLs) and answers from the worker's fake, reset before the test.
``cvs_httpx`` -> :class:`~cvs_testkit.httpx_transport.CVSHttpx` (needs the ``httpx`` extra)
    an httpx transport itself (``httpx.Client(transport=cvs_httpx)``, sync and async), also
    as ``.transport``; ``.client()`` and ``.async_client()`` come with base URL and credentials.

Every server-like fixture has the helpers of :class:`~cvs_testkit.fake.FakeHelpers`.
Heavy imports wait until a fixture runs.

The parts: ``options`` (command line and markers), ``dialects``, ``cassettes`` (the
``cvs_cassette`` marker), ``remote`` (``--cvs-base-url``), ``fixtures`` and ``coverage``
(error-path coverage across xdist workers). This module only composes their hooks.

Dialects (the readings of the API the docs leave open, ``cvs-mock dialects`` lists them):
``@pytest.mark.cvs_dialect("docs")`` or ``@pytest.mark.cvs_dialect(options={"ocr.valid":
"string"})`` makes the cvs fixtures of one test speak a dialect; ``--cvs-dialects=all`` runs
every test that uses a cvs fixture once per named dialect (ids ``[dialect=NAME]``) and sums up
which dialects failed.
"""

from __future__ import annotations

from typing import Any

import pytest

from cvs_testkit.plugin import coverage, dialects, options, remote
from cvs_testkit.plugin.dialects import cvs_dialect
from cvs_testkit.plugin.fixtures import (
    cvs_app,
    cvs_credentials,
    cvs_httpx,
    cvs_mock,
    cvs_server,
    cvs_server_session,
    cvs_shared_app,
    cvs_shared_httpx_app,
)

__all__ = [
    "cvs_app",
    "cvs_credentials",
    "cvs_dialect",
    "cvs_httpx",
    "cvs_mock",
    "cvs_server",
    "cvs_server_session",
    "cvs_shared_app",
    "cvs_shared_httpx_app",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.stash[coverage.SEEN] = set()
    config.stash[remote.REAL_CALLS] = 0
    options.check_choices(config)
    options.add_markers(config)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    dialects.run_per_dialect(metafunc)


def pytest_runtest_setup(item: pytest.Item) -> None:
    dialects.note_dialect(item)
    if item.get_closest_marker("cvs_fake_only") and remote.remote_url(item.config):
        pytest.skip("marked cvs_fake_only: needs the in-process fake, and --cvs-base-url points elsewhere")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    output = getattr(node, "workeroutput", {})
    coverage.gather_from_worker(output, node.config)
    node.config.stash[remote.REAL_CALLS] = node.config.stash.get(remote.REAL_CALLS, 0) + int(
        output.get(remote.REAL_KEY, 0)
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker hands its findings to the controller
        coverage.hand_to_controller(config)
        config.workeroutput[remote.REAL_KEY] = config.stash.get(remote.REAL_CALLS, 0)
        return
    coverage.hold_threshold(session)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if hasattr(config, "workeroutput"):
        return
    remote.real_calls_summary(terminalreporter, config)
    if config.getoption("--cvs-dialects"):
        dialects.dialect_summary(terminalreporter)
    coverage.coverage_summary(terminalreporter, config)
