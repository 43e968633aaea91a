"""The in-memory backend, the default: private to one process, gone when it ends.

One lock guards all four tables, so a step that spans two (usage and the key's quota) is as
atomic as a single one; every step is a few dictionary operations, so request threads
hardly wait for it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from mockserver.state.store.tables import CROPS_KEPT, ConfiguredKey, Face, digest, secret_matches


@dataclass
class _Key:
    secret_digest: bytes
    quota: int | None
    used: int = 0


class MemoryKeys:
    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self.rows: dict[str, _Key] = {}

    def put(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        with self._lock:
            row = self.rows.get(api_key)
            if row is None:
                self.rows[api_key] = _Key(digest(api_secret), quota)
            else:
                row.secret_digest, row.quota = digest(api_secret), quota

    def check(self, api_key: str, api_secret: str) -> tuple[bool, bool]:
        row = self.rows.get(api_key)
        accepted = secret_matches(row.secret_digest if row else None, api_secret)
        return accepted, bool(row and row.quota is not None)

    def try_spend(self, api_key: str) -> bool:
        with self._lock:
            row = self.rows.get(api_key)
            if row is None or (row.quota is not None and row.used >= row.quota):
                return False
            row.used += 1
            return True

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"api_key": k, "quota": r.quota, "used": r.used} for k, r in sorted(self.rows.items())]


class MemoryUsage:
    def __init__(self, lock: threading.Lock, keys: MemoryKeys) -> None:
        self._lock, self._keys = lock, keys
        self.counts: Counter[tuple[str, str, str]] = Counter()
        self.billable: dict[tuple[str, str, str], bool] = {}

    def record(self, api_key: str, endpoint: str, code: str, billable: bool, reserved: bool = False) -> None:
        row = (api_key, endpoint, code)
        with self._lock:
            self.counts[row] += 1
            self.billable.setdefault(row, billable)
            key = self._keys.rows.get(api_key)
            if key is not None and reserved != billable:
                key.used = max(0, key.used + (1 if billable else -1))

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = sorted(self.counts.items())
            return [
                {"api_key": k, "endpoint": e, "code": c, "billable": self.billable[(k, e, c)], "count": n}
                for (k, e, c), n in rows
            ]


class MemoryFiles:
    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self.rows: dict[str, tuple[bytes, str, float, str]] = {}  # insertion order is creation order

    def put(self, data: bytes, content_type: str, kind: str = "registered") -> str:
        file_id = secrets.token_urlsafe(12)
        with self._lock:
            self.rows[file_id] = (bytes(data), content_type, time.time(), kind)
            if kind == "crop":
                crops = [i for i, row in self.rows.items() if row[3] == "crop"]
                for old in crops[: max(0, len(crops) - CROPS_KEPT)]:
                    del self.rows[old]
        return file_id

    def get(self, file_id: str) -> tuple[bytes, str] | None:
        row = self.rows.get(file_id)
        return (row[0], row[1]) if row else None

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = list(self.rows.items())
        return [{"id": i, "content_type": t, "size": len(d), "created": c, "kind": k} for i, (d, t, c, k) in rows]


class MemoryGalleries:
    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self.by_owner: dict[str, dict[int, Face]] = {}  # ids ascend in insertion order
        self.last_id = 0

    def add(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face:
        with self._lock:
            self.last_id += 1
            face = Face(self.last_id, owner, identity, file_id, dict(metadata))
            self.by_owner.setdefault(owner, {})[face.id] = face
        return face

    def page(self, owner: str, offset: int, limit: int) -> list[Face]:
        with self._lock:
            faces = list(self.by_owner.get(owner, {}).values())
        return faces[offset : offset + limit] if offset >= 0 and limit > 0 else []

    def find(self, owner: str, identity: str, limit: int) -> list[Face]:
        with self._lock:
            faces = [f for f in self.by_owner.get(owner, {}).values() if f.identity == identity]
        return faces[: max(0, limit)]

    def get(self, owner: str, ids: list[int]) -> list[Face]:
        with self._lock:
            gallery = self.by_owner.get(owner, {})
            return [gallery[i] for i in sorted(set(ids)) if i in gallery]

    def update(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None:
        with self._lock:
            gallery = self.by_owner.get(owner, {})
            old = gallery.get(face_id)
            if old is None:
                return None
            face = gallery[face_id] = Face(old.id, owner, old.identity, old.file_id, dict(metadata))
        return face

    def delete(self, owner: str, ids: list[int]) -> bool:
        with self._lock:
            gallery = self.by_owner.get(owner, {})
            unique = set(ids)
            if not unique <= gallery.keys():
                return False
            for face_id in unique:
                del gallery[face_id]
        return True


class MemoryStore:
    """Keys, usage, files and galleries in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.keys = MemoryKeys(self._lock)
        self.usage = MemoryUsage(self._lock, self.keys)
        self.files = MemoryFiles(self._lock)
        self.galleries = MemoryGalleries(self._lock)

    def reset(self, keys: list[ConfiguredKey]) -> None:
        with self._lock:
            self.keys.rows = {key: _Key(digest(secret), quota) for key, secret, quota in keys}
            self.usage.counts.clear()
            self.usage.billable.clear()
            self.files.rows.clear()
            self.galleries.by_owner.clear()
            self.galleries.last_id = 0

    def close(self) -> None:
        """Nothing to write: memory is gone with the process."""
