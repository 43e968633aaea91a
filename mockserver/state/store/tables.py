"""The store's interface: one protocol per table, and the backend that holds them all.

A backend is a module that implements these (``memory``, ``sqlite``, ``postgres``);
:func:`open_store` in the package picks one from the ``--state`` value. Every method is one
atomic step, so a quota can never be overspent and a forced outcome never taken twice by a
race, within a process or, for shared backends, across processes and machines.

Tenants: every key belongs to one. A key someone configured, created through the unscoped
admin API or admitted as an open tenant is a tenant of its own; a key a tenant creates
belongs to that tenant. Usage, hosted files, journal entries, forced outcomes and settings
are kept per tenant, so resetting or reading one tenant never touches another. Face Search
galleries are scoped more finely still, by key: one key never sees another's faces.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

ConfiguredKey = tuple[str, str, "int | None"]  # (api_key, api_secret, quota)
CROPS_KEPT = 500  # crop results hosted at once per tenant; older ones are pruned
# Compared against when a key is unknown, so a miss costs the same time as a hit.
_DUMMY_DIGEST = hashlib.sha256(b"cvs-testkit-no-such-key").digest()


def digest(secret: str) -> bytes:
    """What a backend stores of a secret: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).digest()


def secret_matches(stored: bytes | None, secret: str) -> bool:
    """A constant-time comparison of digests; an unknown key (``stored`` None) costs the same."""
    return hmac.compare_digest(stored if stored is not None else _DUMMY_DIGEST, digest(secret)) and stored is not None


class StoreUnavailable(RuntimeError):
    """The shared store cannot be reached now; the request is answered 503 and nothing of it
    is acknowledged."""


class SteeringChanged(RuntimeError):
    """What steered a request (a replica's remembered :class:`Steering`) changed before the
    request was accounted; nothing of it is kept, and it is answered again from the start."""


class SchemaTooNew(RuntimeError):
    """The database was set up by a newer cvs-testkit than this one; it is left untouched."""


@dataclass(frozen=True)
class Admission:
    """What checking a key's credentials tells the pipeline."""

    accepted: bool
    limited: bool = False  # the key has a quota to reserve from
    tenant: str | None = None  # whose state the request reads and writes, once accepted


REFUSED = Admission(False)


@dataclass(frozen=True)
class Steering:
    """What steers one API request, read from the store at once before it does anything:
    its key's admission, the settings in effect for its tenant (the whole fake's alone when
    the key is refused) and whether an outcome is queued for its flow (never for a refused
    key: it takes none)."""

    admission: Admission
    settings: dict[str, str]
    outcome_queued: bool


@dataclass(frozen=True)
class Charge:
    """One answer's line in the usage ledger (see :meth:`UsageLedger.record`)."""

    api_key: str
    tenant: str
    endpoint: str
    code: str
    billable: bool
    reserved: bool = False  # a limited key reserved a unit before the work


@dataclass(frozen=True)
class HostedFile:
    """A hosted file as it is sent: its size and type first, its bytes chunk by chunk (a
    file forgotten meanwhile ends early)."""

    size: int
    content_type: str
    chunks: Iterator[bytes]


@dataclass(frozen=True)
class Face:
    id: int
    owner: str
    identity: str
    file_id: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class JournalRow:
    """One journal entry as stored: the light entry, and the request fields and answer bytes
    kept beside it."""

    id: int
    time: float
    tenant: str | None
    entry: dict[str, Any]
    request: dict[str, Any]
    answer: bytes


