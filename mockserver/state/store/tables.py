"""The store's interface: one protocol per table, and the backend that holds all four.

A backend is a module that implements these (``memory``, ``sqlite``); :func:`open_store` in
the package picks one from the ``--state`` value. Every method is one atomic step, so a
quota can never be overspent by a race, within a process or, for shared backends, across
processes. Face Search galleries are always scoped by owner: one key never sees another's.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Protocol

ConfiguredKey = tuple[str, str, "int | None"]  # (api_key, api_secret, quota)
CROPS_KEPT = 500  # crop results hosted at once; older ones are pruned
# Compared against when a key is unknown, so a miss costs the same time as a hit.
_DUMMY_DIGEST = hashlib.sha256(b"cvs-testkit-no-such-key").digest()


def digest(secret: str) -> bytes:
    """What a backend stores of a secret: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()


def secret_matches(stored: bytes | None, secret: str) -> bool:
    """A constant-time comparison of digests; an unknown key (``stored`` None) costs the same."""
    return hmac.compare_digest(stored if stored is not None else _DUMMY_DIGEST, digest(secret)) and stored is not None


@dataclass(frozen=True)
class Face:
    id: int
    owner: str
    identity: str
    file_id: str
    metadata: dict[str, Any]


class KeyTable(Protocol):
    def put(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        """Create or update a key; its spent count survives an update."""

    def check(self, api_key: str, api_secret: str) -> tuple[bool, bool]:
        """(accepted, limited): the secret checked in constant time, and whether the key has a
        quota to reserve from."""

    def try_spend(self, api_key: str) -> bool:
        """Reserve one unit of a limited key's quota before the work; False when none is left."""

    def all(self) -> list[dict[str, Any]]:
        """Every key with its quota and what it used, by name."""


class UsageLedger(Protocol):
    def record(self, api_key: str, endpoint: str, code: str, billable: bool, reserved: bool = False) -> None:
        """Count one answer, atomically with the key's quota: a reservation that was not
        billable is given back; an unreserved billable answer is counted as used."""

    def all(self) -> list[dict[str, Any]]:
        """Counts by key, endpoint and code."""


class FileTable(Protocol):
    def put(self, data: bytes, content_type: str, kind: str = "registered") -> str:
        """Host bytes under an unguessable id; crop results are pruned to the newest CROPS_KEPT."""

    def get(self, file_id: str) -> tuple[bytes, str] | None: ...

    def all(self) -> list[dict[str, Any]]:
        """Every hosted file's id, type, size, creation time and kind, oldest first."""


class Galleries(Protocol):
    def add(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face: ...

    def page(self, owner: str, offset: int, limit: int) -> list[Face]: ...

    def find(self, owner: str, identity: str, limit: int) -> list[Face]: ...

    def get(self, owner: str, ids: list[int]) -> list[Face]: ...

    def update(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None: ...

    def delete(self, owner: str, ids: list[int]) -> bool:
        """Delete all of ids, or none when any is not this owner's."""


class Store(Protocol):
    """One backend's four tables, and what spans them."""

    @property
    def keys(self) -> KeyTable: ...

    @property
    def usage(self) -> UsageLedger: ...

    @property
    def files(self) -> FileTable: ...

    @property
    def galleries(self) -> Galleries: ...

    def reset(self, keys: list[ConfiguredKey]) -> None:
        """Back to the start: only ``keys`` (the configured ones), nothing spent, no gallery, no
        file, no usage; face ids start again at 1."""

    def close(self) -> None: ...
