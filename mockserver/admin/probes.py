"""The probes a load balancer, an orchestrator or Prometheus sends: health, livez, readyz and
metrics. They answer any client, with or without a Host header (HTTP/1.0 checks send none),
at any name, and say nothing of any tenant."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify

from mockserver.state.fake_state import MockState, current_state
from mockserver.state.metrics import CONTENT_TYPE
from mockserver.state.store import StoreUnavailable

bp = Blueprint("probes", __name__, url_prefix="/__mock__")


def _store_problem(state: MockState) -> str | None:
    """Why the store cannot serve now, or None when it answers with its schema in place."""
    try:
        state.store.ping()
    except StoreUnavailable as exc:
        return f"store unavailable: {exc}"
    except Exception as exc:  # a schema not in place, a closed pool: not ready, whatever it is
        return f"store not ready: {exc.__class__.__name__}"
    return None


@bp.get("/health")
def health() -> tuple[Response, int]:
    """What the server is and whether its store answers: 200, or 503 while the store is down."""
    state = current_state()
    problem = _store_problem(state)
    if problem is None:
        state.expire_idle()  # a fake nobody calls still forgets its idle tenants while probed
    body = {
        "status": "ok" if problem is None else "unavailable",
        "mode": "fake",
        "tenants": state.config["TENANTS"],
        "store": state.store.kind,
        "store_state": "up" if problem is None else "down",
    }
    if problem is not None:
        body["reason"] = problem
    return jsonify(body), 200 if problem is None else 503


@bp.get("/livez")
def livez() -> Response:
    """The process serves requests; nothing else is asked (restart it when this fails)."""
    return jsonify({"status": "live"})


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready to answer the API: the store answers with its schema in place, the configured
    cassettes are loaded. 503 naming the reason otherwise (send it no traffic)."""
    state = current_state()
    problem = _store_problem(state)
    replay = state.configured_replay
    body: dict[str, object] = {
        "status": "ready" if problem is None else "not ready",
        "store": state.store.kind,
        "cassettes": {"interactions": len(replay.recorded)} if replay is not None else None,
    }
    if problem is not None:
        body["reason"] = problem
    return jsonify(body), 200 if problem is None else 503


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text: requests, durations, forced outcomes, store errors, tenants, journal."""
    state = current_state()
    if state.metrics is None:
        abort(404)
    text = state.metrics.exposition()
    return Response(text, mimetype=CONTENT_TYPE.split(";")[0], content_type=CONTENT_TYPE)
