"""What every API request passes through once: auth, forced outcomes, quota, the view, billing.

A view receives its request record (:class:`~mockserver.pipeline.exchange.RequestRecord`) as its
first argument and returns the fields of its success answer (the flow's success code and
message are added here) or raises CVSError for a documented failure. This module renders
both through the one renderer (``envelope``) and hands the answer to the one accounting point
(``accounting.settle``), which checks it, names its trigger, bills it and journals it.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from flask import Response, request

from mockserver.exceptions import CVSError
from mockserver.pipeline.accounting import settle
from mockserver.pipeline.auth import admit
from mockserver.pipeline.envelope import json_answer, spoken
from mockserver.pipeline.exchange import RequestRecord, start_exchange
from mockserver.pipeline.faults import fault_response
from mockserver.recording.request import describe_flask_request
from mockserver.state.fake_state import MockState, Replay, current_state
from mockserver.state.store import SteeringChanged

View = Callable[..., dict[str, Any]]


def api_view(flow: str, endpoint: str) -> Callable[[View], Callable[..., Response]]:
    """Wrap a flow view so it runs inside the shared request pipeline."""

    def decorate(view: View) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            state = current_state()
            exchange = start_exchange(state, flow, endpoint)
            try:
                return _answered(state, exchange, view, kwargs)
            except SteeringChanged:
                # Nothing was kept. This time the steering is read afresh, not remembered, so the
                # request's write is not checked against it again (see ``PostgresStore``).
                return _answered(state, exchange.again(), view, kwargs)

        return wrapper

    return decorate


def _answered(state: MockState, exchange: RequestRecord, view: View, kwargs: dict[str, Any]) -> Response:
    # All or nothing: an answer is sent only once everything it did is committed, and a store
    # that fails on the way (503) leaves nothing of the request behind.
    with state.store.unit():
        body, status = _answer(state, exchange, view, kwargs)
        response = _render(state, exchange, body, status)
        settle(state, exchange, response)
    return response


def _answer(state: MockState, exchange: RequestRecord, view: View, kwargs: dict[str, Any]) -> tuple[Any, int]:
    cat, flow = state.catalogue, exchange.flow
    delayed = False
    try:
        api_key, steering = admit(
            state.store,
            request.headers.get("Authorization"),
            flow,
            state.open_tenants,
            state.config.get("TENANT_QUOTA"),
        )
        exchange.voice, replay = state.dialect_and_replay(steering.settings)
        admission = steering.admission
        if not admission.accepted:
            raise CVSError("auth", "auth:wrong")
        exchange.api_key, exchange.tenant, limited = api_key, admission.tenant, admission.limited
        if state.config.get("TENANT_TTL") and exchange.tenant is not None:
            state.seen(exchange.tenant)
            state.expire_idle()
        forced = state.store.outcomes.take(flow, exchange.tenant) if steering.outcome_queued else None
        if forced is not None and state.metrics is not None:
            state.metrics.forced.labels(flow, _kind_of(forced)).inc()
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
        body = {**cat.success_fields(flow), **view(exchange, **kwargs)}
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


def _replayed(state: MockState, exchange: RequestRecord, replay: Replay) -> tuple[Any, int] | None:
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


def _forced(state: MockState, exchange: RequestRecord, outcome: dict[str, Any]) -> Any:
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


def _render(state: MockState, exchange: RequestRecord, body: Any, status: int) -> Response:
    # A body forced by a test is sent as given; everything else speaks the configured dialect.
    as_is = exchange.trigger in ("forced:body", "replay:miss") or exchange.replayed
    if exchange.voice is None:  # refused before the tenant was known: the whole fake's dialect
        exchange.voice = state.voice(None)
    exchange.answer = body
    sent = spoken(body, None if as_is else exchange.voice.renderer, exchange.flow, exchange.endpoint)
    if exchange.fault is not None:
        return fault_response(exchange.fault, sent)
    exchange.rendered = sent  # what the self-check validates, without parsing the bytes again
    return json_answer(sent, status)


def _kind_of(outcome: dict[str, Any]) -> str:
    """What a forced outcome forces: ``code``, ``body``, ``extra`` or the fault's name."""
    for kind in ("code", "body", "extra"):
        if kind in outcome:
            return kind
    return str(outcome.get("fault", "other"))
