"""Bounded request journal: what came in, who asked, what was answered and why.

The list (``entries``) stays light for programs that poll it; the request's fields and the
answer's body of each entry are kept beside it (``detail``) for as long as the entry is.
"""

from __future__ import annotations

from typing import Any

import orjson

from mockserver.limits import MAX_JSON_DEPTH, depth_over
from mockserver.state.store.tables import JournalTable

REDACTED_HEADERS = {"authorization", "proxy-authorization", "cookie"}
LONG_TEXT = 240  # longer form and JSON strings (base64 images) are kept as their length only


class Journal:
    """The journal as the admin API and the dashboard read it, over the store's journal table."""

    def __init__(self, table: JournalTable) -> None:
        self.table = table

    def record(self, entry: dict[str, Any], detail: dict[str, Any] | None = None, tenant: str | None = None) -> None:
        detail = detail or {}
        self.table.record(tenant, entry, detail.get("request", {}), bytes(detail.get("answer", b"")))

    def entries(self, limit: int | None = None, tenant: str | None = None) -> list[dict[str, Any]]:
        return [_named({"id": r.id, "time": r.time, **r.entry}) for r in self.table.rows(limit, tenant)]

    def entry(self, entry_id: int, tenant: str | None = None) -> dict[str, Any] | None:
        """One entry with its request fields and answer, while the journal still holds it."""
        found = self.table.row(entry_id, tenant)
        if found is None:
            return None
        shown = {"request": found.request, "answer": _readable(found.answer)}
        deep = f"[nested deeper than {MAX_JSON_DEPTH} levels: not shown]"
        shown = {k: deep if depth_over(v) else v for k, v in shown.items()}  # shortened() recurses
        return {**_named({"id": found.id, "time": found.time, **found.entry}), **shortened(shown)}

    def clear(self, tenant: str | None = None) -> None:
        self.table.clear(tenant)


def _named(entry: dict[str, Any]) -> dict[str, Any]:
    headers = entry.get("headers")
    # kept as pairs (a tuple in memory, a list once stored as JSON); named when read
    return {**entry, "headers": header_names(headers)} if isinstance(headers, (tuple, list)) else entry


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


def header_names(pairs: Any) -> dict[str, str]:
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
