"""The statements every PostgreSQL request sends, through libpq's own blocking call.

A replica serving one connection per thread is bound by the interpreter lock, and psycopg's
``execute`` (adapting each parameter, driving the protocol from Python, waiting for the socket
in several steps) costs a request about twice the CPU of the statement's libpq call, and a
handful of lock handoffs more. The few statements on every request's path -- its accounting --
are prepared on a connection the second time it runs them (the first time the statement is sent
whole, so that a connection's first request costs no round trip more) and executed with
``PQexecPrepared``, which releases the lock once, for the whole round trip. Everything else
goes through psycopg as usual.

Parameters are sent as text (``bytes`` as binary); the server types them from the statement,
so a statement written here casts whatever its context leaves open. Results come back as text
and each column is read by the function the statement names for it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import weakref
from collections.abc import Callable, Sequence
from typing import Any

_QUESTION_MARK = re.compile(r"\?")
_UNKNOWN_STATEMENT = "26000"  # invalid_sql_statement_name: not (or no longer) prepared here
_COMMAND_OK, _TUPLES_OK, _FATAL_ERROR = 1, 2, 7  # libpq's ExecStatus
_BINARY, _TEXT = 1, 0

Column = Callable[[bytes], Any]


def boolean(value: bytes) -> bool:
    return value == b"t"


class PreparedStatement:
    """One statement, written with the ``?`` placeholders of the shared SQL, that each
    connection prepares the second time it runs it."""

    def __init__(self, sql: str, columns: Sequence[Column] = ()) -> None:
        self.sql = sql
        self.columns = tuple(columns)
        numbers = itertools.count(1)
        self._text = _QUESTION_MARK.sub(lambda _: f"${next(numbers)}", sql).encode()
        self._name = b"cvs_" + hashlib.sha256(self._text).hexdigest()[:16].encode()
        self._sent_on: weakref.WeakSet[Any] = weakref.WeakSet()  # connections that ran it once
        self._prepared_on: weakref.WeakSet[Any] = weakref.WeakSet()

    def __str__(self) -> str:
        return self.sql

    def run(self, connection: Any, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The statement's rows, executed on ``connection`` (idle, not in a pipeline). A
        failure raises the psycopg error the server's SQLSTATE names; a lost connection,
        psycopg's ``OperationalError``."""
        values = [_sent(value) for value in params]
        formats = [_BINARY if isinstance(value, (bytes, bytearray, memoryview)) else _TEXT for value in params]
        with connection.lock:
            pgconn = connection.pgconn
            if connection in self._prepared_on:
                result = pgconn.exec_prepared(self._name, values, formats)
                # Read only on failure: a success, the hot path, asks nothing more of the result.
                if result.status == _FATAL_ERROR and _sqlstate(result) == _UNKNOWN_STATEMENT:
                    self._prepared_on.discard(connection)  # the session dropped it (DISCARD ALL)
            if connection not in self._prepared_on:
                if connection not in self._sent_on:
                    self._sent_on.add(connection)
                    result = pgconn.exec_params(self._text, values, param_formats=formats)
                else:
                    _checked(pgconn.prepare(self._name, self._text), pgconn)
                    self._prepared_on.add(connection)
                    result = pgconn.exec_prepared(self._name, values, formats)
            _checked(result, pgconn)
        columns = self.columns
        return [
            tuple(
                None if (raw := result.get_value(row, n)) is None else columns[n](raw) if n < len(columns) else raw
                for n in range(result.nfields)
            )
            for row in range(result.ntuples)
        ]


def _sent(value: Any) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, bool):
        return b"t" if value else b"f"
    return str(value).encode()


def _sqlstate(result: Any) -> str | None:
    from psycopg import pq

    state = result.error_field(pq.DiagnosticField.SQLSTATE)
    return state.decode() if state else None


def _checked(result: Any, pgconn: Any) -> None:
    if result.status in (_COMMAND_OK, _TUPLES_OK):
        return
    import psycopg

    message = (result.error_message or pgconn.error_message or b"the statement failed").decode(errors="replace")
    state = _sqlstate(result)
    if state is None:  # no answer from the server: the connection is gone
        raise psycopg.OperationalError(message)
    try:
        error: type[psycopg.Error] = psycopg.errors.lookup(state)
    except KeyError:
        error = psycopg.DatabaseError
    raise error(message)
