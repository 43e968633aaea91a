"""The SQLite backend (``--state PATH``): durable across restarts, shared by every server
process on one machine.

The file is in WAL mode and every step is one ``BEGIN IMMEDIATE`` transaction, so other
processes see a write at once, a quota cannot be overspent across processes, and a process
killed with SIGKILL loses no answer it already sent.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mockserver.state.store.tables import CROPS_KEPT, ConfiguredKey, Face, digest, secret_matches

SCHEMA = """
CREATE TABLE IF NOT EXISTS keys (
    api_key TEXT PRIMARY KEY, secret_sha256 BLOB NOT NULL, quota INTEGER, used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS usage (
    api_key TEXT NOT NULL, endpoint TEXT NOT NULL, code TEXT NOT NULL, billable INTEGER NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (api_key, endpoint, code)
);
CREATE TABLE IF NOT EXISTS faces (
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, identity TEXT NOT NULL,
    file_id TEXT NOT NULL, metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS faces_by_owner ON faces (owner, id);
CREATE INDEX IF NOT EXISTS faces_by_identity ON faces (owner, identity, id);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, content_type TEXT NOT NULL, data BLOB NOT NULL, created REAL NOT NULL,
    kind TEXT NOT NULL DEFAULT 'registered'
);
CREATE INDEX IF NOT EXISTS files_by_kind ON files (kind, created);
"""


class Database:
    """One connection behind a lock: SQLite serialises writers anyway, and its own locking
    (WAL, busy timeout) coordinates several processes."""

    def __init__(self, path: str) -> None:
        self.lock = threading.RLock()
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA busy_timeout = 30000")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        with self.lock:
            self.db.executescript(SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the database lock up front."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self.lock:
            return self.db.execute(sql, params).fetchall()


class SQLiteKeys:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO keys (api_key, secret_sha256, quota) VALUES (?, ?, ?) ON CONFLICT(api_key) "
                "DO UPDATE SET secret_sha256 = excluded.secret_sha256, quota = excluded.quota",
                (api_key, digest(api_secret), quota),
            )

    def check(self, api_key: str, api_secret: str) -> tuple[bool, bool]:
        rows = self._db.read("SELECT secret_sha256, quota IS NOT NULL FROM keys WHERE api_key = ?", (api_key,))
        stored = bytes(rows[0][0]) if rows else None
        return secret_matches(stored, api_secret), bool(rows and rows[0][1])

    def try_spend(self, api_key: str) -> bool:
        with self._db.tx() as db:
            cursor = db.execute(
                "UPDATE keys SET used = used + 1 WHERE api_key = ? AND (quota IS NULL OR used < quota)", (api_key,)
            )
            return cursor.rowcount == 1

    def all(self) -> list[dict[str, Any]]:
        rows = self._db.read("SELECT api_key, quota, used FROM keys ORDER BY api_key")
        return [{"api_key": k, "quota": q, "used": u} for k, q, u in rows]


class SQLiteUsage:
    def __init__(self, database: Database) -> None:
        self._db = database

    def record(self, api_key: str, endpoint: str, code: str, billable: bool, reserved: bool = False) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO usage VALUES (?, ?, ?, ?, 1) ON CONFLICT(api_key, endpoint, code) "
                "DO UPDATE SET count = count + 1",
                (api_key, endpoint, code, int(billable)),
            )
            if reserved != billable:
                step = 1 if billable else -1
                db.execute("UPDATE keys SET used = max(0, used + ?) WHERE api_key = ?", (step, api_key))

    def all(self) -> list[dict[str, Any]]:
        rows = self._db.read(
            "SELECT api_key, endpoint, code, billable, count FROM usage ORDER BY api_key, endpoint, code"
        )
        return [{"api_key": k, "endpoint": e, "code": c, "billable": bool(b), "count": n} for k, e, c, b, n in rows]


class SQLiteFiles:
    def __init__(self, database: Database) -> None:
        self._db = database

    def put(self, data: bytes, content_type: str, kind: str = "registered") -> str:
        file_id = secrets.token_urlsafe(12)
        with self._db.tx() as db:
            db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?)", (file_id, content_type, data, time.time(), kind))
            if kind == "crop":
                db.execute(
                    "DELETE FROM files WHERE kind = 'crop' AND id NOT IN "
                    "(SELECT id FROM files WHERE kind = 'crop' ORDER BY created DESC LIMIT ?)",
                    (CROPS_KEPT,),
                )
        return file_id

    def get(self, file_id: str) -> tuple[bytes, str] | None:
        rows = self._db.read("SELECT data, content_type FROM files WHERE id = ?", (file_id,))
        return (bytes(rows[0][0]), str(rows[0][1])) if rows else None

    def all(self) -> list[dict[str, Any]]:
        rows = self._db.read("SELECT id, content_type, length(data), created, kind FROM files ORDER BY created")
        return [{"id": i, "content_type": t, "size": n, "created": c, "kind": k} for i, t, n, c, k in rows]


class SQLiteGalleries:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face:
        with self._db.tx() as db:
            cursor = db.execute(
                "INSERT INTO faces (owner, identity, file_id, metadata) VALUES (?, ?, ?, ?)",
                (owner, identity, file_id, json.dumps(metadata, ensure_ascii=False)),
            )
            face_id = cursor.lastrowid
        assert face_id is not None
        return Face(face_id, owner, identity, file_id, metadata)

    def page(self, owner: str, offset: int, limit: int) -> list[Face]:
        # Skip the offset inside the (owner, id) index alone, then read only the page's rows.
        where = (
            "WHERE owner = ? AND id >= (SELECT id FROM faces WHERE owner = ? ORDER BY id LIMIT 1 OFFSET ?) "
            "ORDER BY id LIMIT ?"
        )
        return self._faces(where, (owner, owner, offset, limit))

    def find(self, owner: str, identity: str, limit: int) -> list[Face]:
        return self._faces("WHERE owner = ? AND identity = ? ORDER BY id LIMIT ?", (owner, identity, limit))

    def get(self, owner: str, ids: list[int]) -> list[Face]:
        marks = ",".join("?" * len(ids))
        return self._faces(f"WHERE owner = ? AND id IN ({marks}) ORDER BY id", (owner, *ids))

    def update(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None:
        with self._db.tx() as db:
            cursor = db.execute(
                "UPDATE faces SET metadata = ? WHERE owner = ? AND id = ?",
                (json.dumps(metadata, ensure_ascii=False), owner, face_id),
            )
            if cursor.rowcount != 1:
                return None
        found = self.get(owner, [face_id])
        return found[0] if found else None

    def delete(self, owner: str, ids: list[int]) -> bool:
        unique = sorted(set(ids))
        marks = ",".join("?" * len(unique))
        with self._db.tx() as db:
            count = db.execute(
                f"SELECT count(*) FROM faces WHERE owner = ? AND id IN ({marks})", (owner, *unique)
            ).fetchone()[0]
            if count != len(unique):
                return False
            db.execute(f"DELETE FROM faces WHERE owner = ? AND id IN ({marks})", (owner, *unique))
        return True

    def _faces(self, where: str, params: tuple[Any, ...]) -> list[Face]:
        rows = self._db.read(f"SELECT id, owner, identity, file_id, metadata FROM faces {where}", params)
        return [Face(i, o, ident, f, json.loads(m)) for i, o, ident, f, m in rows]


class SQLiteStore:
    """Keys, usage, files and galleries in one SQLite file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.database = Database(path)
        self.keys = SQLiteKeys(self.database)
        self.usage = SQLiteUsage(self.database)
        self.files = SQLiteFiles(self.database)
        self.galleries = SQLiteGalleries(self.database)

    def reset(self, keys: list[ConfiguredKey]) -> None:
        with self.database.tx() as db:
            for table in ("usage", "faces", "files", "keys"):
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM sqlite_sequence WHERE name = 'faces'")  # ids restart at 1
            db.executemany(
                "INSERT INTO keys (api_key, secret_sha256, quota) VALUES (?, ?, ?)",
                [(key, digest(secret), quota) for key, secret, quota in keys],
            )

    def close(self) -> None:
        with self.database.lock:
            self.database.db.close()
