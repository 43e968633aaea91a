"""The handlers that turn every failure into the flow's JSON envelope."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from mockserver.contract.catalogue import flow_of_path
from mockserver.pipeline.auth import tenant_of
from mockserver.pipeline.exchange import TRIGGER_HEADER, current_exchange
from mockserver.state.fake_state import Voice, current_state
from mockserver.state.journal import request_entry
from mockserver.state.store import StoreUnavailable

log = logging.getLogger("mockserver")


def _voice() -> Voice:
    """The dialect of an answer no view made: its tenant's, when its credentials name one."""
    exchange, state = current_exchange(), current_state()
    if exchange.voice is None:
        exchange.voice = state.voice(tenant_of(state.store, request.headers.get("Authorization")))
    voice: Voice = exchange.voice
    return voice


def envelope_response(flow: str, meaning: str, trigger: str, status: int = 200) -> Response:
    state = current_state()
    cat = state.catalogue
    body = _voice().renderer.render(flow, None, cat.error_body(flow, cat.entry(flow, meaning)))
    response = jsonify(body)
    response.status_code = status
    current_exchange().trigger = trigger
    return response


def not_served(path: str) -> Response:
    """A path the fake does not serve (D44): HTTP 404 naming the path, never a business
    envelope, so a client cannot mistake a typo or an unsupported endpoint for an API error."""
    response = jsonify(
        {"error": "Not Found", "message": f"The requested URL {path} was not found on the server.", "path": path}
    )
    response.status_code = 404
    response.headers[TRIGGER_HEADER] = current_exchange().trigger = "route:unknown"
    entry = request_entry(
        request, api_key=None, flow="-", endpoint="-", status=404, code="-", billable=False,
        trigger="route:unknown", warnings=[],
    )  # fmt: skip
    state = current_state()
    try:
        tenant = tenant_of(state.store, request.headers.get("Authorization"))
        state.journal.record(entry, {"request": {}, "answer": response.get_data()}, tenant=tenant)
    except StoreUnavailable:  # the 404 is still the right answer; only its journal entry is lost
        log.warning("store unavailable: the journal entry of %s %s is not kept", request.method, path)
    return response


def _http_error(exc: HTTPException) -> Response:
    if exc.code == 404:
        return not_served(request.path)
    kinds = {405: "method_not_allowed", 413: "payload_too_large"}
    flow = flow_of_path(request.path)
    kind = kinds.get(exc.code or 0)
    state = current_state()
    cat = state.catalogue
    if kind is None:
        # Any other HTTP-level refusal (400 from a malformed body...) is a processing problem.
        kind, status = "bad_request", 400
        entry = cat.entry(flow, "processing")
    else:
        status, entry = cat.http_error_entry(flow, kind)
    response = jsonify(_voice().renderer.render(flow, None, cat.error_body(flow, entry)))
    response.status_code = status
    current_exchange().trigger = f"http:{kind}"
    if exc.code == 405 and isinstance(exc.valid_methods, list):  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def store_unavailable(exc: StoreUnavailable) -> Response:
    """The shared store is down: the flow's envelope with 503, in the configured dialect (the
    tenant's cannot be read), and a hint to retry; the admin API says so in its own shape."""
    log.warning("store unavailable on %s %s: %s", request.method, request.path, exc)
    state = current_state()
    exchange = current_exchange()
    exchange.voice, exchange.trigger = state.configured_voice(), "store:unavailable"
    if not request.path.startswith("/api/"):
        response = jsonify({"error": f"the fake's store is unavailable: {exc}"})
    else:
        flow = flow_of_path(request.path)
        status, entry = state.catalogue.http_error_entry(flow, "store_unavailable")
        response = jsonify(exchange.voice.renderer.render(flow, None, state.catalogue.error_body(flow, entry)))
    response.status_code = 503
    response.headers["Retry-After"] = "1"
    response.headers[TRIGGER_HEADER] = "store:unavailable"
    return response


def _unexpected(exc: Exception) -> Response:
    if current_state().config.get("TESTING"):
        raise exc
    log.exception("unexpected error on %s %s", request.method, request.path)
    flow = flow_of_path(request.path)
    return envelope_response(flow, "processing", "internal-error", status=500)


def refuse_claimed_oversize() -> None:
    """A body claimed over ``MAX_CONTENT_LENGTH`` is refused before anything reads it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StoreUnavailable, store_unavailable)
    app.register_error_handler(Exception, _unexpected)
