from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mockserver import create_app
from tests.conftest import Api, basic


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
