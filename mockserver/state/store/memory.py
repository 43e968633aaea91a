"""The in-memory backend, the default: private to one process, gone when it ends.

One lock guards all four tables, so a step that spans two (usage and the key's quota) is as
atomic as a single one; every step is a few dictionary operations, so request threads
hardly wait for it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from itertools import islice
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
        self.rows: dict[tuple[str, str, str], tuple[bool, int]] = {}  # (billable, count) by key, endpoint, code

    def record(self, api_key: str, endpoint: str, code: str, billable: bool, reserved: bool = False) -> None:
        row = (api_key, endpoint, code)
        with self._lock:
            first_billable, count = self.rows.get(row, (billable, 0))
            self.rows[row] = (first_billable, count + 1)
            key = self._keys.rows.get(api_key)
            if key is not None and reserved != billable:
                key.used = max(0, key.used + (1 if billable else -1))

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = sorted(self.rows.items())
        return [{"api_key": k, "endpoint": e, "code": c, "billable": b, "count": n} for (k, e, c), (b, n) in rows]


class MemoryFiles:
    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self.rows: dict[str, tuple[bytes, str, float, str]] = {}  # insertion order is creation order
        self.crops: deque[str] = deque()  # crop ids, oldest first, so pruning never scans the table

    def put(self, data: bytes, content_type: str, kind: str = "registered") -> str:
        file_id = secrets.token_urlsafe(12)
        with self._lock:
            self.rows[file_id] = (bytes(data), content_type, time.time(), kind)
            if kind == "crop":
                self.crops.append(file_id)
                while len(self.crops) > CROPS_KEPT:
                    del self.rows[self.crops.popleft()]
        return file_id

    def get(self, file_id: str) -> tuple[bytes, str] | None:
        row = self.rows.get(file_id)
        return (row[0], row[1]) if row else None

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = list(self.rows.items())
        return [{"id": i, "content_type": t, "size": len(d), "created": c, "kind": k} for i, (d, t, c, k) in rows]

    def clear(self) -> None:
        self.rows.clear()
        self.crops.clear()


class MemoryGalleries:
    """Faces by owner and by (owner, identity), so a search reads only its identity's faces."""

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self.by_owner: dict[str, dict[int, Face]] = {}  # ids ascend in insertion order
        self.by_identity: dict[tuple[str, str], dict[int, Face]] = {}
        self.last_id = 0

    def add(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face:
        with self._lock:
            self.last_id += 1
            face = Face(self.last_id, owner, identity, file_id, dict(metadata))
            self._put(face)
        return face

    def page(self, owner: str, offset: int, limit: int) -> list[Face]:
        with self._lock:
            return list(islice(self.by_owner.get(owner, {}).values(), max(0, offset), max(0, offset) + max(0, limit)))

    def find(self, owner: str, identity: str, limit: int) -> list[Face]:
        with self._lock:
            return list(islice(self.by_identity.get((owner, identity), {}).values(), max(0, limit)))

    def get(self, owner: str, ids: list[int]) -> list[Face]:
        with self._lock:
            gallery = self.by_owner.get(owner, {})
            return [gallery[i] for i in sorted(set(ids)) if i in gallery]

    def update(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None:
        with self._lock:
            old = self.by_owner.get(owner, {}).get(face_id)
            if old is None:
                return None
            face = Face(old.id, owner, old.identity, old.file_id, dict(metadata))
            self._put(face)
        return face

    def delete(self, owner: str, ids: list[int]) -> bool:
        with self._lock:
            gallery = self.by_owner.get(owner, {})
            unique = set(ids)
            if not unique <= gallery.keys():
                return False
            for face_id in unique:
                face = gallery.pop(face_id)
                del self.by_identity[(owner, face.identity)][face_id]
        return True

    def clear(self) -> None:
        self.by_owner.clear()
        self.by_identity.clear()
        self.last_id = 0

    def _put(self, face: Face) -> None:
        self.by_owner.setdefault(face.owner, {})[face.id] = face
        self.by_identity.setdefault((face.owner, face.identity), {})[face.id] = face


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
            self.usage.rows.clear()
            self.files.clear()
            self.galleries.clear()

    def close(self) -> None:
        """Nothing to write: memory is gone with the process."""
