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

from flask import Response, g, jsonify, request

from .auth import authenticate
from .errors import CVSError
from .faults import fault_response
from .journal import safe_headers, shortened
from .state import MockState, current_state

TRIGGER_HEADER = "X-CVS-Mock-Trigger"
View = Callable[..., dict[str, Any]]


def api_view(flow: str, endpoint: str) -> Callable[[View], Callable[..., Response]]:
    """Wrap a flow view so it runs inside the shared request pipeline."""

    def decorate(view: View) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            g.cvs_flow, g.cvs_endpoint, g.cvs_trigger = flow, endpoint, "default"
            state = current_state()
            api_key, body, status = _answer(state, flow, view, kwargs)
            response = _render(body, status)
            _account(state, flow, endpoint, api_key, body, response)
            return response

        return wrapper

    return decorate


def _answer(state: MockState, flow: str, view: View, kwargs: dict[str, Any]) -> tuple[str | None, Any, int]:
    cat = state.catalogue
    api_key: str | None = None
    delayed = False
    try:
        api_key, limited = authenticate(state.store, request.headers.get("Authorization"))
        g.cvs_api_key = api_key
        forced = state.outcomes.take(flow)
        if forced is not None and forced.get("fault") == "latency":
            time.sleep(float(forced.get("seconds", 1.0)))
            forced, delayed = None, True
        if forced is not None and "extra" not in forced:
            return api_key, _forced(state, flow, forced), int(forced.get("status", 200))
        # Only a limited key reserves before the work, so no race can spend past its quota.
        if limited and not state.store.try_spend(api_key):
            raise CVSError("quota", "quota:spent")
        g.cvs_spent = limited
        body = view(**kwargs)
        g.cvs_trigger = getattr(g, "cvs_picture_trigger", g.cvs_trigger)
        if forced is not None:
            body = {**body, **forced["extra"]}
            g.cvs_trigger, g.cvs_forced = "forced:extra", True
        return api_key, body, 200
    except CVSError as exc:
        g.cvs_trigger = exc.trigger
        return api_key, cat.error_body(flow, cat.entry(flow, exc.meaning)), 200
    finally:
        if delayed:
            g.cvs_trigger = "forced:latency+" + g.cvs_trigger


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


def _render(body: Any, status: int) -> Response:
    fault = getattr(g, "cvs_fault", None)
    if fault is not None:
        return fault_response(fault, body)
    response = jsonify(body)
    response.status_code = status
    g.cvs_body = body  # the self-check validates this object instead of parsing the bytes again
    return response


def _account(state: MockState, flow: str, endpoint: str, api_key: str | None, body: Any, response: Response) -> None:
    billable = (
        state.catalogue.is_billable(flow, body) and response.status_code == 200 and not getattr(g, "cvs_fault", None)
    )
    faulted = getattr(g, "cvs_fault", None) is not None
    code = str(body.get(state.catalogue.code_field(flow))) if isinstance(body, dict) and not faulted else "-"
    if api_key is not None:
        state.store.record_usage(api_key, endpoint, code, billable, reserved=getattr(g, "cvs_spent", False))
    response.headers[TRIGGER_HEADER] = g.cvs_trigger
    if getattr(g, "cvs_note", None):
        response.headers["X-CVS-Mock-Note"] = g.cvs_note.encode("ascii", "replace").decode()
    state.journal.record(
        {
            "method": request.method,
            "path": request.path,
            "query": {k: v for k, v in request.args.items()},
            "headers": safe_headers(request.headers),
            "api_key": api_key,
            "flow": flow,
            "endpoint": endpoint,
            "status": response.status_code,
            "code": code,
            "billable": billable,
            "trigger": g.cvs_trigger,
            "warnings": [] if faulted else warnings_in(body),
            "body_bytes": request.content_length or 0,
        },
        # kept by reference and shortened only when read, so recording costs no copy
        {"request": _request_fields(), "answer": _answer_text(response) if faulted else body},
    )


def _request_fields() -> dict[str, Any]:
    """What the request carried besides its images (file parts and base64 by size only)."""
    fields: dict[str, Any] = {"content_type": request.content_type or ""}
    if request.mimetype == "multipart/form-data":
        fields["form"] = {k: shortened(v) for k, v in request.form.items()}
        fields["files"] = {
            k: {"filename": f.filename or "", "content_type": f.mimetype} for k, f in request.files.items()
        }
    elif "cvs_json" in g:
        fields["json"] = g.cvs_json if isinstance(g.cvs_json, dict) else None
    return fields


def _answer_text(response: Response) -> str:
    if response.is_streamed:
        return "[connection dropped]"
    return response.get_data(as_text=True)


def warnings_in(body: Any) -> list[str]:
    """The warning codes an answer carries (OCR items, Face Matching data, crop_person)."""
    if not isinstance(body, dict):
        return []
    data = body.get("data", body)
    items = data if isinstance(data, list) else [data]
    return [str(i["invalidCode"]) for i in items if isinstance(i, dict) and "invalidCode" in i]
