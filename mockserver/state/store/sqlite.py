"""The SQLite backend (``--state PATH``): durable across restarts, shared by every server
process on one machine (``--workers``, or several ``cvs-mock serve`` on one file).

The file is in WAL mode and every write is one ``BEGIN IMMEDIATE`` transaction, so other
processes see a write at once, a quota cannot be overspent across processes, and a process
killed with SIGKILL loses no answer it already sent (see :class:`SQLiteDatabase`).
"""

from __future__ import annotations

import sqlite3
import threading

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's own lock alone
    fcntl = None  # type: ignore[assignment]
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from mockserver.state.store.sql import SQLStore, Transaction, upgrade

# Each version's steps; a database records the version it reached in store_meta.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE IF NOT EXISTS keys (api_key TEXT PRIMARY KEY, secret_sha256 BLOB NOT NULL, quota INTEGER, "
        "used INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE IF NOT EXISTS usage (api_key TEXT NOT NULL, endpoint TEXT NOT NULL, code TEXT NOT NULL, "
        "billable INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (api_key, endpoint, code))",
        "CREATE TABLE IF NOT EXISTS faces (id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, "
        "identity TEXT NOT NULL, file_id TEXT NOT NULL, metadata TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS faces_by_owner ON faces (owner, id)",
        "CREATE INDEX IF NOT EXISTS faces_by_identity ON faces (owner, identity, id)",
        "CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BLOB NOT NULL, "
        "created REAL NOT NULL, kind TEXT NOT NULL DEFAULT 'registered')",
        "CREATE INDEX IF NOT EXISTS files_by_kind ON files (kind, created)",
    ),
    (
        "ALTER TABLE keys ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE usage ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
        "UPDATE usage SET tenant = api_key",
        "CREATE INDEX usage_by_tenant ON usage (tenant)",
        "ALTER TABLE files ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX files_by_owner ON files (owner, kind, created)",
        "CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, tenant TEXT NOT NULL, "
        "entry TEXT NOT NULL, request TEXT NOT NULL, answer BLOB NOT NULL)",
        "CREATE INDEX journal_by_tenant ON journal (tenant, id)",
        "CREATE TABLE outcomes (id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, flow TEXT NOT NULL, "
        "outcome TEXT NOT NULL)",
        "CREATE INDEX outcomes_by_flow ON outcomes (flow, tenant, id)",
        "CREATE TABLE settings (scope TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, "
        "PRIMARY KEY (scope, name))",
        "CREATE TABLE replay_used (scope TEXT NOT NULL, generation TEXT NOT NULL, idx INTEGER NOT NULL, "
        "PRIMARY KEY (scope, generation, idx))",
    ),
    # 3: when each key was last used, so an idle open tenant can expire (0: not known yet)
    ("ALTER TABLE keys ADD COLUMN last_seen REAL NOT NULL DEFAULT 0",),
)


class SQLiteDatabase:
    """Writes go through one connection behind a lock (SQLite serialises writers anyway, and its
    own locking -- WAL, busy timeout -- coordinates several processes); reads use a connection
    per thread and take no lock, since WAL readers never wait for a writer.

    ``synchronous = OFF``: a commit is in the operating system's hands before the answer is
    sent, so a killed server loses nothing it acknowledged; only a crash of the machine itself
    could, and a fake's state is not worth an fsync per request."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._writers = WriterTurns(path)
        self.db = self._connect()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        with self.tx() as tx:
            current = _version(tx)
            reached = upgrade(tx, current, MIGRATIONS, path)
            if reached != current:
                tx.execute("CREATE TABLE IF NOT EXISTS store_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                tx.execute(
                    "INSERT INTO store_meta VALUES ('schema_version', ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    (str(reached),),
                )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")
        return db

    @contextmanager
    def tx(self) -> Iterator[Transaction]:
        """One write transaction; BEGIN IMMEDIATE takes the database lock up front. Inside
        another one of this thread, it joins that one; inside a unit
        (``Store.unit``), it begins the unit's transaction, which the unit commits."""
        if getattr(self._local, "open", False):
            yield self.db  # type: ignore[misc]  # a Connection's execute is the Transaction's
            return
        self._begin()
        if getattr(self._local, "unit", False):
            yield self.db  # type: ignore[misc]
            return
        try:
            yield self.db  # type: ignore[misc]
        except BaseException:
            self._end("ROLLBACK")
            raise
        else:
            self._end("COMMIT")

    @contextmanager
    def unit(self) -> Iterator[None]:
        """The steps of one request as one transaction, begun at its first write (reads
        before it take no lock) and committed when the block ends; rolled back if it raises."""
        if getattr(self._local, "unit", False):
            yield
            return
        self._local.unit = True
        try:
            yield
        except BaseException:
            self._end("ROLLBACK")
            raise
        else:
            self._end("COMMIT")
        finally:
            self._local.unit = False

    def _begin(self) -> None:
        self.lock.acquire()
        try:
            self._writers.acquire()
            try:
                self.db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._writers.release()
                raise
        except BaseException:
            self.lock.release()
            raise
        self._local.open = True

    def _end(self, how: str) -> None:
        if not getattr(self._local, "open", False):
            return
        try:
            self.db.execute(how)
        finally:
            self._local.open = False
            self._writers.release()
            self.lock.release()

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if getattr(self._local, "open", False):  # inside this thread's write: see its own rows
            return self.db.execute(sql, tuple(params)).fetchall()
        reader: sqlite3.Connection | None = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = self._connect()
            with self.lock:
                self._readers.append(reader)
        return reader.execute(sql, tuple(params)).fetchall()

    def serialise(self, tx: Transaction, name: str) -> None:
        """BEGIN IMMEDIATE already holds the only writer's lock."""

    def restart_ids(self, tx: Transaction) -> None:
        tx.execute("DELETE FROM sqlite_sequence WHERE name = 'faces'")

    def close(self) -> None:
        with self.lock:
            for reader in self._readers:
                reader.close()
            self.db.close()
            self._writers.close()


class WriterTurns:
    """Which process writes next, decided by the kernel: an exclusive ``flock`` on a file
    beside the database, taken before ``BEGIN IMMEDIATE`` and given up after the commit.

    SQLite's own lock makes a process that finds it taken sleep and try again (1 ms, then
    2, 5, 10...), while the writer holding it needs a few tens of microseconds: workers of one
    fake would spend more time asleep than writing. A process waiting on the ``flock`` wakes
    the moment it is released. SQLite's lock still decides between processes that do not
    take this one (another program opening the file); where ``flock`` does not exist, it
    alone does."""

    def __init__(self, path: str) -> None:
        self._file: Any = None
        if fcntl is not None and path not in ("", ":memory:") and not path.startswith("file:"):
            self._file = open(path + "-writer", "a+b")  # noqa: SIM115  # held open for the store's life

    def acquire(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _version(tx: Transaction) -> int:
    tables = {r[0] for r in tx.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    if "store_meta" in tables:
        return int(tx.execute("SELECT value FROM store_meta WHERE name = 'schema_version'").fetchone()[0])
    return 1 if "keys" in tables else 0  # files made before versions were recorded are version 1


class SQLiteStore(SQLStore):
    """Every table in one SQLite file."""

    def __init__(self, path: str, journal_size: int = 1000, journal_max: int | None = None) -> None:
        self.path = path
        try:
            database = SQLiteDatabase(path)
        except sqlite3.Error as exc:  # not a database, locked past the timeout, read-only...
            raise ValueError(f"--state {path}: cannot open it as a SQLite database ({exc})") from None
        super().__init__("sqlite", database, journal_size, journal_max)
