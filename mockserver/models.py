"""The store: keys and quotas, usage, Face Search galleries and hosted files.

One implementation on SQLite serves both modes: a private in-memory database by default,
or a file in WAL mode (``--state PATH``) that survives restarts and is shared by several
server processes. Every operation is one transaction, so quotas cannot be overspent by a
race, within a process or across processes.

A private in-memory store has one writer, this process, so its hot path keeps off SQLite
(whose every call releases the GIL and makes request threads queue for it): keys are read
from a copy kept in step with every write, and the usage of unreserved answers is counted in
memory and written before anything reads usage, keys or quotas, and searches are answered
from what the same search found since the last write. Nothing is approximated: a reader
always sees every answer already counted and every face already added. A shared file store writes each answer in
its own transaction, so other processes see it at once and a crash loses none.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

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
CROPS_KEPT = 500
FOUND_FACES_KEPT = 1024
# Compared against when a key is unknown, so a miss costs the same time as a hit.
_DUMMY_DIGEST = hashlib.sha256(b"cvs-testkit-no-such-key").digest()


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class Face:
    id: int
    owner: str
    identity: str
    file_id: str
    metadata: dict[str, Any]


class Store:
    def __init__(self, path: str | None = None) -> None:
        self.path = path
        # One connection per store behind a lock: SQLite serialises writers anyway, and the
        # database's own locking (WAL, busy timeout) coordinates several processes.
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path or ":memory:", timeout=30, isolation_level=None, check_same_thread=False)
        if path is not None:
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
        with self._lock:
            self._db.executescript(SCHEMA)
        self._private = path is None
        self._key_copy: dict[str, tuple[bytes, bool]] | None = None  # private stores only
        self._pending_usage: Counter[tuple[str, str, str, bool]] = Counter()
        self._pending_used: Counter[str] = Counter()
        self._pending_lock = threading.Lock()
        self._written = True  # anything written since the last reset (known for private stores)
        self._reset_to: list[tuple[str, str, int | None]] | None = None
        self._found_faces: dict[tuple[str, ...], list[Face]] = {}  # private stores only

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the database lock up front."""
        with self._lock:
            db = self._db
            self._written = True
            self._found_faces.clear()  # every write may change a gallery
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        self.flush()
        with self._lock:
            self._db.close()

    def flush(self) -> None:
        """Write the usage counted in memory (private stores) to the database."""
        # Under the store lock, so a second reader cannot read before the first one's write.
        with self._lock:
            with self._pending_lock:
                usage, used = self._pending_usage, self._pending_used
                self._pending_usage, self._pending_used = Counter(), Counter()
            if not usage and not used:
                return
            with self._tx() as db:
                db.executemany(
                    "INSERT INTO usage VALUES (?, ?, ?, ?, ?) ON CONFLICT(api_key, endpoint, code) "
                    "DO UPDATE SET count = count + excluded.count",
                    [(key, endpoint, code, int(billable), n) for (key, endpoint, code, billable), n in usage.items()],
                )
                db.executemany("UPDATE keys SET used = used + ? WHERE api_key = ?", [(n, k) for k, n in used.items()])

    def _keys_by_name(self) -> dict[str, tuple[bytes, bool]]:
        copy = self._key_copy
        if copy is None:
            # Read and kept under the lock that writers clear it under, so it is never stale.
            with self._lock:
                rows = self._db.execute("SELECT api_key, secret_sha256, quota IS NOT NULL FROM keys").fetchall()
                copy = self._key_copy = {k: (bytes(d), bool(limited)) for k, d, limited in rows}
        return copy

    # -- keys and quotas ---------------------------------------------------------------
    def put_key(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        """Create or update a key; its spent count survives an update."""
        self.flush()  # a key that becomes limited must see everything it already spent
        with self._tx() as db:
            db.execute(
                "INSERT INTO keys (api_key, secret_sha256, quota) VALUES (?, ?, ?) ON CONFLICT(api_key) "
                "DO UPDATE SET secret_sha256 = excluded.secret_sha256, quota = excluded.quota",
                (api_key, _digest(api_secret), quota),
            )
            self._key_copy = None

    def check_credentials(self, api_key: str, api_secret: str) -> tuple[bool, bool]:
        """(accepted, limited): a constant-time comparison of the secret's digest, and whether
        the key has a quota to reserve from."""
        if self._private:
            row: Any = self._keys_by_name().get(api_key)
        else:
            with self._lock:
                row = self._db.execute(
                    "SELECT secret_sha256, quota IS NOT NULL FROM keys WHERE api_key = ?", (api_key,)
                ).fetchone()
        stored = row[0] if row else _DUMMY_DIGEST
        accepted = hmac.compare_digest(stored, _digest(api_secret)) and row is not None
        return accepted, bool(row and row[1])

    def try_spend(self, api_key: str) -> bool:
        """Reserve one unit of a limited key's quota before the work; False when none is left."""
        with self._tx() as db:
            cursor = db.execute(
                "UPDATE keys SET used = used + 1 WHERE api_key = ? AND (quota IS NULL OR used < quota)",
                (api_key,),
            )
            return cursor.rowcount == 1

    def keys(self) -> list[dict[str, Any]]:
        self.flush()
        with self._lock:
            rows = self._db.execute("SELECT api_key, quota, used FROM keys ORDER BY api_key")
            return [{"api_key": k, "quota": q, "used": u} for k, q, u in rows.fetchall()]

    # -- usage ledger ------------------------------------------------------------------
    def record_usage(self, api_key: str, endpoint: str, code: str, billable: bool, reserved: bool = False) -> None:
        """Count one answer, in one transaction with the quota: a reservation that was not
        billable is given back; an unreserved billable answer is counted as used."""
        if self._private and not reserved:
            with self._pending_lock:
                self._pending_usage[(api_key, endpoint, code, billable)] += 1
                if billable:
                    self._pending_used[api_key] += 1
            return
        with self._tx() as db:
            db.execute(
                "INSERT INTO usage VALUES (?, ?, ?, ?, 1) ON CONFLICT(api_key, endpoint, code) "
                "DO UPDATE SET count = count + 1",
                (api_key, endpoint, code, int(billable)),
            )
            if reserved != billable:
                step = 1 if billable else -1
                db.execute("UPDATE keys SET used = max(0, used + ?) WHERE api_key = ?", (step, api_key))

    def usage(self) -> list[dict[str, Any]]:
        self.flush()
        with self._lock:
            rows = self._db.execute(
                "SELECT api_key, endpoint, code, billable, count FROM usage ORDER BY api_key, endpoint, code"
            ).fetchall()
        return [{"api_key": k, "endpoint": e, "code": c, "billable": bool(b), "count": n} for k, e, c, b, n in rows]

    # -- hosted files ------------------------------------------------------------------
    def put_file(self, data: bytes, content_type: str, kind: str = "registered") -> str:
        """Host bytes under an unguessable id. Crop results are pruned to the newest
        CROPS_KEPT, so a long-running server does not grow without limit."""
        file_id = secrets.token_urlsafe(12)
        with self._tx() as db:
            db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?)", (file_id, content_type, data, time.time(), kind))
            if kind == "crop":
                db.execute(
                    "DELETE FROM files WHERE kind = 'crop' AND id NOT IN "
                    "(SELECT id FROM files WHERE kind = 'crop' ORDER BY created DESC LIMIT ?)",
                    (CROPS_KEPT,),
                )
        return file_id

    def get_file(self, file_id: str) -> tuple[bytes, str] | None:
        with self._lock:
            row = self._db.execute("SELECT data, content_type FROM files WHERE id = ?", (file_id,)).fetchone()
        return (bytes(row[0]), str(row[1])) if row else None

    def files(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, content_type, length(data), created, kind FROM files ORDER BY created"
            ).fetchall()
        return [{"id": i, "content_type": t, "size": n, "created": c, "kind": k} for i, t, n, c, k in rows]

    # -- Face Search galleries, always scoped by owner ---------------------------------
    def add_face(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face:
        with self._tx() as db:
            cursor = db.execute(
                "INSERT INTO faces (owner, identity, file_id, metadata) VALUES (?, ?, ?, ?)",
                (owner, identity, file_id, json.dumps(metadata, ensure_ascii=False)),
            )
            face_id = cursor.lastrowid
        assert face_id is not None
        return Face(face_id, owner, identity, file_id, metadata)

    def list_faces(self, owner: str, offset: int, limit: int) -> list[Face]:
        # Skip the offset inside the (owner, id) index alone, then read only the page's rows.
        where = (
            "WHERE owner = ? AND id >= (SELECT id FROM faces WHERE owner = ? ORDER BY id LIMIT 1 OFFSET ?) "
            "ORDER BY id LIMIT ?"
        )
        return self._read_faces(("list", owner, str(offset), str(limit)), where, (owner, owner, offset, limit))

    def find_faces(self, owner: str, identity: str, limit: int) -> list[Face]:
        where = "WHERE owner = ? AND identity = ? ORDER BY id LIMIT ?"
        return self._read_faces(("find", owner, identity, str(limit)), where, (owner, identity, limit))

    def _read_faces(self, key: tuple[str, ...], where: str, params: tuple[Any, ...]) -> list[Face]:
        """A gallery read; a private store answers a repeated read from what the same read
        found since the last write (a suite lists and searches far more than it writes)."""
        if not self._private:
            return self._faces(where, params)
        with self._lock:
            found = self._found_faces.get(key)
            if found is None:
                if len(self._found_faces) >= FOUND_FACES_KEPT:
                    self._found_faces.clear()
                found = self._found_faces[key] = self._faces(where, params)
        return list(found)

    def get_faces(self, owner: str, ids: list[int]) -> list[Face]:
        marks = ",".join("?" * len(ids))
        return self._faces(f"WHERE owner = ? AND id IN ({marks})", (owner, *ids))

    def update_face(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None:
        with self._tx() as db:
            cursor = db.execute(
                "UPDATE faces SET metadata = ? WHERE owner = ? AND id = ?",
                (json.dumps(metadata, ensure_ascii=False), owner, face_id),
            )
            if cursor.rowcount != 1:
                return None
        found = self.get_faces(owner, [face_id])
        return found[0] if found else None

    def delete_faces(self, owner: str, ids: list[int]) -> bool:
        """Delete all of ids, or none when any is not this owner's."""
        unique = sorted(set(ids))
        marks = ",".join("?" * len(unique))
        with self._tx() as db:
            count = db.execute(
                f"SELECT count(*) FROM faces WHERE owner = ? AND id IN ({marks})", (owner, *unique)
            ).fetchone()[0]
            if count != len(unique):
                return False
            db.execute(f"DELETE FROM faces WHERE owner = ? AND id IN ({marks})", (owner, *unique))
        return True

    def _faces(self, where: str, params: tuple[Any, ...]) -> list[Face]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, owner, identity, file_id, metadata FROM faces {where}", params
            ).fetchall()
        return [Face(i, o, ident, f, json.loads(m)) for i, o, ident, f, m in rows]

    def reset(self, keys: list[tuple[str, str, int | None]]) -> None:
        """Back to the start: only ``keys`` (the configured ones), nothing spent, no gallery,
        no file, no usage."""
        with self._pending_lock:
            self._pending_usage.clear()
            self._pending_used.clear()
        with self._lock:
            # Nothing written since a reset to the same keys: the database is already there
            # (a suite resets before every test, and most tests only read).
            if self._private and not self._written and self._reset_to == keys:
                return
            self._reset_to = list(keys)
            self._reset_tables(keys)
            self._written = False

    def _reset_tables(self, keys: list[tuple[str, str, int | None]]) -> None:
        with self._tx() as db:
            self._key_copy = None
            for table in ("usage", "faces", "files", "keys"):
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM sqlite_sequence WHERE name = 'faces'")  # ids restart at 1
            db.executemany(
                "INSERT INTO keys (api_key, secret_sha256, quota) VALUES (?, ?, ?)",
                [(key, _digest(secret), quota) for key, secret, quota in keys],
            )
