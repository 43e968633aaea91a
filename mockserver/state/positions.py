"""The replay rule: which of the interactions that match a request answers it next.

The store's replay tables apply it to the positions they keep (so every replica on a shared
store answers the next interaction); :class:`LocalPositions` keeps them in one process.
"""

from __future__ import annotations

import threading


def claim_next(used: set[int], matching: list[int], after_last: str) -> int | None:
    """The replay rule on a set of used indices, changed in place: the first of ``matching``
    not used, marked used; once all are, ``after_last`` decides (``cycle``: start over,
    ``repeat``: the last one again, ``exhausted``: none)."""
    found = next((i for i in matching if i not in used), None)
    if found is None and matching and after_last == "cycle":
        used.difference_update(matching)
        found = matching[0]
    elif found is None and matching and after_last == "repeat":
        return matching[-1]
    if found is not None:
        used.add(found)
    return found


class LocalPositions:
    """A replayer's positions in this process alone."""

    def __init__(self) -> None:
        self.used: set[int] = set()
        self._lock = threading.Lock()

    def claim(self, matching: list[int], after_last: str) -> int | None:
        with self._lock:
            return claim_next(self.used, matching, after_last)

    def rewind(self) -> None:
        with self._lock:
            self.used.clear()
