"""Face Search galleries on PostgreSQL at scale: a gallery of 100,000 faces against an empty one
(adding) and a small one (searching, listing), the store's own operations timed in
alternating rounds of one run, and the plan PostgreSQL chose for each read."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from .sections import Row

SMALL = 1_000


def _fill(store: Any, owner: str, faces: int) -> None:
    """``faces`` rows made by the database itself: 40 people, so a search finds its 20 in either."""
    with store.database.tx() as tx:
        tx.execute(
            "INSERT INTO faces (owner, identity, file_id, metadata) "
            "SELECT ?, 'person-' || mod(n, 40), 'file', '{}' FROM generate_series(1, ?) AS n",
            (owner, faces),
        )
        tx.execute("ANALYZE faces")


def _microseconds(operation: Callable[[str], Any], owner: str, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        operation(owner)
    return (time.perf_counter() - started) / calls * 1e6


def _plan(store: Any, sql: str, params: tuple[Any, ...]) -> str:
    rows = store.database.read("EXPLAIN " + sql, params)
    return " / ".join(r[0].split("(")[0].strip(" ->") for r in rows if "Scan" in r[0])


def galleries(faces: int, rounds: int, calls: int) -> list[Row]:
    from mockserver.state.store import open_store
    from tests.helpers.components import postgres_cluster

    with postgres_cluster() as cluster:
        store = open_store(cluster.database("galleries"))
        store.reset([("demo", "p", None)])
        _fill(store, "big", faces)
        _fill(store, "small", SMALL)
        operations: dict[str, tuple[Callable[[str], Any], str]] = {
            "add a face": (lambda owner: store.galleries.add(owner, "person-new", "file", {}), "empty"),
            "search (one identity, 20 at most)": (lambda owner: store.galleries.find(owner, "person-7", 20), "small"),
            "list, first page of 50": (lambda owner: store.galleries.page(owner, 0, 50), "small"),
            "list, a page at offset 900": (lambda owner: store.galleries.page(owner, 900, 50), "small"),
        }
        rows: list[Row] = []
        for name, (operation, baseline) in operations.items():
            for owner in ("big", baseline):  # warm: prepared statements, cached pages
                _microseconds(operation, owner, 20)
            big: list[float] = []
            other: list[float] = []
            for _ in range(rounds):
                big.append(_microseconds(operation, "big", calls))
                other.append(_microseconds(operation, baseline, calls))
            fast, slow = statistics.median(big), statistics.median(other)
            rows.append(
                (
                    "galleries",
                    f"us per call, {name}, {faces:,} faces vs {'none' if baseline == 'empty' else f'{SMALL:,}'}",
                    f"{fast:.0f}",
                    f"{slow:.0f}",
                    f"{fast / slow:.2f}x",
                    "~1x",
                )
            )
        columns = "SELECT id, owner, identity, file_id, metadata FROM faces "
        for name, sql, params in (
            ("search", columns + "WHERE owner = ? AND identity = ? ORDER BY id LIMIT 20", ("big", "person-7")),
            (
                "list at offset 900",
                columns + "WHERE owner = ? AND id >= (SELECT id FROM faces WHERE owner = ? ORDER BY id LIMIT 1 "
                "OFFSET 900) ORDER BY id LIMIT 50",
                ("big", "big"),
            ),
        ):
            rows.append(
                ("galleries", f"plan of the {name} on {faces:,} faces", _plan(store, sql, params), "-", "-", "index")
            )
        store.close()
    return rows
