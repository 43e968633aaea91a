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

from flask import Request, Response, g, jsonify, request

from .auth import authenticate
from .cassettes import describe_flask_request
from .errors import TRIGGER_HEADER, CVSError
from .faults import fault_response
from .journal import request_entry, shortened
from .state import MockState, current_state

View = Callable[..., dict[str, Any]]


def api_view(flow: str, endpoint: str) -> Callable[[View], Callable[..., Response]]:
    """Wrap a flow view so it runs inside the shared request pipeline."""

    def decorate(view: View) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            ctx = g._get_current_object()  # type: ignore[attr-defined]
            ctx.cvs_flow, ctx.cvs_endpoint, ctx.cvs_trigger = flow, endpoint, "default"
            state = current_state()
            api_key, body, status = _answer(state, ctx, flow, view, kwargs)
            response = _render(state, ctx, flow, endpoint, body, status)
            _account(state, ctx, flow, endpoint, api_key, body, response)
            return response

        return wrapper

    return decorate


def _answer(state: MockState, ctx: Any, flow: str, view: View, kwargs: dict[str, Any]) -> tuple[str | None, Any, int]:
    cat = state.catalogue
    api_key: str | None = None
    delayed = False
    try:
        api_key, limited = authenticate(state.store, request.headers.get("Authorization"))
        ctx.cvs_api_key = api_key
        forced = state.outcomes.take(flow)
        if forced is not None and forced.get("fault") == "latency":
            time.sleep(float(forced.get("seconds", 1.0)))
            forced, delayed = None, True
        if forced is not None and "extra" not in forced:
            return api_key, _forced(state, flow, forced), int(forced.get("status", 200))
        # Only a limited key reserves before the work, so no race can spend past its quota.
        if limited and not state.store.try_spend(api_key):
            raise CVSError("quota", "quota:spent")
        ctx.cvs_spent = limited
        if state.replayer is not None:
            recorded = _replayed(state, ctx, flow)
            if recorded is not None:
                return api_key, recorded[0], recorded[1]
        body = view(**kwargs)
        ctx.cvs_trigger = getattr(ctx, "cvs_picture_trigger", ctx.cvs_trigger)
        if forced is not None:
            body = {**body, **forced["extra"]}
            ctx.cvs_trigger, ctx.cvs_forced = "forced:extra", True
        return api_key, body, 200
    except CVSError as exc:
        ctx.cvs_trigger = exc.trigger
        return api_key, cat.error_body(flow, cat.entry(flow, exc.meaning)), 200
    finally:
        if delayed:
            ctx.cvs_trigger = "forced:latency+" + ctx.cvs_trigger


def _replayed(state: MockState, ctx: Any, flow: str) -> tuple[Any, int] | None:
    """The recorded answer to this request, checked against the tolerant contract (a
    violation is reported as drift, never hidden); None when the fake answers instead."""
    assert state.replayer is not None
    sent = describe_flask_request(request)
    found = state.replayer.match(sent)
    if found is None:
        if not state.replayer.strict:
            return None
        ctx.cvs_trigger, ctx.cvs_forced = "replay:miss", True
        message = f"no recorded answer to {sent.method} {sent.path} ({sent.mode}); {state.replayer.closest(sent)}"
        return {"error": "no recorded answer", "message": message}, 501
    ctx.cvs_trigger, ctx.cvs_replayed = f"replay:{found.cassette}#{found.index}", True
    op = state.contract.operation(request.path, request.method)
    if op is not None:
        problems = state.contract.errors(found.body, op.schema, "tolerant")
        if problems:
            ctx.cvs_drift = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in problems[:5]]
            ctx.cvs_note = "replayed answer drifts from the contract: " + "; ".join(ctx.cvs_drift)
    return found.body, found.status


def _forced(state: MockState, flow: str, outcome: dict[str, Any]) -> Any:
    g.cvs_forced = True
    if "code" in outcome:
        g.cvs_trigger = "forced:code"
        entry = state.catalogue.entry_by_code(flow, outcome["code"])
        assert entry is not None  # checked when queued
        return state.catalogue.error_body(flow, entry)
    if "body" in outcome:
        g.cvs_trigger = "forced:body"
        return outcome["body"]
    g.cvs_trigger = f"forced:{outcome['fault']}"
    g.cvs_fault = outcome
    return state.catalogue.success_fields(flow)  # the envelope the fault mangles


def _render(state: MockState, ctx: Any, flow: str, endpoint: str, body: Any, status: int) -> Response:
    # A body forced by a test is sent as given; everything else speaks the configured dialect.
    as_is = ctx.cvs_trigger in ("forced:body", "replay:miss") or getattr(ctx, "cvs_replayed", False)
    sent = body if as_is else state.renderer.render(flow, endpoint, body)
    fault = getattr(ctx, "cvs_fault", None)
    if fault is not None:
        return fault_response(fault, sent)
    response = jsonify(sent)
    response.status_code = status
    ctx.cvs_body = sent  # the self-check validates this object instead of parsing the bytes again
    return response


def _account(
    state: MockState, ctx: Any, flow: str, endpoint: str, api_key: str | None, body: Any, response: Response
) -> None:
    # The proxies are resolved once: each attribute read through them costs a context lookup.
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    fault = getattr(ctx, "cvs_fault", None)
    billable = fault is None and response.status_code == 200 and state.catalogue.is_billable(flow, body)
    code = str(body.get(state.catalogue.code_field(flow))) if isinstance(body, dict) and fault is None else "-"
    if api_key is not None:
        state.store.record_usage(api_key, endpoint, code, billable, reserved=getattr(ctx, "cvs_spent", False))
    trigger = ctx.cvs_trigger
    response.headers[TRIGGER_HEADER] = trigger
    note = getattr(ctx, "cvs_note", None)
    if note:
        response.headers["X-CVS-Mock-Note"] = note.encode("ascii", "replace").decode()
    state.journal.record(
        request_entry(
            req,
            api_key=api_key,
            flow=flow,
            endpoint=endpoint,
            status=response.status_code,
            code=code,
            billable=billable,
            trigger=trigger,
            warnings=[] if fault is not None else warnings_in(body),
            **({"drift": ctx.cvs_drift} if "cvs_drift" in ctx else {}),
        ),
        # the bytes sent, decoded only when read: a bytes object costs the garbage collector
        # nothing, where a thousand kept answer trees would slow every collection
        {"request": _request_fields(req, ctx), "answer": _answer_bytes(response)},
    )


def _request_fields(req: Request, ctx: Any) -> dict[str, Any]:
    """What the request carried besides its images (file parts and base64 by size only)."""
    if req.method == "GET":
        return {}
    fields: dict[str, Any] = {"content_type": req.content_type or ""}
    if req.mimetype == "multipart/form-data":
        fields["form"] = {k: shortened(v) for k, v in req.form.items()}
        fields["files"] = {k: {"filename": f.filename or "", "content_type": f.mimetype} for k, f in req.files.items()}
    elif "cvs_json" in ctx:
        fields["json"] = ctx.cvs_json if isinstance(ctx.cvs_json, dict) else None
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
