"""Bounded request journal: what came in, who asked, what was answered and why.

The list (``entries``) stays light for programs that poll it; the request's fields and the
answer's body of each entry are kept beside it (``detail``) for as long as the entry is.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from typing import Any

import orjson

from mockserver.limits import MAX_JSON_DEPTH, depth_over

REDACTED_HEADERS = {"authorization", "proxy-authorization", "cookie"}
LONG_TEXT = 240  # longer form and JSON strings (base64 images) are kept as their length only


class Journal:
    def __init__(self, size: int = 1000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(1, size))
        self._details: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, entry: dict[str, Any], detail: dict[str, Any] | None = None) -> None:
        with self._lock:
            if len(self._entries) == self._entries.maxlen:
                self._details.pop(self._entries[0]["id"], None)
            entry_id = next(self._ids)
            self._entries.append({"id": entry_id, "time": time.time(), **entry})
            if detail is not None:
                self._details[entry_id] = detail

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            items = list(self._entries)
        return [_named(e) for e in (items[-limit:] if limit else items)]

    def entry(self, entry_id: int) -> dict[str, Any] | None:
        """One entry with its request fields and answer, while the journal still holds it."""
        with self._lock:
            found = next((e for e in reversed(self._entries) if e["id"] == entry_id), None)
            detail = self._details.get(entry_id, {})
        if found is None:
            return None
        shown = {**detail, "answer": _readable(detail.get("answer", b""))}
        deep = f"[nested deeper than {MAX_JSON_DEPTH} levels: not shown]"
        shown = {k: deep if depth_over(v) else v for k, v in shown.items()}  # shortened() recurses
        return {**_named(found), **shortened(shown)}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._details.clear()


def _named(entry: dict[str, Any]) -> dict[str, Any]:
    headers = entry.get("headers")
    return {**entry, "headers": header_names(headers)} if isinstance(headers, tuple) else entry


def _readable(answer: bytes) -> Any:
    try:
        return orjson.loads(answer)
    except orjson.JSONDecodeError:
        return answer.decode("utf-8", "replace")


def safe_headers(headers: Any) -> dict[str, str]:
    """Request headers with credentials replaced, for the journal."""
    return {k: ("[redacted]" if k.lower() in REDACTED_HEADERS else v) for k, v in headers.items()}


def request_entry(req: Any, **answer: Any) -> dict[str, Any]:
    """A journal entry: what the request was (credentials redacted), then ``answer``'s fields."""
    return {
        "method": req.method,
        "path": req.path,
        "query": dict(req.args.items()),
        "headers": environ_headers(req.environ),
        **answer,
        "body_bytes": req.content_length or 0,
    }


def environ_headers(environ: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A request's headers as (WSGI key, value) pairs, credentials replaced: the journal's hot
    path keeps them so, and names them (``header_names``) only when they are read."""
    return tuple(
        (key, "[redacted]" if key in _REDACTED_KEYS else value)
        for key, value in environ.items()
        if key.startswith("HTTP_") or (key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value)
    )


def header_names(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {(key[5:] if key.startswith("HTTP_") else key).replace("_", "-").title(): value for key, value in pairs}


_REDACTED_KEYS = {"HTTP_" + name.upper().replace("-", "_") for name in REDACTED_HEADERS}


def shortened(value: Any) -> Any:
    """A JSON value with long strings replaced by their length, for the journal's detail."""
    if isinstance(value, str) and len(value) > LONG_TEXT:
        return f"[{len(value)} characters]"
    if isinstance(value, dict):
        return {k: shortened(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shortened(v) for v in value[:50]]
    return value
