"""The per-app state object: everything a fake owns lives here, never in module globals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

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

    def reset(self) -> None:
        """Forget galleries, files, usage, journal and queued outcomes; keep configured keys."""
        self.store.reset()
        self.journal.clear()
        self.outcomes.clear()


def current_state() -> MockState:
    state: MockState = current_app.extensions["cvs"]
    return state
