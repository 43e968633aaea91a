"""Bounded request journal: what came in, who asked, what was answered and why."""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from typing import Any

REDACTED_HEADERS = {"authorization", "proxy-authorization", "cookie"}


class Journal:
    def __init__(self, size: int = 1000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(1, size))
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append({"id": next(self._ids), "time": time.time(), **entry})

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            items = list(self._entries)
        return items[-limit:] if limit else items

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def safe_headers(headers: Any) -> dict[str, str]:
    """Request headers with credentials replaced, for the journal."""
    return {k: ("[redacted]" if k.lower() in REDACTED_HEADERS else v) for k, v in headers.items()}
