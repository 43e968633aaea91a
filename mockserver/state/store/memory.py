"""The in-memory backend, the default: private to one process, gone when it ends.

One lock guards every table, so a step that spans two (usage and the key's quota, a tenant's
reset) is as atomic as a single one; every step is a few dictionary operations, so request
threads hardly wait for it. One job, one module: every table of the store, in memory.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import deque
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from mockserver.state.positions import claim_next
from mockserver.state.store.tables import (
    CROPS_KEPT,
    REFUSED,
    Admission,
    Charge,
    ConfiguredKey,
    Face,
    HostedFile,
    JournalRow,
    Steering,
    digest,
    secret_matches,
)


@dataclass
class _Key:
    secret_digest: bytes
    quota: int | None
    owner: str | None = None  # the tenant that made the key; None: its own tenant
    used: int = 0
    last_seen: float = field(default_factory=time.time)

    def tenant(self, name: str) -> str:
        return self.owner or name


class MemoryKeys:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.rows: dict[str, _Key] = {}

    def put(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        with self._lock:
            row = self.rows.get(api_key)
            if row is None:
                self.rows[api_key] = _Key(digest(api_secret), quota)
            else:
                row.secret_digest, row.quota, row.owner = digest(api_secret), quota, None

    def create(self, api_key: str, api_secret: str, quota: int | None, owner: str | None) -> bool:
        with self._lock:
            if api_key in self.rows:
                return False
            self.rows[api_key] = _Key(digest(api_secret), quota, owner)
            return True

    def check(self, api_key: str, api_secret: str) -> Admission:
        row = self.rows.get(api_key)
        if not secret_matches(row.secret_digest if row else None, api_secret) or row is None:
            return REFUSED
        return Admission(True, row.quota is not None, row.tenant(api_key))

    def touch(self, api_key: str, when: float) -> None:
        row = self.rows.get(api_key)
        if row is not None:
            row.last_seen = when

    def try_spend(self, api_key: str) -> bool:
        with self._lock:
            row = self.rows.get(api_key)
            if row is None or (row.quota is not None and row.used >= row.quota):
                return False
            row.used += 1
            return True

    def in_tenant(self, tenant: str) -> set[str]:
        return {k for k, r in self.rows.items() if r.tenant(k) == tenant}

    def all(self, tenant: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            rows = sorted((k, r) for k, r in self.rows.items() if tenant is None or r.tenant(k) == tenant)
            return [{"api_key": k, "quota": r.quota, "used": r.used} for k, r in rows]


class MemoryUsage:
    def __init__(self, lock: threading.RLock, keys: MemoryKeys) -> None:
        self._lock, self._keys = lock, keys
        # (tenant, billable, count) by key, endpoint, code
        self.rows: dict[tuple[str, str, str], tuple[str, bool, int]] = {}

    def record(
        self, api_key: str, tenant: str, endpoint: str, code: str, billable: bool, reserved: bool = False
    ) -> None:
        row = (api_key, endpoint, code)
        with self._lock:
            _, first_billable, count = self.rows.get(row, (tenant, billable, 0))
            self.rows[row] = (tenant, first_billable, count + 1)
            key = self._keys.rows.get(api_key)
            if key is not None and reserved != billable:
                key.used = max(0, key.used + (1 if billable else -1))

    def all(self, tenant: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            rows = sorted((k, v) for k, v in self.rows.items() if tenant is None or v[0] == tenant)
        return [{"api_key": k, "endpoint": e, "code": c, "billable": b, "count": n} for (k, e, c), (_, b, n) in rows]

    def forget(self, tenant: str) -> None:
        self.rows = {k: v for k, v in self.rows.items() if v[0] != tenant}


class MemoryFiles:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        # (data, type, created, kind, owner) by id; insertion order is creation order
        self.rows: dict[str, tuple[bytes, str, float, str, str | None]] = {}
        self.crops: dict[str | None, deque[str]] = {}  # crop ids per owner, oldest first

    def put(self, data: bytes, content_type: str, kind: str = "registered", owner: str | None = None) -> str:
        file_id = secrets.token_urlsafe(12)
        with self._lock:
            self.rows[file_id] = (bytes(data), content_type, time.time(), kind, owner)
            if kind == "crop":
                crops = self.crops.setdefault(owner, deque())
                crops.append(file_id)
                while len(crops) > CROPS_KEPT:
                    self.rows.pop(crops.popleft(), None)
        return file_id

    def get(self, file_id: str) -> tuple[bytes, str] | None:
        row = self.rows.get(file_id)
        return (row[0], row[1]) if row else None

    def open(self, file_id: str) -> HostedFile | None:
        row = self.rows.get(file_id)
        return HostedFile(len(row[0]), row[1], iter((row[0],))) if row else None  # already in memory

    def all(self, owner: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            rows = [(i, r) for i, r in self.rows.items() if owner is None or r[4] == owner]
        return [{"id": i, "content_type": t, "size": len(d), "created": c, "kind": k} for i, (d, t, c, k, _) in rows]

    def clear(self) -> None:
        self.rows.clear()
        self.crops.clear()

    def forget(self, owner: str) -> None:
        self.rows = {i: r for i, r in self.rows.items() if r[4] != owner}
        self.crops.pop(owner, None)


class MemoryGalleries:
    """Faces by owner and by (owner, identity), so a search reads only its identity's faces."""

    def __init__(self, lock: threading.RLock) -> None:
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

    def forget(self, owners: set[str]) -> None:
        for owner in owners:
            self.by_owner.pop(owner, None)
        self.by_identity = {k: v for k, v in self.by_identity.items() if k[0] not in owners}

    def _put(self, face: Face) -> None:
        self.by_owner.setdefault(face.owner, {})[face.id] = face
        self.by_identity.setdefault((face.owner, face.identity), {})[face.id] = face


