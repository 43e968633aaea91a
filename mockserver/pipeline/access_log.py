"""The access log: one line per request, as JSON or text, on the ``mockserver.access`` logger.

A line holds the time, the method, the route's template (never the path a client typed, which
may carry an id or a name), the flow, the answer's code, the HTTP status, the duration, a
digest of the tenant and the trigger. Never credentials, query values, bodies or file names.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import time
from typing import Any

from flask import Flask, Response, request

from mockserver.pipeline.exchange import ENVIRON_KEY

FORMATS = ("json", "text", "off")
log = logging.getLogger("mockserver.access")


def tenant_digest(tenant: str | None) -> str:
    """Twelve hex digits standing for a tenant, the same on every line and every replica."""
    return hashlib.sha256(tenant.encode("utf-8")).hexdigest()[:12] if tenant else "-"


def fields(response: Response) -> dict[str, Any]:
    record = request.environ.get(ENVIRON_KEY)
    started = record.started if record is not None else request.environ.get("mockserver.started", time.perf_counter())
    rule = request.url_rule.rule if request.url_rule is not None else "-"
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "method": request.method,
        "route": rule,
        "flow": record.flow if record is not None else "-",
        "code": record.code if record is not None else "-",
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "tenant": tenant_digest(record.tenant if record is not None else None),
        "trigger": record.trigger if record is not None else "-",
    }


def line(found: dict[str, Any], form: str) -> str:
    if form == "json":
        return json.dumps(found, ensure_ascii=False, separators=(",", ":"))
    return " ".join(f"{key}={value}" for key, value in found.items())


def install(app: Flask, form: str) -> None:
    """Log every request of ``app`` in ``form`` (``off``: nothing is installed)."""
    if form not in FORMATS:
        raise ValueError(f"ACCESS_LOG is one of {', '.join(FORMATS)}, not {form!r}")
    if form == "off":
        return
    if not log.handlers:  # a line is the whole record: no level or logger name in front of it
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.propagate = False
        log.setLevel(logging.INFO)

    @app.before_request
    def _stamp() -> None:
        request.environ.setdefault("mockserver.started", time.perf_counter())

    @app.after_request
    def _log(response: Response) -> Response:
        log.info(line(fields(response), form))
        return response
