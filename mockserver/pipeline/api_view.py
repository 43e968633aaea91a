"""What every API request passes through once: auth, forced outcomes, quota, the view, billing.

Views return a body (a dict) for success and raise CVSError for documented failures; this
module turns both into the flow's envelope, spends or refunds quota, records usage and the
journal, and names the trigger that decided the answer in ``X-CVS-Mock-Trigger``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from flask import Request, Response, jsonify, request

from mockserver.exceptions import CVSError
from mockserver.pipeline.auth import authenticate
from mockserver.pipeline.exchange import (
    NOTE_HEADER,
    TRIGGER_HEADER,
    UNREAD,
    Exchange,
    header_value,
    start_exchange,
)
from mockserver.pipeline.faults import fault_response
from mockserver.recording.cassettes import describe_flask_request
from mockserver.state.fake_state import MockState, Replay, current_state
from mockserver.state.journal import request_entry, shortened

View = Callable[..., dict[str, Any]]


def api_view(flow: str, endpoint: str) -> Callable[[View], Callable[..., Response]]:
    """Wrap a flow view so it runs inside the shared request pipeline."""

    def decorate(view: View) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            exchange = start_exchange(flow, endpoint)
            state = current_state()
            # All or nothing: an answer is sent only once everything it did is committed, and a
            # store that fails on the way (503) leaves nothing of the request behind.
            with state.store.unit():
                body, status = _answer(state, exchange, view, kwargs)
                response = _render(state, exchange, body, status)
                _account(state, exchange, body, response)
            return response

        return wrapper

    return decorate


def _answer(state: MockState, exchange: Exchange, view: View, kwargs: dict[str, Any]) -> tuple[Any, int]:
    cat, flow = state.catalogue, exchange.flow
    delayed = False
    try:
        exchange.api_key, admission = authenticate(
            state.store, request.headers.get("Authorization"), state.open_tenants, state.config.get("TENANT_QUOTA")
        )
        exchange.tenant, limited = admission.tenant, admission.limited
        exchange.voice, replay = state.steering(exchange.tenant)
        forced = state.store.outcomes.take(flow, exchange.tenant)
        if forced is not None and forced.get("fault") == "latency":
            time.sleep(float(forced.get("seconds", 1.0)))
            forced, delayed = None, True
        if forced is not None and "extra" not in forced:
            return _forced(state, exchange, forced), int(forced.get("status", 200))
        # Only a limited key reserves before the work, so no race can spend past its quota.
        if limited and not state.store.keys.try_spend(exchange.api_key):
            raise CVSError("quota", "quota:spent")
        exchange.spent = limited
        if replay is not None:
            recorded = _replayed(state, exchange, replay)
            if recorded is not None:
                return recorded
        body = view(**kwargs)
        exchange.trigger = exchange.picture_trigger or exchange.trigger
        if forced is not None:
            body = {**body, **forced["extra"]}
            exchange.trigger, exchange.forced = "forced:extra", True
        return body, 200
    except CVSError as exc:
        exchange.trigger = exc.trigger
        return cat.error_body(flow, cat.entry(flow, exc.meaning)), 200
    finally:
        if delayed:
            exchange.trigger = "forced:latency+" + exchange.trigger


def _replayed(state: MockState, exchange: Exchange, replay: Replay) -> tuple[Any, int] | None:
    """The recorded answer to this request, checked against the tolerant contract (a
    violation is reported as drift, never hidden); None when the fake answers instead."""
    sent = describe_flask_request(request)
    found = replay.replayer.match(sent, state.positions(replay, exchange.tenant))
    if found is None:
        if not replay.strict:
            return None
        exchange.trigger, exchange.forced = "replay:miss", True
        message = f"no recorded answer to {sent.method} {sent.path} ({sent.mode}); {replay.replayer.closest(sent)}"
        return {"error": "no recorded answer", "message": message}, 501
    exchange.trigger, exchange.replayed = f"replay:{found.cassette}#{found.index}", True
    op = state.contract.operation(request.path, request.method)
    if op is not None:
        problems = state.contract.errors(found.body, op.schema, "tolerant")
        if problems:
            exchange.drift = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in problems[:5]]
            exchange.note("replayed answer drifts from the contract: " + "; ".join(exchange.drift))
    return found.body, found.status


def _forced(state: MockState, exchange: Exchange, outcome: dict[str, Any]) -> Any:
    exchange.forced = True
    if "code" in outcome:
        exchange.trigger = "forced:code"
        entry = state.catalogue.entry_by_code(exchange.flow, outcome["code"])
        assert entry is not None  # checked when queued
        return state.catalogue.error_body(exchange.flow, entry)
    if "body" in outcome:
        exchange.trigger = "forced:body"
        return outcome["body"]
    exchange.trigger = f"forced:{outcome['fault']}"
    exchange.fault = outcome
    return state.catalogue.success_fields(exchange.flow)  # the envelope the fault mangles


def _render(state: MockState, exchange: Exchange, body: Any, status: int) -> Response:
    # A body forced by a test is sent as given; everything else speaks the configured dialect.
    as_is = exchange.trigger in ("forced:body", "replay:miss") or exchange.replayed
    if exchange.voice is None:  # refused before the tenant was known: the whole fake's dialect
        exchange.voice = state.voice(None)
    sent = body if as_is else exchange.voice.renderer.render(exchange.flow, exchange.endpoint, body)
    if exchange.fault is not None:
        return fault_response(exchange.fault, sent)
    response = jsonify(sent)
    response.status_code = status
    exchange.sent = sent  # the self-check validates this object instead of parsing the bytes again
    return response


def _account(state: MockState, exchange: Exchange, body: Any, response: Response) -> None:
    # The proxy is resolved once: each attribute read through it costs a context lookup.
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    flow, fault, api_key = exchange.flow, exchange.fault, exchange.api_key
    billable = fault is None and response.status_code == 200 and state.catalogue.is_billable(flow, body)
    code = str(body.get(state.catalogue.code_field(flow))) if isinstance(body, dict) and fault is None else "-"
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
    # the bytes sent, decoded only when read: a bytes object costs the garbage collector
    # nothing, where a thousand kept answer trees would slow every collection
    detail = {"request": _request_fields(req, exchange), "answer": _answer_bytes(response)}
    with state.store.together():  # the usage and its journal entry are kept both or neither
        if api_key is not None:
            state.store.usage.record(
                api_key, exchange.tenant or api_key, exchange.endpoint, code, billable, reserved=exchange.spent
            )
        state.journal.record(entry, detail, tenant=exchange.tenant)


def _request_fields(req: Request, exchange: Exchange) -> dict[str, Any]:
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
    if not isinstance(body, dict):
        return []
    data = body.get("data", body)
    items = data if isinstance(data, list) else [data]
    return [str(i["invalidCode"]) for i in items if isinstance(i, dict) and "invalidCode" in i]