class MemoryJournal:
    """Each tenant's newest entries in a deque of its own; ids ascend across all of them."""

    def __init__(self, lock: threading.RLock | None = None, size: int = 1000, whole: int | None = None) -> None:
        self._lock, self.size, self.whole = lock or threading.RLock(), max(1, size), whole
        self.by_tenant: dict[str | None, deque[JournalRow]] = {}
        self._ids = itertools.count(1)
        self._order: deque[tuple[int, str | None]] = deque()  # (id, tenant), oldest first: the whole bound
        self._count = 0

    def record(self, tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes) -> None:
        with self._lock:
            rows = self.by_tenant.setdefault(tenant, deque(maxlen=self.size))
            if len(rows) == self.size:
                self._count -= 1  # the tenant's oldest goes as the deque fills
            row = JournalRow(next(self._ids), time.time(), tenant, entry, request, answer)
            rows.append(row)
            self._count += 1
            if self.whole is not None:
                self._order.append((row.id, tenant))
                self._bound()

    def _bound(self) -> None:
        """Drop the oldest entries of any tenant until the whole journal holds ``whole``."""
        assert self.whole is not None
        while self._count > self.whole and self._order:
            entry_id, tenant = self._order.popleft()
            rows = self.by_tenant.get(tenant)
            if rows and rows[0].id == entry_id:  # else it went already, with its tenant's bound
                rows.popleft()
                self._count -= 1
                if not rows:
                    del self.by_tenant[tenant]

    def rows(self, limit: int | None = None, tenant: str | None = None) -> list[JournalRow]:
        with self._lock:
            if tenant is not None:
                kept = list(self.by_tenant.get(tenant, ()))
            else:
                kept = sorted((r for rows in self.by_tenant.values() for r in rows), key=lambda r: r.id)
        return kept[-min(limit or self.size, self.size) :]

    def row(self, entry_id: int, tenant: str | None = None) -> JournalRow | None:
        with self._lock:
            groups = [self.by_tenant.get(tenant, deque())] if tenant is not None else list(self.by_tenant.values())
            return next((r for rows in groups for r in rows if r.id == entry_id), None)

    def clear(self, tenant: str | None = None) -> None:
        with self._lock:
            if tenant is None:
                self.by_tenant.clear()
                self._order.clear()
                self._count = 0
            else:
                self._count -= len(self.by_tenant.pop(tenant, ()))


class MemoryOutcomes:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.queues: dict[tuple[str | None, str], deque[dict[str, Any]]] = {}  # by (tenant, flow)

    def push(self, flow: str, outcome: dict[str, Any], count: int = 1, tenant: str | None = None) -> None:
        with self._lock:
            self.queues.setdefault((tenant, flow), deque()).extend(dict(outcome) for _ in range(count))

    def take(self, flow: str, tenant: str | None) -> dict[str, Any] | None:
        if not self.queues:  # the common case, answered without the lock
            return None
        with self._lock:
            for scope in (tenant, None) if tenant is not None else (None,):
                queue = self.queues.get((scope, flow))
                if queue:
                    return queue.popleft()
        return None

    def queued(self, flow: str, tenant: str | None) -> bool:
        """Whether :meth:`take` would find an outcome now."""
        if not self.queues:
            return False
        with self._lock:
            return bool(self.queues.get((tenant, flow))) or bool(self.queues.get((None, flow)))

    def pending(self, tenant: str | None = None) -> dict[str, int]:
        with self._lock:
            return {flow: len(q) for (scope, flow), q in self.queues.items() if scope == tenant and q}

    def clear(self, tenant: str | None = None) -> None:
        with self._lock:
            if tenant is None:
                self.queues.clear()
            else:
                self.queues = {k: q for k, q in self.queues.items() if k[0] != tenant}


