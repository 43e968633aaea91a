"""The one accounting point every answer of the API paths passes, made by a view or not.

:func:`settle` runs, in this order: the self-check (so a violating answer under
``SELF_CHECK=raise`` is never billed nor journaled), the ``X-CVS-Mock-Trigger`` and
``X-CVS-Mock-Note`` headers, then the usage record and the journal entry, kept both or
neither. Only an authenticated request is billed, and only when its answer is billable by
the catalogue (errorCode 0 and HTTP 200, no fault): 404, 405, 413 and 503 answers come
before authentication and are journaled without being billed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Request, Response, request

from mockserver.pipeline import selfcheck
from mockserver.pipeline.auth import tenant_of
from mockserver.pipeline.exchange import NOTE_HEADER, TRIGGER_HEADER, UNREAD, UNSENT, RequestRecord, header_value
from mockserver.state.fake_state import MockState
from mockserver.state.journal import request_entry, shortened
from mockserver.state.store import Charge, StoreUnavailable

log = logging.getLogger("mockserver")


def settle(state: MockState, exchange: RequestRecord, response: Response) -> None:
    """Check, name, bill and journal one answer (see the module docstring)."""
    # The proxy is resolved once: each attribute read through it costs a context lookup.
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    selfcheck.check(state, exchange, req, response)
    body = exchange.answer
    flow, fault, api_key = exchange.flow, exchange.fault, exchange.api_key
    billable = (
        api_key is not None
        and fault is None
        and response.status_code == 200
        and state.catalogue.is_billable(flow, body)
    )
    code = "-"
    if isinstance(body, dict) and fault is None and flow in state.catalogue.flows:
        code = str(body.get(state.catalogue.code_field(flow)))
    exchange.code = code
    response.headers[TRIGGER_HEADER] = header_value(exchange.trigger)
    if exchange.notes:
        response.headers[NOTE_HEADER] = header_value(exchange.note_text)
    entry = request_entry(
        req,
        api_key=api_key,
        flow=flow,
        endpoint=exchange.endpoint,
        status=response.status_code,
        code=code,
        billable=billable,
        trigger=exchange.trigger,
        warnings=[] if fault is not None else warnings_in(body),
        **({"drift": exchange.drift} if exchange.drift is not None else {}),
    )
    charge = None
    if api_key is not None:
        charge = Charge(api_key, exchange.tenant or api_key, exchange.endpoint, code, billable, exchange.spent)
    # The usage and its journal entry are kept both or neither. The answer is kept as the
    # bytes sent, decoded only when read: a bytes object costs the garbage collector nothing,
    # where a thousand kept answer trees would slow every collection.
    state.store.account(charge, exchange.tenant, entry, _request_fields(req, exchange), _answer_bytes(response))
    if state.metrics is not None:
        state.metrics.answered(flow, exchange.endpoint, code, time.perf_counter() - exchange.started)


def settle_unviewed(state: MockState, exchange: RequestRecord, response: Response) -> Response:
    """:func:`settle` for an answer no view made (404, 405, 413, 500, 503): it is journaled
    for the tenant its credentials name, if they name one; a store that is down costs the
    journal entry only, never the answer."""
    try:
        if exchange.voice is None:  # else the handler looked the tenant up already, to pick the dialect
            exchange.tenant = tenant_of(state.store, request.headers.get("Authorization"))
        settle(state, exchange, response)
    except StoreUnavailable:
        response.headers[TRIGGER_HEADER] = header_value(exchange.trigger)
        log.warning("store unavailable: the journal entry of %s %s is not kept", request.method, request.path)
    return response


def _request_fields(req: Request, exchange: RequestRecord) -> dict[str, Any]:
    """What the request carried besides its images (file parts and base64 by size only)."""
    if req.method == "GET":
        return {}
    fields: dict[str, Any] = {"content_type": req.content_type or ""}
    if req.mimetype == "multipart/form-data":
        fields["form"] = {k: shortened(v) for k, v in req.form.items()}
        fields["files"] = {k: {"filename": f.filename or "", "content_type": f.mimetype} for k, f in req.files.items()}
    elif exchange.json_body is not UNREAD:
        fields["json"] = exchange.json_body if isinstance(exchange.json_body, dict) else None
    return fields


def _answer_bytes(response: Response) -> bytes:
    if response.is_streamed:
        return b"[connection dropped]"
    return response.get_data()


def warnings_in(body: Any) -> list[str]:
    """The warning codes an answer carries (OCR items, Face Matching data, crop_person)."""
    if body is UNSENT or not isinstance(body, dict):
        return []
    data = body.get("data", body)
    items = data if isinstance(data, list) else [data]
    return [str(i["invalidCode"]) for i in items if isinstance(i, dict) and "invalidCode" in i]
