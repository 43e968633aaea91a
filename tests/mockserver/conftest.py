"""The store of every backend, for the tests that hold each one to the same contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.state.store import Store, open_store

KEYS = [("demo", "p@55w0rd", None)]
JOURNAL_SIZE = 5  # each tenant's newest entries kept: small, so the bound is reached soon


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "postgresql":
        where: str | None = request.getfixturevalue("pg_url")
    else:
        where = None if request.param == "memory" else str(tmp_path / "s.sqlite")
    made = open_store(where, journal_size=JOURNAL_SIZE)
    made.reset(KEYS)
    yield made
    made.close()
