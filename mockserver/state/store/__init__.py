"""The store: keys and quotas, the usage ledger, hosted files and Face Search galleries.

``tables`` declares one interface per table; each backend is a module of its own
(``memory``, ``sqlite``), and :func:`open_store` is the one place that picks between them.
"""

from __future__ import annotations

from mockserver.state.store.tables import Face, Store

__all__ = ["Face", "Store", "open_store"]


def open_store(state: str | None = None) -> Store:
    """The store a ``--state`` value names: None keeps it in memory, a path is a SQLite file."""
    if state is None:
        from mockserver.state.store.memory import MemoryStore

        return MemoryStore()
    from mockserver.state.store.sqlite import SQLiteStore

    return SQLiteStore(state)
