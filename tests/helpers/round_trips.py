"""Round trips to the store per API request: on PostgreSQL each time the server answered
after the client had sent (libpq's own protocol trace tells), on SQLite each write
transaction (the writer's lock taken), with the statements sent, by operation."""

from __future__ import annotations

import base64
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from mockserver import create_app
from mockserver.state.fake_state import state_of

ROUND_TRIP = "round trips"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}


@contextmanager
def counted(store: Any) -> Iterator[Counter[str]]:
    """Count what ``store``'s database does: each statement by its first words, and each
    round trip (PostgreSQL: a wait for the server; SQLite: a write transaction). Everything
    wrapped is put back when the block ends."""
    from mockserver.state.store import postgres, sqlite

    counts: Counter[str] = Counter()
    originals: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, make: Any) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        setattr(owner, name, make(original))

    def statements(original: Any) -> Any:
        def execute(self: Any, sql: Any, params: Any = ()) -> Any:
            counts["statement: " + " ".join(str(sql).split()[:3])] += 1
            return original(self, sql, params)

        return execute

    def transactions(original: Any) -> Any:
        @contextmanager
        def tx(self: Any) -> Iterator[Any]:
            if not getattr(self._local, "open", False):
                counts[ROUND_TRIP] += 1
            with original(self) as joined:
                yield joined

        return tx

    with ExitStack() as stack:
        if isinstance(store, postgres.PostgresStore):
            wrap(postgres._Translating, "execute", statements)
            wrap(postgres.PostgresDatabase, "_alone", lambda original: _alone_counted(counts, original))
            trace = stack.enter_context(tempfile.TemporaryFile("w+"))
            wrap(store.database.pool, "getconn", lambda original: _traced(original, trace))
            wrap(store.database.pool, "putconn", _untraced)
        else:
            wrap(sqlite.SQLiteDatabase, "tx", transactions)
        try:
            yield counts
        finally:
            for owner, name, original in reversed(originals):
                setattr(owner, name, original)
        if isinstance(store, postgres.PostgresStore):
            counts[ROUND_TRIP] += _turns(trace)


def _alone_counted(counts: Counter[str], original: Any) -> Any:
    """The statements sent by themselves, outside a transaction's wrapped cursor."""

    def alone(self: Any, sql: Any, params: Any, fetch: bool) -> Any:
        counts["statement: " + " ".join(str(sql).split()[:3])] += 1
        return original(self, sql, params, fetch)

    return alone


def _traced(original: Any, trace: Any) -> Any:
    """``getconn`` whose connections write libpq's protocol trace to ``trace``."""
    from psycopg import pq

    def getconn(*args: Any, **kwargs: Any) -> Any:
        connection = original(*args, **kwargs)
        trace.flush()
        connection.pgconn.trace(trace.fileno())
        connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
        return connection

    return getconn


def _untraced(original: Any) -> Any:
    def putconn(connection: Any) -> Any:
        connection.pgconn.untrace()
        return original(connection)

    return putconn


def _turns(trace: Any) -> int:
    """How many times the server answered after the client had sent: libpq's trace marks
    each message F (from the client) or B (from the server)."""
    trace.flush()
    trace.seek(0)
    turns, last = 0, ""
    for line in trace:
        side = line[:1]
        if side == "B" and last == "F":
            turns += 1
        if side in "FB":
            last = side
    return turns


def per_request(state: str, paths: dict[str, str], times: int = 10, warm: bool = True) -> dict[str, Counter[str]]:
    """What each of ``paths`` costs on a fake whose ``--state`` is ``state``, per request;
    ``warm``: after one request of each, which fills the caches."""
    app = create_app({"STATE": state, "SELF_CHECK": "off", "METRICS": False})
    client = app.test_client()
    found = {}
    for name, path in paths.items():
        if warm:
            client.get(path, headers=AUTH)
        with counted(state_of(app).store) as counts:
            for _ in range(times):
                assert client.get(path, headers=AUTH).status_code == 200
        found[name] = Counter({k: v // times for k, v in counts.items() if v >= times})
    state_of(app).store.close()
    return found
