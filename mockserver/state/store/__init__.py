"""The store: every table a fake changes -- keys and quotas, the usage ledger, hosted files,
Face Search galleries, the journal, forced outcomes, settings and replay positions.

``tables`` declares one interface per table; each backend is a module of its own
(``memory``; ``sqlite`` and ``postgres`` over the shared SQL of ``sql``), and
:func:`open_store` is the one place that picks between them.
"""

from __future__ import annotations

from mockserver.state.store.tables import (
    Admission,
    Charge,
    Face,
    SchemaTooNew,
    Steering,
    SteeringChanged,
    Store,
    StoreUnavailable,
)

__all__ = [
    "Admission",
    "Charge",
    "Face",
    "SchemaTooNew",
    "Steering",
    "SteeringChanged",
    "Store",
    "StoreUnavailable",
    "open_store",
]


def open_store(
    state: str | None = None, journal_size: int = 1000, connections: int = 10, journal_max: int | None = None
) -> Store:
    """The store a ``--state`` value names: None keeps it in memory, a ``postgresql://`` URL
    is a PostgreSQL database, anything else a SQLite file. ``journal_size`` bounds each
    tenant's journal, ``journal_max`` (None: no bound) the whole of it."""
    if state is None:
        from mockserver.state.store.memory import MemoryStore

        return MemoryStore(journal_size, journal_max)
    from mockserver.state.store.postgres import PostgresStore, is_postgres_url

    if is_postgres_url(state):
        return PostgresStore(state, journal_size, connections, journal_max)
    from mockserver.state.store.sqlite import SQLiteStore

    return SQLiteStore(state, journal_size, journal_max)