class MemorySettings:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.values: dict[tuple[str, str], str] = {}

    def get(self, scope: str, name: str) -> str | None:
        return self.values.get((scope, name))

    def put(self, scope: str, name: str, value: str | None) -> None:
        with self._lock:
            if value is None:
                self.values.pop((scope, name), None)
            else:
                self.values[(scope, name)] = value

    def effective(self, tenant: str | None) -> dict[str, str]:
        if not self.values:  # the common case, answered without the lock
            return {}
        with self._lock:
            found = {name: v for (scope, name), v in self.values.items() if scope == ""}
            if tenant is not None:
                found.update({name: v for (scope, name), v in self.values.items() if scope == tenant})
        return found

    def forget(self, scope: str) -> None:
        self.values = {k: v for k, v in self.values.items() if k[0] != scope}


class MemoryReplay:
    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.used: dict[str, dict[str, set[int]]] = {}  # by scope, then generation

    def claim(self, scope: str, generation: str, matching: list[int], after_last: str) -> int | None:
        with self._lock:
            used = self.used.setdefault(scope, {}).setdefault(generation, set())
            return claim_next(used, matching, after_last)

    def rewind(self, scope: str | None = None) -> None:
        with self._lock:
            if scope is None:
                self.used.clear()
            else:
                self.used.pop(scope, None)


class MemoryStore:
    """Every table in this process's memory."""

    kind = "memory"

    def __init__(self, journal_size: int = 1000, journal_max: int | None = None) -> None:
        self._lock = threading.RLock()
        self.keys = MemoryKeys(self._lock)
        self.usage = MemoryUsage(self._lock, self.keys)
        self.files = MemoryFiles(self._lock)
        self.galleries = MemoryGalleries(self._lock)
        self.journal = MemoryJournal(self._lock, journal_size, journal_max)
        self.outcomes = MemoryOutcomes(self._lock)
        self.settings = MemorySettings(self._lock)
        self.replay = MemoryReplay(self._lock)

    def reset(self, keys: list[ConfiguredKey]) -> None:
        with self._lock:
            self.keys.rows = {key: _Key(digest(secret), quota) for key, secret, quota in keys}
            self.usage.rows.clear()
            self.files.clear()
            self.galleries.clear()
            self.journal.clear()
            self.outcomes.clear()
            self.settings.values.clear()
            self.replay.rewind()

    def reset_tenant(self, tenant: str, forget_key: bool = False) -> None:
        with self._lock:
            members = self.keys.in_tenant(tenant)
            self.keys.rows = {k: r for k, r in self.keys.rows.items() if k == tenant or k not in members}
            if tenant in self.keys.rows:
                self.keys.rows[tenant].used = 0
            self.usage.forget(tenant)
            self.files.forget(tenant)
            self.galleries.forget(members | {tenant})
            self.journal.clear(tenant)
            self.outcomes.clear(tenant)
            self.settings.forget(tenant)
            self.replay.rewind(tenant)
            if forget_key:
                self.keys.rows.pop(tenant, None)

    def idle_tenants(self, before: float, keep: set[str]) -> list[str]:
        with self._lock:
            rows = list(self.keys.rows.items())
        return sorted(k for k, r in rows if r.owner is None and r.last_seen < before and k not in keep)

    def steer(self, api_key: str, api_secret: str, flow: str) -> Steering:
        admission = self.keys.check(api_key, api_secret)
        tenant = admission.tenant if admission.accepted else None
        queued = admission.accepted and self.outcomes.queued(flow, tenant)
        return Steering(admission, self.settings.effective(tenant), queued)

    def account(
        self, charge: Charge | None, tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes
    ) -> None:
        with self._lock:
            if charge is not None:
                self.usage.record(
                    charge.api_key, charge.tenant, charge.endpoint, charge.code, charge.billable, charge.reserved
                )
            self.journal.record(tenant, entry, request, answer)

    def unit(self) -> AbstractContextManager[None]:
        """Memory never fails between two steps, and each step is atomic under the lock: a
        request holds no lock while its view works."""
        return nullcontext()

    def ping(self) -> None:
        """Memory always answers."""

    def counts(self) -> dict[str, int]:
        with self._lock:
            tenants = sum(1 for key, row in self.keys.rows.items() if row.tenant(key) == key)
            entries = sum(len(rows) for rows in self.journal.by_tenant.values())
        return {"tenants": tenants, "journal_entries": entries}

    def close(self) -> None:
        """Nothing to write: memory is gone with the process."""