class KeyTable(Protocol):
    def put(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        """Create or update a key that is its own tenant; its spent count survives an update."""

    def create(self, api_key: str, api_secret: str, quota: int | None, owner: str | None) -> bool:
        """Create a key only if no key has that name (an open tenant's first request, a key a
        tenant makes); False, and nothing changed, when it exists."""

    def check(self, api_key: str, api_secret: str) -> Admission:
        """The secret checked in constant time; the key's quota and tenant when accepted."""

    def touch(self, api_key: str, when: float) -> None:
        """Note that ``api_key`` was used at ``when`` (seconds since the epoch)."""

    def try_spend(self, api_key: str) -> bool:
        """Reserve one unit of a limited key's quota before the work; False when none is left."""

    def all(self, tenant: str | None = None) -> list[dict[str, Any]]:
        """Every key (or a tenant's) with its quota and what it used, by name."""


class UsageLedger(Protocol):
    def record(
        self, api_key: str, tenant: str, endpoint: str, code: str, billable: bool, reserved: bool = False
    ) -> None:
        """Count one answer, atomically with the key's quota: a reservation that was not
        billable is given back; an unreserved billable answer is counted as used."""

    def all(self, tenant: str | None = None) -> list[dict[str, Any]]:
        """Counts by key, endpoint and code (a tenant's only, when named)."""


class FileTable(Protocol):
    def put(self, data: bytes, content_type: str, kind: str = "registered", owner: str | None = None) -> str:
        """Host bytes under an unguessable id; crop results are pruned to each tenant's newest
        CROPS_KEPT."""

    def get(self, file_id: str) -> tuple[bytes, str] | None:
        """Anyone holding the unguessable id may fetch the file, as with the real API's URLs."""

    def open(self, file_id: str) -> HostedFile | None:
        """The file to send, read in chunks as it is sent rather than loaded whole."""

    def all(self, owner: str | None = None) -> list[dict[str, Any]]:
        """Every hosted file's (or a tenant's) id, type, size, creation time and kind, oldest first."""


class Galleries(Protocol):
    def add(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face: ...

    def page(self, owner: str, offset: int, limit: int) -> list[Face]: ...

    def find(self, owner: str, identity: str, limit: int) -> list[Face]: ...

    def get(self, owner: str, ids: list[int]) -> list[Face]: ...

    def update(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None: ...

    def delete(self, owner: str, ids: list[int]) -> bool:
        """Delete all of ids, or none when any is not this owner's."""


class JournalTable(Protocol):
    def record(self, tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes) -> None:
        """Keep one entry; each tenant (and the requests of no tenant) keeps its newest
        ``size`` entries."""

    def rows(self, limit: int | None = None, tenant: str | None = None) -> list[JournalRow]:
        """The newest ``limit`` entries (all kept when None), oldest first; a tenant's only
        when named."""

    def row(self, entry_id: int, tenant: str | None = None) -> JournalRow | None: ...

    def clear(self, tenant: str | None = None) -> None: ...


class OutcomeQueues(Protocol):
    def push(self, flow: str, outcome: dict[str, Any], count: int = 1, tenant: str | None = None) -> None:
        """Queue ``count`` copies: for a tenant's requests only, or (None) for anyone's."""

    def take(self, flow: str, tenant: str | None) -> dict[str, Any] | None:
        """The next outcome a request of ``tenant`` gets, exactly once: the tenant's own queue
        first, then the one for anyone."""

    def pending(self, tenant: str | None = None) -> dict[str, int]:
        """Queued outcomes by flow: a tenant's, or (None) the queue for anyone."""

    def clear(self, tenant: str | None = None) -> None:
        """A tenant's queue, or (None) every queue."""


class Settings(Protocol):
    """Small named values per scope ("" is the whole fake, else a tenant): the dialect in use,
    the cassettes replayed."""

    def get(self, scope: str, name: str) -> str | None: ...

    def put(self, scope: str, name: str, value: str | None) -> None:
        """Set a value, or (None) remove it."""

    def effective(self, tenant: str | None) -> dict[str, str]:
        """Every value in effect for ``tenant``, read at once: the tenant's own, else the
        whole fake's."""


class ReplayPositions(Protocol):
    """Which recorded interactions each scope has replayed from each set of cassettes
    (``generation``), so every replica answers the next one."""

    def claim(self, scope: str, generation: str, matching: list[int], after_last: str) -> int | None:
        """The first of ``matching`` (recorded indices, in order) not yet used, marked used;
        once all are: ``cycle`` marks them unused and takes the first, ``repeat`` answers the
        last again, ``exhausted`` None."""

    def rewind(self, scope: str | None = None) -> None:
        """Forget a scope's positions, or (None) every scope's."""


class Store(Protocol):
    """One backend's tables, and what spans them."""

    kind: str  # "memory", "sqlite" or "postgresql": told in the health answer and the banner

    @property
    def keys(self) -> KeyTable: ...

    @property
    def usage(self) -> UsageLedger: ...

    @property
    def files(self) -> FileTable: ...

    @property
    def galleries(self) -> Galleries: ...

    @property
    def journal(self) -> JournalTable: ...

    @property
    def outcomes(self) -> OutcomeQueues: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def replay(self) -> ReplayPositions: ...

    def steer(self, api_key: str, api_secret: str, flow: str) -> Steering:
        """The :class:`Steering` of a request of ``flow`` made with these credentials, in one
        read (a shared backend's one round trip); nothing is written."""

    def account(
        self, charge: Charge | None, tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes
    ) -> None:
        """One answer's usage (None: the request was not authenticated) and its journal entry,
        kept both or neither, as one step (a shared backend's one statement)."""

    def reset(self, keys: list[ConfiguredKey]) -> None:
        """Back to the start: only ``keys`` (the configured ones), nothing spent, no gallery, no
        file, no usage, no journal, no queued outcome, no setting; face ids start again at 1."""

    def reset_tenant(self, tenant: str, forget_key: bool = False) -> None:
        """One tenant back to the start: its key stays with nothing spent (``forget_key``: it
        goes too, as an open tenant's does, made again on its next use); the keys it made,
        its galleries, files, usage, journal, queued outcomes, settings and replay positions
        are forgotten. Other tenants are untouched."""

    def idle_tenants(self, before: float, keep: set[str]) -> list[str]:
        """The tenants (keys of their own) last used before ``before``, but not those in ``keep``."""

    def unit(self) -> AbstractContextManager[None]:
        """The steps of one API request -- admission, billing, the forced outcome, its effects
        (gallery rows, hosted files, crops) and its journal entry -- as one transaction,
        committed when the block ends, before the answer is sent. If the block raises (the
        store became unavailable), none of them is kept."""

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the store answers now with its schema in place."""

    def counts(self) -> dict[str, int]:
        """``{"tenants": N, "journal_entries": M}``: what the store holds, for the metrics."""

    def close(self) -> None: ...
