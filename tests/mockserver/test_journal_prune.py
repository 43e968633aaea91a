"""A SQL journal's prunes start where the prune before the last one reached, so they do not walk
what was deleted already (PostgreSQL keeps it in its index until a vacuum); the journal stays
bounded all the same: a row committed late is reached by the next sweep, and a reset that
begins the ids again starts the edges again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockserver.state.store import Charge, open_store
from mockserver.state.store.sql import PRUNE_EVERY, PruneEdges, SQLStore
from tests.mockserver.conftest import JOURNAL_SIZE, KEYS

CHARGE = Charge("demo", "demo", "ekyc/card", "0", True)


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path) -> str:
    return request.getfixturevalue("pg_url") if request.param == "postgresql" else str(tmp_path / "s.sqlite")


def _opened(where: str) -> SQLStore:
    made = open_store(where, journal_size=JOURNAL_SIZE)
    assert isinstance(made, SQLStore)
    return made


@pytest.fixture
def sql_store(where: str) -> Iterator[SQLStore]:
    made = _opened(where)
    made.reset(KEYS)
    yield made
    made.close()


def _account(store: SQLStore, count: int, first: int = 0) -> None:
    for n in range(first, first + count):
        store.account(CHARGE, "demo", {"n": n}, {}, b"")


def _ids(store: SQLStore) -> list[int]:
    return [int(row[0]) for row in store.database.read("SELECT id FROM journal ORDER BY id", ())]


def test_a_prune_starts_at_the_edge_the_prune_before_the_last_one_reached() -> None:
    edges = PruneEdges()
    assert [edges.passed("demo", edge) for edge in (10, 20, 30, 40)] == [0, 0, 10, 20]
    assert edges.passed(None, 35) == 0  # each scope has its own edges
    assert edges.passed("demo", 50) == 30


def test_every_sweep_every_prunes_start_from_the_first_id() -> None:
    edges = PruneEdges()
    every = PruneEdges.SWEEP_EVERY
    starts = [edges.passed("demo", 10 * n) for n in range(1, 2 * every + 2)]
    assert [n for n, start in enumerate(starts) if start == 0] == [0, 1, every, 2 * every]


def test_ids_that_began_again_are_pruned_from_the_first() -> None:
    edges = PruneEdges()
    for edge in (100, 200, 300):
        edges.passed("demo", edge)
    assert edges.passed("demo", 12) == 0  # below the edge before: the ids began again
    edges.forget()
    assert edges.passed("demo", 400) == 0


def test_a_row_committed_below_the_edges_is_dropped_by_the_next_sweep(sql_store: SQLStore) -> None:
    _account(sql_store, 4 * PRUNE_EVERY)
    # An id below the edges of the last two prunes: a row another connection committed late.
    late = _ids(sql_store)[0] - 2 * PRUNE_EVERY
    with sql_store.database.tx() as tx:
        tx.execute(
            "INSERT INTO journal (id, time, tenant, entry, request, answer) VALUES (?, 0, 'demo', '{}', '{}', ?)",
            (late, b""),
        )
    _account(sql_store, PRUNE_EVERY, first=4 * PRUNE_EVERY)
    assert late in _ids(sql_store)  # the prunes that start at an edge skip it
    _account(sql_store, PruneEdges.SWEEP_EVERY * PRUNE_EVERY, first=5 * PRUNE_EVERY)
    assert late not in _ids(sql_store)
    assert len(_ids(sql_store)) <= JOURNAL_SIZE + PRUNE_EVERY


def test_after_a_reset_the_journal_is_pruned_from_its_first_id_again(sql_store: SQLStore) -> None:
    _account(sql_store, 8 * PRUNE_EVERY)
    sql_store.reset(KEYS)
    _account(sql_store, 8 * PRUNE_EVERY, first=100)
    assert len(_ids(sql_store)) <= JOURNAL_SIZE + PRUNE_EVERY
    newest = [r.entry["n"] for r in sql_store.journal.rows(tenant="demo")]
    assert newest == list(range(100, 100 + 8 * PRUNE_EVERY))[-JOURNAL_SIZE:]


def test_two_replicas_on_one_database_keep_its_journal_bounded(sql_store: SQLStore, where: str) -> None:
    other = _opened(where)
    try:
        for n in range(6 * PRUNE_EVERY):  # in turn, so each replica's edges fall among the other's ids
            (sql_store if n % 3 else other).account(CHARGE, "demo", {"n": n}, {}, b"")
    finally:
        other.close()
    assert len(_ids(sql_store)) <= JOURNAL_SIZE + 2 * PRUNE_EVERY
    assert [r.entry["n"] for r in sql_store.journal.rows(tenant="demo")] == list(range(6 * PRUNE_EVERY))[-JOURNAL_SIZE:]
