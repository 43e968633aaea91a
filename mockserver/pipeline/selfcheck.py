"""The fake checks its own every answer against the strict contract before sending it."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, request

from mockserver.contract.catalogue import flow_of_path
from mockserver.pipeline.exchange import UNSENT, current_exchange
from mockserver.state.fake_state import current_state

log = logging.getLogger("mockserver.selfcheck")
# Answers on paths with no operation (404, 405) are checked against the flow's envelope.
FALLBACK_SCHEMA = {
    "ocr": "ocr_card_response.json",
    "face_matching": "face_matching_response.json",
    "liveness": "liveness_response.json",
    "face_search": "face_search_delete_response.json",
    "smart_crop": "smart_crop_crop_image_response.json",
}


class ContractViolation(AssertionError):
    """The fake was about to send an answer its own contract forbids."""


def check_response(response: Response) -> Response:
    req = request._get_current_object()  # type: ignore[attr-defined]
    if not req.path.startswith("/api/"):
        return response
    exchange = current_exchange()
    if exchange.forced or exchange.replayed:  # sent as given; a recording is checked tolerantly when replayed
        return response
    if response.direct_passthrough or response.mimetype != "application/json":
        return response
    state = current_state()
    op = state.contract.operation(req.path, req.method)
    if response.status_code == 404:
        schema = "not_served.json"
    else:
        schema = op.schema if op else FALLBACK_SCHEMA[flow_of_path(req.path)]
    voice = exchange.voice or state.configured_voice()
    raw, checker = response.get_data(), voice.checker  # the dialect's own strict schemas
    if checker.seen_valid(raw, schema):
        return response
    body = json.loads(raw) if exchange.sent is UNSENT else exchange.sent
    if checker.is_valid(body, schema, "strict"):
        checker.remember_valid(raw, schema)
        return response
    errors = checker.errors(body, schema, "strict")
    details = "; ".join(f"at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    message = f"{req.method} {req.path} answer violates {schema} ({voice.dialect.name} dialect): {details}"
    if state.config["SELF_CHECK"] == "raise":
        raise ContractViolation(message)
    log.error(message)
    response.headers["X-CVS-Mock-Contract-Violation"] = schema
    return response


def install(app: Flask) -> None:
    if app.config["SELF_CHECK"] != "off":
        app.after_request(check_response)
