"""The handlers of answers no view made: 404, 405, 413, other HTTP refusals, 500 and 503.

Each is rendered by the one renderer (``envelope``) in the tenant's dialect (or the whole
fake's, when the credentials name no tenant or the store cannot be read) and passes the one
accounting point, so it carries ``X-CVS-Mock-Trigger`` and is journaled, never billed.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from mockserver.contract.catalogue import flow_of_path
from mockserver.pipeline.accounting import settle_unviewed
from mockserver.pipeline.auth import tenant_of
from mockserver.pipeline.envelope import envelope
from mockserver.pipeline.exchange import TRIGGER_HEADER, RequestRecord, current_exchange
from mockserver.state.fake_state import MockState, Voice, current_state
from mockserver.state.store import StoreUnavailable

log = logging.getLogger("mockserver")
HTTP_KINDS = {405: "method_not_allowed", 413: "payload_too_large"}


def _record() -> tuple[MockState, RequestRecord]:
    state, exchange = current_state(), current_exchange()
    exchange.state = state
    return state, exchange


def _tenant_voice(state: MockState, exchange: RequestRecord) -> Voice:
    """The dialect of an answer no view made: its tenant's, when its credentials name one."""
    if exchange.voice is None:
        if exchange.tenant is None:
            exchange.tenant = tenant_of(state.store, request.headers.get("Authorization"))
        exchange.voice = state.voice(exchange.tenant)
    voice: Voice = exchange.voice
    return voice


def _refusal(flow: str, trigger: str, *, kind: str = "", meaning: str = "processing", status: int = 200) -> Response:
    """The flow's envelope for an HTTP refusal ``kind`` of the catalogue (its status is the
    catalogue's), else for a ``meaning`` with ``status``: checked, journaled, not billed."""
    state, exchange = _record()
    voice = _tenant_voice(state, exchange)
    if kind:
        status, entry = state.catalogue.http_error_entry(flow, kind)
    else:
        entry = state.catalogue.entry(flow, meaning)
    response = envelope(
        flow, entry, status, trigger, catalogue=state.catalogue, renderer=voice.renderer, record=exchange
    )
    return settle_unviewed(state, exchange, response)


def not_served(path: str) -> Response:
    """A path the fake does not serve (D44): HTTP 404 naming the path, never a business
    envelope, so a client cannot mistake a typo or an unsupported endpoint for an API error."""
    state, exchange = _record()
    response = jsonify(
        {"error": "Not Found", "message": f"The requested URL {path} was not found on the server.", "path": path}
    )
    response.status_code = 404
    exchange.trigger = "route:unknown"
    return settle_unviewed(state, exchange, response)


def _http_error(exc: HTTPException) -> Response:
    if exc.code == 404:
        return not_served(request.path)
    flow = flow_of_path(request.path)
    kind = HTTP_KINDS.get(exc.code or 0)
    if kind is None:
        # Any other HTTP-level refusal (400 from a malformed body...) is a processing problem.
        response = _refusal(flow, "http:bad_request", status=400)
    else:
        response = _refusal(flow, f"http:{kind}", kind=kind)
    if exc.code == 405 and isinstance(exc.valid_methods, list):  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def store_unavailable(exc: StoreUnavailable) -> Response:
    """The shared store is down: the flow's envelope with 503, in the configured dialect (the
    tenant's cannot be read), and a hint to retry; the admin API says so in its own shape."""
    log.warning("store unavailable on %s %s: %s", request.method, request.path, exc)
    state, exchange = _record()
    if state.metrics is not None:
        state.metrics.store_errors.inc()
    exchange.voice = state.configured_voice()
    # Nothing the request did was kept, its admission included: the answer is journaled for its
    # tenant but counted in no key's usage (a store back by now would otherwise count it).
    exchange.api_key, exchange.spent = None, False
    if not request.path.startswith("/api/"):
        response = jsonify({"error": f"the fake's store is unavailable: {exc}"})
        response.status_code = 503
        response.headers[TRIGGER_HEADER] = "store:unavailable"
    else:
        response = _refusal(flow_of_path(request.path), "store:unavailable", kind="store_unavailable")
    response.headers["Retry-After"] = "1"
    return response


def _unexpected(exc: Exception) -> Response:
    if current_state().config.get("TESTING"):
        raise exc
    log.exception("unexpected error on %s %s", request.method, request.path)
    return _refusal(flow_of_path(request.path), "internal-error", status=500)


def refuse_claimed_oversize() -> None:
    """A body claimed over ``MAX_CONTENT_LENGTH`` is refused before anything reads it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StoreUnavailable, store_unavailable)
    app.register_error_handler(Exception, _unexpected)
