"""The per-app state object: everything a fake owns lives here or in its store, never in
module globals.

What a test steers is kept in the store, per tenant where a tenant asked for it: the dialect
in use and the cassettes replayed are settings (the tenant's own, else the whole fake's, else
the configured ones), so every replica on a shared store speaks and replays alike.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask.globals import _cv_app

from mockserver.contract.catalogue import Catalogue
from mockserver.contract.dialects import Dialect
from mockserver.contract.dialects.render import Renderer
from mockserver.contract.dialects.schemas import dialect_contract
from mockserver.contract.loading import Contract
from mockserver.recording.replayer import Replayer, load
from mockserver.state.journal import Journal
from mockserver.state.metrics import Metrics
from mockserver.state.store import Store
from mockserver.state.store.tables import ReplayPositions

DIALECT_SETTING = "dialect"
REPLAY_SETTING = "replay"
CONFIGURED = "configured"  # the generation of the cassettes the fake was started with


@dataclass(frozen=True)
class Voice:
    """A dialect ready to speak: the dialect, the renderer that rewrites each answer into it,
    and the strict contract of that dialect, which the self-check holds the answer to."""

    dialect: Dialect
    renderer: Renderer
    checker: Contract


@dataclass(frozen=True)
class Replay:
    """Cassettes in use for one scope, and where their positions are kept."""

    replayer: Replayer
    generation: str

    @property
    def strict(self) -> bool:
        return self.replayer.strict


class ScopedPositions:
    """A replayer's positions for one scope and generation, in the store."""

    def __init__(self, table: ReplayPositions, scope: str, generation: str) -> None:
        self._table, self._scope, self._generation = table, scope, generation

    def claim(self, matching: list[int], after_last: str) -> int | None:
        return self._table.claim(self._scope, self._generation, matching, after_last)

    def rewind(self) -> None:
        self._table.rewind(self._scope)


