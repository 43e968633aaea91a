"""What every test folder shares: the Hypothesis profiles, the markers that pick the fast
subset, the demo-credentials client, and a real PostgreSQL cluster per session."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from mockserver import create_app

pytest_plugins = ["pytester"]

# One place for Hypothesis' settings: no deadline (a 2-core runner under xdist is slow for
# reasons no test controls), and no "too slow" health check for the same reason. ``ci`` is
# derandomised so a red run is a reproducible one; ``thorough`` is for a night, not a commit.
_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("dev", deadline=None, suppress_health_check=_RELAXED)
settings.register_profile("ci", deadline=None, suppress_health_check=_RELAXED, derandomize=True, print_blob=True)
settings.register_profile("thorough", deadline=None, suppress_health_check=_RELAXED, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

# Tests that start a real component (PostgreSQL, haproxy, a browser, podman, npm or PyPI
# tools): ``pytest -m "not components and not slow"`` is the fast subset.
COMPONENT_FOLDERS = ("browser", "toolchain", "packaging", "container", "polyglot")
COMPONENT_FIXTURES = frozenset({"pg_cluster", "pg_url"})
SLOW_FOLDERS = ("packaging",)
DEMO_AUTH = "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()


class Api:
    """A Flask test client that sends the demo credentials unless told otherwise."""

    def __init__(self, client: FlaskClient, auth: str | None = DEMO_AUTH) -> None:
        self.client, self.auth = client, auth

    def with_auth(self, auth: str | None) -> Api:
        return Api(self.client, auth)

    def open(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if self.auth is not None:
            headers.setdefault("Authorization", self.auth)
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kw: Any) -> Any:
        return self.open("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Any:
        return self.open("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> Any:
        return self.open("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.open("DELETE", path, **kw)


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


@pytest.fixture
def app() -> Flask:
    return create_app({"TESTING": True})


@pytest.fixture
def api(app: Flask) -> Api:
    return Api(app.test_client())


@pytest.fixture(scope="session")
def pg_cluster() -> Any:
    """A real PostgreSQL cluster for this test session (one per xdist worker)."""
    from tests.helpers.components import postgres_cluster

    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: Any, request: pytest.FixtureRequest) -> str:
    """A fresh empty database on the session's cluster."""
    import re
    import secrets

    request.node.user_properties.append(("component", "postgresql"))
    name = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + "_" + secrets.token_hex(3)
    return str(pg_cluster.database(name))


@pytest.hookimpl(tryfirst=True)  # before -m selects by them
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks what starts a real component or builds wheels, by folder and by fixture; a
    module that starts one itself says so with ``pytestmark``."""
    tests = Path(__file__).parent
    for item in items:
        folder = item.path.relative_to(tests).parts[0] if item.path.is_relative_to(tests) else ""
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and "postgresql" in callspec.params.values()  # a backend parameter
        if folder in COMPONENT_FOLDERS or on_postgres or COMPONENT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.components)
        if folder in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many tests ran on the real components (CI must run them all, not skip them)."""
    ran: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "component" and report.when == "call":
                ran[value] = ran.get(value, 0) + 1
    if ran:
        shown = ", ".join(f"{count} on {what}" for what, count in sorted(ran.items()))
        terminalreporter.write_line(f"real components: {shown}")
