"""The statements every PostgreSQL request sends through libpq itself: sent whole on a
connection's first run, prepared on its second, prepared again when the session dropped them,
and failing with the error psycopg would raise."""

from __future__ import annotations

import pytest

from mockserver.state.store.prepared import PreparedStatement, boolean

psycopg = pytest.importorskip("psycopg", reason="needs the postgres extra: pip install 'cvs-testkit[postgres]'")

pytestmark = pytest.mark.components


@pytest.fixture
def connection(pg_url: str):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL, b BYTEA)")
        yield conn


def _prepared_names(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'cvs_%'")]


def test_a_statement_is_sent_whole_once_then_prepared_and_reads_its_columns(connection) -> None:
    insert = PreparedStatement("INSERT INTO t VALUES (?, ?, ?) RETURNING n > 1, k, b", (boolean,))
    assert insert.run(connection, ("a", 1, b"\x00\xff")) == [(False, b"a", b"\\x00ff")]
    assert _prepared_names(connection) == []
    assert insert.run(connection, ("b", 2, None)) == [(True, b"b", None)]
    assert len(_prepared_names(connection)) == 1
    assert connection.execute("SELECT k, n, b FROM t ORDER BY k").fetchall() == [
        ("a", 1, b"\x00\xff"),
        ("b", 2, None),
    ]


def test_a_statement_the_session_dropped_is_prepared_again(connection) -> None:
    count = PreparedStatement("SELECT count(*) FROM t WHERE n >= ?", (int,))
    count.run(connection, (0,))
    count.run(connection, (0,))
    connection.execute("DEALLOCATE ALL")
    connection.execute("INSERT INTO t VALUES ('x', 5)")
    assert count.run(connection, (1,)) == [(1,)]
    assert len(_prepared_names(connection)) == 1


def test_a_failing_statement_raises_the_error_its_sqlstate_names_and_leaves_the_connection_usable(connection) -> None:
    insert = PreparedStatement("INSERT INTO t VALUES (?, ?)")
    insert.run(connection, ("a", 1))
    with pytest.raises(psycopg.errors.UniqueViolation, match="duplicate key"):
        insert.run(connection, ("a", 2))
    with pytest.raises(psycopg.errors.NotNullViolation):
        insert.run(connection, ("b", None))
    assert connection.execute("SELECT n FROM t").fetchall() == [(1,)]


def test_a_connection_the_server_ended_raises_an_operational_error(connection, pg_url: str) -> None:
    probe = PreparedStatement("SELECT 1")
    probe.run(connection, ())
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (connection.info.backend_pid,))
    with pytest.raises(psycopg.OperationalError):
        probe.run(connection, ())
