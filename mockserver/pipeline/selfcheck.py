"""The fake checks its own every answer against the strict contract before it is kept or sent.

The accounting point (``mockserver.pipeline.accounting``) calls :func:`check` first, so an
answer that violates the contract under ``SELF_CHECK=raise`` is neither billed nor journaled.
"""

from __future__ import annotations

import json
import logging

from flask import Request, Response

from mockserver.contract.catalogue import flow_of_path
from mockserver.pipeline.exchange import UNSENT, RequestRecord
from mockserver.state.fake_state import MockState

log = logging.getLogger("mockserver.selfcheck")
# Answers on paths with no operation (404, 405) are checked against the flow's envelope.
FALLBACK_SCHEMA = {
    "ocr": "ocr_card_response.json",
    "face_matching": "face_matching_response.json",
    "liveness": "liveness_response.json",
    "face_search": "face_search_delete_response.json",
    "smart_crop": "smart_crop_crop_image_response.json",
}


class AnswerViolatesContract(AssertionError):
    """The fake was about to send an answer its own contract forbids."""


def check(state: MockState, exchange: RequestRecord, req: Request, response: Response) -> None:
    """Raise :class:`AnswerViolatesContract` (``SELF_CHECK=raise``) or log and flag the answer
    (``log``) when ``response`` breaks the strict contract; ``off`` checks nothing."""
    mode = state.config["SELF_CHECK"]
    if mode == "off" or not req.path.startswith("/api/"):
        return
    if exchange.forced or exchange.replayed:  # sent as given; a recording is checked tolerantly when replayed
        return
    if response.direct_passthrough or response.mimetype != "application/json":
        return
    op = state.contract.operation(req.path, req.method)
    if response.status_code == 404:
        schema = "not_served.json"
    else:
        schema = op.schema if op else FALLBACK_SCHEMA[flow_of_path(req.path)]
    voice = exchange.voice or state.configured_voice()
    raw, checker = response.get_data(), voice.checker  # the dialect's own strict schemas
    if checker.seen_valid(raw, schema):
        return
    body = json.loads(raw) if exchange.rendered is UNSENT else exchange.rendered
    if checker.is_valid(body, schema, "strict"):
        checker.remember_valid(raw, schema)
        return
    errors = checker.errors(body, schema, "strict")
    details = "; ".join(f"at /{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    message = f"{req.method} {req.path} answer violates {schema} ({voice.dialect.name} dialect): {details}"
    if mode == "raise":
        raise AnswerViolatesContract(message)
    log.error(message)
    response.headers["X-CVS-Mock-Contract-Violation"] = schema
