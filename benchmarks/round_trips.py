"""Round trips to the store per API request, by operation: statements, transaction begins and
commits, and the pool's connection checks, counted on a real PostgreSQL and on SQLite."""

from __future__ import annotations

import base64
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mockserver import create_app
from mockserver.state.fake_state import state_of

Row = tuple[str, str, str, str, str, str]
AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
REQUESTS = {
    "light OCR GET": "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url",
    "Face Search list": "/api/v2/face_search/images",
}


@contextmanager
def _counted(store: Any) -> Iterator[Counter[str]]:
    """Count what ``store``'s database sends: each statement by its first words, each
    transaction's BEGIN and COMMIT, each check of a pooled connection. Everything wrapped is
    put back when the block ends."""
    from mockserver.state.store import postgres, sqlite

    counts: Counter[str] = Counter()
    database, originals = store.database, []

    def wrap(owner: Any, name: str, make: Any) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        setattr(owner, name, make(original))

    def statements(original: Any) -> Any:
        def execute(self: Any, sql: str, params: Any = ()) -> Any:
            counts["statement: " + " ".join(sql.split()[:3])] += 1
            return original(self, sql, params)

        return execute

    def checks(original: Any) -> Any:
        def check(connection: Any) -> Any:
            counts["pool check"] += 1
            return original(connection)

        return check

    def transactions(original: Any, outermost: Any, names: tuple[str, ...]) -> Any:
        @contextmanager
        def tx(*args: Any) -> Iterator[Any]:
            if outermost():
                counts.update(names)
            with original(*args) as joined:
                yield joined

        return tx

    if isinstance(store, postgres.PostgresStore):
        wrap(postgres._Translating, "execute", statements)
        if database.pool._check is not None:
            wrap(database.pool, "_check", checks)
        wrap(
            database,
            "tx",
            lambda o: transactions(o, lambda: getattr(database._local, "tx", None) is None, ("BEGIN", "COMMIT")),
        )
    else:
        wrap(sqlite.SQLiteDatabase, "tx", lambda o: transactions(o, lambda: True, ("transaction",)))
    try:
        yield counts
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)


def _per_request(state: str) -> dict[str, Counter[str]]:
    app = create_app({"STATE": state, "SELF_CHECK": "off", "METRICS": False})
    client = app.test_client()
    found = {}
    for name, path in REQUESTS.items():
        client.get(path, headers=AUTH)  # warm: the first request builds caches
        with _counted(state_of(app).store) as counts:
            for _ in range(10):
                assert client.get(path, headers=AUTH).status_code == 200
        found[name] = Counter({k: v // 10 for k, v in counts.items()})
    state_of(app).store.close()
    return found


def round_trips() -> list[Row]:
    from tests.helpers.components import postgres_cluster

    rows: list[Row] = []
    with postgres_cluster() as cluster, tempfile.TemporaryDirectory() as folder:
        for backend, state in (("postgresql", cluster.database("trips")), ("sqlite", str(Path(folder) / "t.sqlite"))):
            for name, counts in _per_request(state).items():
                total = sum(counts.values())
                detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                rows.append(("round trips", f"{backend}, {name}: {detail}", str(total), "2", f"{total / 2:.1f}", "≤ 2"))
    return rows


if __name__ == "__main__":
    for row in round_trips():
        print(" | ".join(row))
