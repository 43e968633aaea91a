from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from mockserver import create_app
from tests.conftest import Api, basic
from tests.deployments.replicas import Deployment, deployment


@pytest.fixture(params=["memory", "sqlite"])
def open_app(request: pytest.FixtureRequest, tmp_path: Any) -> Flask:
    """A fake with open tenants, in memory and on SQLite."""
    state = None if request.param == "memory" else str(tmp_path / "tenants.sqlite")
    return create_app({"TESTING": True, "TENANTS": "open", "STATE": state})


@pytest.fixture
def tenant_api(open_app: Flask) -> Any:
    """A client per tenant: ``tenant_api("name")`` speaks as tenant ``name`` (secret ``s-name``)."""

    def make(name: str, secret: str | None = None) -> Api:
        return Api(open_app.test_client(), basic(name, secret or f"s-{name}"))

    return make


@pytest.fixture(scope="module")
def team(pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Three replicas on one PostgreSQL database behind haproxy, for the tests of one module."""
    with deployment(pg_cluster, f"team_{secrets.token_hex(4)}", tmp_path_factory.mktemp("team")) as made:
        yield made


@pytest.fixture
def on_components(request: pytest.FixtureRequest) -> None:
    """Counts the test among those run on PostgreSQL and haproxy (the summary prints them)."""
    request.node.user_properties.append(("component", "postgresql+haproxy"))
