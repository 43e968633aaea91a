"""The per-app state object: everything a fake owns lives here, never in module globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask.globals import _cv_app

from mockserver.contract.catalogue import Catalogue
from mockserver.contract.dialects import Dialect
from mockserver.contract.dialects.render import Renderer
from mockserver.contract.dialects.schemas import dialect_contract
from mockserver.contract.loading import Contract
from mockserver.recording.cassettes import Replayer
from mockserver.state.journal import Journal
from mockserver.state.outcomes import Outcomes
from mockserver.state.store import Store


@dataclass
class MockState:
    config: dict[str, Any]
    contract: Contract
    catalogue: Catalogue
    store: Store
    journal: Journal
    outcomes: Outcomes
    configured_keys: list[tuple[str, str, int | None]]
    configured_dialect: Dialect
    replayer: Replayer | None = None  # recorded answers, when replaying cassettes
    configured_replay: Replayer | None = None
    renderer: Renderer = field(init=False)
    checker: Contract = field(init=False)  # the strict contract of the dialect in use

    def __post_init__(self) -> None:
        self.use_dialect(self.configured_dialect)

    @property
    def dialect(self) -> Dialect:
        return self.renderer.dialect

    def use_dialect(self, dialect: Dialect) -> None:
        """Speak ``dialect`` from the next answer on."""
        self.checker = dialect_contract(self.contract, dialect)
        self.renderer = Renderer(dialect, self.contract.dialects, self.contract.catalogue)

    def reset(self) -> None:
        """Back to the start: configured keys only (demo, keys file), nothing spent, the
        configured dialect; galleries, files, usage, journal, queued outcomes and keys added
        later are forgotten."""
        self.store.reset(self.configured_keys)
        self.journal.clear()
        self.outcomes.clear()
        self.replayer = self.configured_replay
        if self.replayer is not None:
            self.replayer.rewind()
        if self.dialect != self.configured_dialect:
            self.use_dialect(self.configured_dialect)


def current_state() -> MockState:
    # The context variable behind ``current_app``, read directly: this runs several times in
    # every request, and the proxy's lookup costs more than the rest of the call.
    state: MockState = _cv_app.get().app.extensions["cvs"]
    return state