@dataclass
class MockState:
    """Everything one fake owns: its configuration, the contract and catalogue it answers by,
    its store (keys, usage, galleries, files, outcomes, settings, journal, replay positions),
    and the dialects and cassettes it has loaded. One per app (``state_of(app)``), reached in
    a request through ``current_state()``; replicas on a shared store share all but the
    loaded dialects and cassettes, which each reloads from the store's settings."""

    config: dict[str, Any]
    contract: Contract
    catalogue: Catalogue
    store: Store
    configured_keys: list[tuple[str, str, int | None]]
    configured_dialect: Dialect
    configured_replay: Replayer | None = None
    metrics: Metrics | None = None  # None under --no-metrics
    journal: Journal = field(init=False)
    _voices: dict[Dialect, Voice] = field(default_factory=dict, init=False, repr=False)
    _replayers: dict[str, Replayer] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _last_touch: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _next_sweep: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.journal = Journal(self.store.journal)

    @property
    def open_tenants(self) -> bool:
        return self.config.get("TENANTS") == "open"

    # The dialect in use

    def dialect_and_replay(self, settings: dict[str, str]) -> tuple[Voice, Replay | None]:
        """How a request is answered, and from which cassettes, by the settings in effect
        for it (read with the rest of what steers it: ``Store.steer``)."""
        return self._voice(self._dialect(settings)), self._replay(settings)

    def configured_voice(self) -> Voice:
        """The dialect the fake was started with, known without the store."""
        return self._voice(self.configured_dialect)

    def voice(self, tenant: str | None = None) -> Voice:
        return self._voice(self._dialect(self.store.settings.effective(tenant)))

    def dialect_of(self, tenant: str | None = None) -> Dialect:
        return self._dialect(self.store.settings.effective(tenant))

    def _dialect(self, settings: dict[str, str]) -> Dialect:
        stored = settings.get(DIALECT_SETTING)
        if stored is None:
            return self.configured_dialect
        spec = json.loads(stored)
        return Dialect(spec["name"], tuple((k, v) for k, v in spec["settings"]))

    def use_dialect(self, dialect: Dialect, tenant: str | None = None) -> None:
        """Speak ``dialect`` from the next answer on: to ``tenant``, or (None) to everyone."""
        self._voice(dialect)  # built now, so the first answer in it costs no more than the rest
        value = json.dumps({"name": dialect.name, "settings": list(dialect.settings)})
        self.store.settings.put(tenant or "", DIALECT_SETTING, value)

    def _voice(self, dialect: Dialect) -> Voice:
        voice = self._voices.get(dialect)
        if voice is None:
            renderer = Renderer(dialect, self.contract.dialects, self.contract.catalogue)
            voice = self._voices[dialect] = Voice(dialect, renderer, dialect_contract(self.contract, dialect))
        return voice

    # The cassettes in use

    def replay_of(self, tenant: str | None = None) -> Replay | None:
        """The cassettes a request of ``tenant`` is answered from, if any."""
        return self._replay(self.store.settings.effective(tenant))

    def _replay(self, settings: dict[str, str]) -> Replay | None:
        stored = settings.get(REPLAY_SETTING)
        if stored is None:
            if self.configured_replay is None:
                return None
            return Replay(self.configured_replay, CONFIGURED)
        spec = json.loads(stored)
        with self._lock:
            replayer = self._replayers.get(spec["generation"])
            if replayer is None:  # cassettes another replica was told to use: loaded here once
                replayer = Replayer(
                    load(spec["paths"]),
                    spec["strict"],
                    spec["after_last"],
                    key=self.config.get("REPLAY_KEY"),
                    match_on=spec.get("match_on"),
                )
                self._replayers[spec["generation"]] = replayer
        return Replay(replayer, spec["generation"])

    def positions(self, replay: Replay, tenant: str | None) -> ScopedPositions:
        return ScopedPositions(self.store.replay, tenant or "", replay.generation)

    def use_replay(
        self,
        paths: list[str],
        strict: bool,
        after_last: str,
        tenant: str | None = None,
        match_on: list[str] | None = None,
    ) -> Replayer:
        """Answer from these cassettes until the next reset, from the first interaction on."""
        replayer = Replayer(load(paths), strict, after_last, key=self.config.get("REPLAY_KEY"), match_on=match_on)
        generation = secrets.token_hex(8)
        with self._lock:
            self._replayers[generation] = replayer
        spec = {
            "paths": paths,
            "strict": strict,
            "after_last": after_last,
            "match_on": list(replayer.match_on),
            "generation": generation,
        }
        self.store.settings.put(tenant or "", REPLAY_SETTING, json.dumps(spec))
        return replayer

    # Starting over

    def reset(self, tenant: str | None = None, forget: bool = False) -> None:
        """Back to the start. The whole fake: configured keys only (demo, keys file), nothing
        spent, the configured dialect and cassettes; galleries, files, usage, journal, queued
        outcomes and keys added later are forgotten. One tenant: the same for its own state,
        its key kept; other tenants are untouched."""
        if tenant is None:
            self.store.reset(self.configured_keys)
            with self._lock:
                self._replayers.clear()
        else:
            # An open tenant is made on first use: forgotten, its key goes with the rest. Kept
            # otherwise, so its secret stays the one it was made with.
            self.store.reset_tenant(tenant, forget_key=forget and tenant not in self._configured_names)

    @property
    def _configured_names(self) -> set[str]:
        return {key for key, _, _ in self.configured_keys}

    # Open tenants that expire

    def seen(self, tenant: str) -> None:
        """Note that ``tenant`` is in use, writing to the store at most once per tenth of the TTL."""
        ttl = self.config.get("TENANT_TTL")
        if not ttl:
            return
        now = time.time()
        if now - self._last_touch.get(tenant, 0.0) >= min(60.0, ttl / 10):
            self._last_touch[tenant] = now
            self.store.keys.touch(tenant, now)

    def expire_idle(self) -> list[str]:
        """Remove every open tenant idle for longer than ``TENANT_TTL`` and all it owns, its
        keys included; looked at most once per tenth of the TTL in this process."""
        ttl = self.config.get("TENANT_TTL")
        now = time.monotonic()
        if not ttl or now < self._next_sweep:
            return []
        self._next_sweep = now + min(60.0, ttl / 10)
        gone = self.store.idle_tenants(time.time() - ttl, self._configured_names)
        for tenant in gone:
            self.store.reset_tenant(tenant, forget_key=True)
            self._last_touch.pop(tenant, None)
        return gone


def current_state() -> MockState:
    # The context variable behind ``current_app``, read directly: this runs several times in
    # every request, and the proxy's lookup costs more than the rest of the call.
    state: MockState = _cv_app.get().app.extensions["cvs"]
    return state


def state_of(app: Any) -> MockState:
    """The state of a fake built by ``mockserver.create_app``."""
    state: MockState = app.extensions["cvs"]
    return state
