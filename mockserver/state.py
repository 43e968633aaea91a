"""The per-app state object: everything a fake owns lives here, never in module globals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.globals import _cv_app

from .catalogue import Catalogue
from .contracts import Contract
from .journal import Journal
from .models import Store
from .outcomes import Outcomes


@dataclass
class MockState:
    config: dict[str, Any]
    contract: Contract
    catalogue: Catalogue
    store: Store
    journal: Journal
    outcomes: Outcomes
    configured_keys: list[tuple[str, str, int | None]]

    def reset(self) -> None:
        """Back to the start: configured keys only (demo, keys file), nothing spent; galleries,
        files, usage, journal, queued outcomes and keys added later are forgotten."""
        self.store.reset(self.configured_keys)
        self.journal.clear()
        self.outcomes.clear()


def current_state() -> MockState:
    # The context variable behind ``current_app``, read directly: this runs several times in
    # every request, and the proxy's lookup costs more than the rest of the call.
    state: MockState = _cv_app.get().app.extensions["cvs"]
    return state
