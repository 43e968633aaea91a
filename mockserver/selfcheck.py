"""The fake checks its own every answer against the strict contract before sending it."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, g, request

from .catalogue import flow_of_path
from .state import current_state

log = logging.getLogger("mockserver.selfcheck")
# Answers on paths with no operation (404, 405) are checked against the flow's envelope.
FALLBACK_SCHEMA = {
    "ocr": "ocr_card_response.json",
    "face_matching": "face_matching_response.json",
    "face_search": "face_search_delete_response.json",
    "smart_crop": "smart_crop_crop_image_response.json",
}


class ContractViolation(AssertionError):
    """The fake was about to send an answer its own contract forbids."""


def check_response(response: Response) -> Response:
    if not request.path.startswith("/api/") or getattr(g, "cvs_forced", False):
        return response
    if response.mimetype != "application/json" or response.direct_passthrough:
        return response
    state = current_state()
    op = state.contract.operation(request.path, request.method)
    schema = op.schema if op else FALLBACK_SCHEMA[flow_of_path(request.path)]
    body = g.cvs_body if hasattr(g, "cvs_body") else json.loads(response.get_data())
    errors = state.contract.errors(body, schema, "strict")
    if not errors:
        return response
    details = "; ".join(f"at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    message = f"{request.method} {request.path} answer violates {schema}: {details}"
    if state.config["SELF_CHECK"] == "raise":
        raise ContractViolation(message)
    log.error(message)
    response.headers["X-CVS-Mock-Contract-Violation"] = schema
    return response


def install(app: Flask) -> None:
    if app.config["SELF_CHECK"] != "off":
        app.after_request(check_response)
