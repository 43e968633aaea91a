"""The admin API under /__mock__/: journal, usage, reset, keys, hosted files, forced outcomes,
dialect and replay.

Who may call it, and on whose state, is :mod:`mockserver.admin.access`: a tenant's own
credentials scope a call to that tenant; otherwise it is the whole fake's, for loopback
clients, ``--admin-remote`` or the admin token. Hosted files (GET /__mock__/files/<id>)
answer any client at an allowed Host: result URLs the API hands out must be fetchable, and
their ids are unguessable. Health answers anyone, so a client can tell it reached a fake.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from mockserver import limits
from mockserver.admin.access import Refused, Scope, admin_scope, describe
from mockserver.admin.images import ImageRequestError, made
from mockserver.admin.loopback import IN_PROCESS, client_address, host_refusal, is_loopback
from mockserver.contract.catalogue import FLOWS
from mockserver.contract.dialects import DialectError, resolve_dialect
from mockserver.recording.persister import CassetteError
from mockserver.state.fake_state import current_state
from mockserver.state.outcomes import FAULTS, OutcomeError, check_outcome

INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "application/pdf"}  # no SVG

bp = Blueprint("admin", __name__, url_prefix="/__mock__")
REPLAY_NEEDS_RIGHT = (
    "cassettes are read from the fake's own filesystem: from another host, replaying needs the admin right "
    "(the admin token)"
)


class BadAdminRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@bp.errorhandler(BadAdminRequest)
def _admin_error(exc: BadAdminRequest) -> Response:
    response = jsonify({"error": str(exc)})
    response.status_code = exc.status
    return response


@bp.errorhandler(Refused)
def _refused(exc: Refused) -> Response:
    response = jsonify({"error": str(exc), **({"token": "required"} if exc.token else {})})
    response.status_code = exc.status
    return response


PAGE_SIZE = 1000  # rows of a listing when no limit is asked for


@bp.before_request
def _who_may() -> None:
    state = current_state()
    if request.endpoint == "admin.get_file":
        # Result URLs the API hands out are fetched by API clients, wherever they are: hosted
        # files answer any client, but only at an allowed Host name (no rebound page reads one).
        reason = host_refusal(request, state.config)
        if reason is not None:
            raise BadAdminRequest(reason, 403)
        return
    admin_scope(request, state)


def whole_number(name: str, raw: str, low: int, high: int) -> int:
    """``raw`` as a whole number from ``low`` to ``high``; BadAdminRequest naming ``name`` otherwise."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        raise BadAdminRequest(f"{name} must be a whole number from {low} to {high}, not {raw[:40]!r}")
    return int(raw)


def whole_number_arg(name: str, low: int, high: int) -> int | None:
    """The query parameter ``name`` checked as :func:`whole_number`; None when absent."""
    raw = request.args.get(name)
    return None if raw is None else whole_number(name, raw, low, high)


def _scope() -> Scope:
    return admin_scope(request, current_state())


def _json_object() -> dict[str, Any]:
    try:
        body = limits.loads(request.get_data() or b"null")
    except limits.TooDeep as exc:
        raise BadAdminRequest(f"send a JSON object ({exc})") from None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise BadAdminRequest("send a JSON object")
    return body


@bp.get("/journal")
def journal() -> Response:
    """The newest entries (``limit``), those that match every filter given: ``endpoint``,
    ``flow``, ``code``, ``key``, ``trigger`` (``forced:*`` matches a prefix), ``since`` (an entry
    id: the entries after it); with ``count`` their number alone."""
    limit = whole_number_arg("limit", 1, limits.LISTING_MAX)
    since = whole_number_arg("since", 0, limits.ID_MAX)
    wanted = {name: request.args[name] for name in JOURNAL_FILTERS if name in request.args}
    unknown = sorted(set(request.args) - {*JOURNAL_FILTERS, "limit", "since", "count"})
    if unknown:
        raise BadAdminRequest(
            f"no journal filter named {', '.join(unknown)}; filters: {', '.join(JOURNAL_FILTERS)}, since"
        )
    journal, tenant = current_state().journal, _scope().tenant
    if not wanted and since is None:  # the dashboard's poll: the newest entries are read, no more
        found = journal.entries(limit, tenant)
    else:
        found = [e for e in journal.entries(None, tenant) if (since is None or e["id"] > since) and _matches(e, wanted)]
        found = found[-limit:] if limit is not None else found
    if request.args.get("count") not in (None, "", "false"):
        return jsonify({"count": len(found)})
    return jsonify({"entries": found, "count": len(found)})


JOURNAL_FILTERS = ("endpoint", "flow", "code", "key", "trigger")
_FIELD_OF = {"key": "api_key"}


def _matches(entry: dict[str, Any], wanted: dict[str, str]) -> bool:
    for name, value in wanted.items():
        held = str(entry.get(_FIELD_OF.get(name, name)))
        if value.endswith("*") and not held.startswith(value[:-1]):
            return False
        if not value.endswith("*") and held != value:
            return False
    return True


@bp.get("/journal/<entry_id>")
def journal_entry(entry_id: str) -> Response:
    found = current_state().journal.entry(whole_number("entry id", entry_id, 1, limits.ID_MAX), _scope().tenant)
    if found is None:
        raise BadAdminRequest(f"no journal entry {entry_id} (the journal keeps the newest entries only)", 404)
    return jsonify(found)


@bp.get("/codes")
def codes() -> Response:
    """What an outcome may force, per flow: the non-success codes with their messages."""
    flows = {flow: _forcible(flow) for flow in FLOWS}
    return jsonify({"flows": flows, "faults": sorted(FAULTS)})


def _forcible(flow: str) -> list[dict[str, Any]]:
    # A forced success would carry no data: real successes come from real requests.
    errors = current_state().catalogue.flows[flow]["errors"]
    return [{"code": e["code"], "message": e["message"]} for e in errors if e["message"] != "Success"]


@bp.get("/usage")
def usage() -> Response:
    """A page of keys (``limit``, ``offset``: by key name), their usage rows and their totals."""
    state, tenant = current_state(), _scope().tenant
    keys, page = _page(state.store.keys.all(tenant))
    shown = {k["api_key"] for k in keys}
    rows = [row for row in state.store.usage.all(tenant) if row["api_key"] in shown]
    totals: dict[str, dict[str, dict[str, int]]] = {}
    for row in rows:
        cell = totals.setdefault(row["api_key"], {}).setdefault(row["endpoint"], {"requests": 0, "billable": 0})
        cell["requests"] += row["count"]
        cell["billable"] += row["count"] if row["billable"] else 0
    return jsonify({"keys": keys, "usage": rows, "totals": totals, "page": page})


@bp.post("/reset")
def reset() -> Response:
    """Back to the start: the whole fake, or the caller's tenant. ``?forget=true`` (a tenant's
    last reset, when its suite is done): an open tenant's key goes too, and is made again,
    with whatever secret comes, on its next call."""
    scope = _scope()
    forget = request.args.get("forget") not in (None, "", "false")
    current_state().reset(scope.tenant, forget=forget)
    return jsonify({"status": "reset", **describe(scope)})


@bp.get("/keys")
def list_keys() -> Response:
    keys, page = _page(current_state().store.keys.all(_scope().tenant))
    return jsonify({"keys": keys, "page": page})


@bp.get("/dialect")
def get_dialect() -> Response:
    """The dialect in use, every option's value, and what each option may take."""
    state = current_state()
    table = state.contract.dialects
    dialect = state.dialect_of(_scope().tenant)
    return jsonify(
        {
            "name": dialect.name,
            "options": dialect.as_dict(),
            "changed": dialect.changed(table),
            "choices": {k: sorted(v["values"]) for k, v in table["options"].items()},
            "named": sorted(table["dialects"]),
        }
    )


@bp.put("/dialect")
def put_dialect() -> Response:
    """Switch the dialect: ``{"dialect": NAME}``, ``{"options": {...}}`` or both; a reset
    returns to the configured one."""
    body = _json_object()
    state = current_state()
    name, options = body.get("dialect"), body.get("options") or {}
    if name is not None and not isinstance(name, str) or not isinstance(options, dict):
        raise BadAdminRequest('send {"dialect": NAME} and/or {"options": {OPTION: VALUE}}')
    if isinstance(name, str) and name not in state.contract.dialects["dialects"]:
        raise BadAdminRequest(f"no dialect {name!r}; known: {', '.join(sorted(state.contract.dialects['dialects']))}")
    try:
        dialect = resolve_dialect(state.contract.dialects, name, {str(k): str(v) for k, v in options.items()})
    except DialectError as exc:
        raise BadAdminRequest(str(exc)) from None
    state.use_dialect(dialect, _scope().tenant)
    return get_dialect()


@bp.put("/replay")
def put_replay() -> Response:
    """Answer from cassettes until the next reset: ``{"cassettes": [PATH...], "strict": bool,
    "after_last": "cycle" | "repeat" | "exhausted", "match_on": [MATCHER...]}``."""
    local = is_loopback(client_address(request, current_state().config))
    if not _scope().whole and not (local or request.environ.get(IN_PROCESS)):
        # Paths name the fake's own files: a tenant elsewhere must not probe its filesystem.
        raise Refused(REPLAY_NEEDS_RIGHT)
    body = _json_object()
    paths, strict = body.get("cassettes"), body.get("strict", False)
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths) or not isinstance(strict, bool):
        raise BadAdminRequest('send {"cassettes": [PATH, ...], "strict": false}')
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise BadAdminRequest(f"no cassette at {', '.join(missing)}", 404)
    after_last, match_on = body.get("after_last", "cycle"), body.get("match_on")
    if match_on is not None and (not isinstance(match_on, list) or not all(isinstance(m, str) for m in match_on)):
        raise BadAdminRequest('match_on is a list of matcher names, e.g. ["method", "operation", "mode", "images"]')
    try:
        replayer = current_state().use_replay(
            paths, strict, after_last if isinstance(after_last, str) else "", _scope().tenant, match_on
        )
    except CassetteError as exc:
        raise BadAdminRequest(str(exc)) from exc
    except ValueError as exc:
        raise BadAdminRequest(str(exc)) from exc
    return jsonify({"interactions": len(replayer.recorded), "strict": strict, "match_on": list(replayer.match_on)})


@bp.post("/keys")
def create_key() -> tuple[Response, int]:
    body = _json_object()
    key, secret, quota = body.get("api_key"), body.get("api_secret"), body.get("quota")
    if not isinstance(key, str) or not key or ":" in key or not isinstance(secret, str) or not secret:
        raise BadAdminRequest("api_key (no colon) and api_secret must be non-empty strings")
    if quota is not None and (type(quota) is not int or not 0 <= quota <= limits.QUOTA_MAX):
        raise BadAdminRequest(f"quota must be a whole number from 0 to {limits.QUOTA_MAX}, or null")
    store, tenant = current_state().store, _scope().tenant
    if tenant is None:
        store.keys.put(key, secret, quota)
        return jsonify({"api_key": key, "quota": quota}), 201
    # A tenant's keys are named after it, so two tenants' "same" key never collide.
    named = key if key.endswith(f"@{tenant}") else f"{key}@{tenant}"
    if not store.keys.create(named, secret, quota, tenant):
        raise BadAdminRequest(f"a key {named!r} exists already; reset the tenant to make it again", 409)
    return jsonify({"api_key": named, "quota": quota, "tenant": tenant}), 201


@bp.post("/files")
def register_file() -> tuple[Response, int]:
    upload = request.files.get("file")
    data = upload.read() if upload is not None else request.get_data()
    if not data:
        raise BadAdminRequest("send the file as the body, or as multipart part 'file'")
    kind = (upload.mimetype if upload is not None else request.mimetype) or "application/octet-stream"
    file_id = current_state().store.files.put(data, kind, owner=_scope().tenant)
    return jsonify({"id": file_id, "url": f"{request.host_url}__mock__/files/{file_id}"}), 201


@bp.post("/images")
def make_image() -> Response | tuple[Response, int]:
    """A scenario image, as ``cvs_testkit.images`` makes it (see ``mockserver.admin.images``)."""
    body = _json_object()
    host = body.get("host", False)
    if not isinstance(host, bool):
        raise BadAdminRequest("host is true (answer a hosted URL) or false (the image itself)")
    try:
        image, media_type = made(body)
    except ImageRequestError as exc:
        raise BadAdminRequest(str(exc)) from None
    if isinstance(image, dict):  # liveness_shots: three images, by part name
        if host:
            urls = {part: _hosted(shot, media_type) for part, shot in image.items()}
            return jsonify({"urls": urls}), 201
        return jsonify({part: base64.b64encode(shot).decode("ascii") for part, shot in image.items()})
    if host:
        return jsonify({"url": _hosted(image, media_type)}), 201
    return Response(image, mimetype=media_type)


def _hosted(data: bytes, media_type: str) -> str:
    file_id = current_state().store.files.put(data, media_type, owner=_scope().tenant)
    return f"{request.host_url}__mock__/files/{file_id}"


@bp.get("/files")
def list_files() -> Response:
    files, page = _page(current_state().store.files.all(_scope().tenant))
    return jsonify({"files": files, "page": page})


def _page(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``rows[offset:offset + limit]`` (``limit`` default 1000) and where the next page starts."""
    limit = whole_number_arg("limit", 1, limits.LISTING_MAX) or PAGE_SIZE
    offset = whole_number_arg("offset", 0, 10**9) or 0
    shown = rows[offset : offset + limit]
    after = offset + len(shown)
    page = {"offset": offset, "limit": limit, "total": len(rows), "next_offset": after if after < len(rows) else None}
    return shown, page


@bp.get("/files/<file_id>")
def get_file(file_id: str) -> Response:
    found = current_state().store.files.open(file_id)
    if found is None:
        abort(404)
    response = Response(found.chunks, mimetype=found.content_type)
    response.content_length = found.size
    # An uploaded file is someone else's content on the dashboard's origin: never script.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self' data:"
    if response.mimetype not in INLINE_TYPES:
        response.headers["Content-Disposition"] = f'attachment; filename="{file_id}"'
    return response


@bp.post("/outcomes")
def force_outcome() -> tuple[Response, int]:
    body = _json_object()
    flow, count = body.pop("flow", None), body.pop("count", 1)
    if flow not in FLOWS:
        raise BadAdminRequest(f"flow must be one of {', '.join(FLOWS)}")
    if type(count) is not int or not 1 <= count <= 10_000:
        raise BadAdminRequest("count must be an integer from 1 to 10000")
    known = [str(e["code"]) for e in _forcible(flow)]
    try:
        outcome = check_outcome(flow, body, known)
    except OutcomeError as exc:
        raise BadAdminRequest(str(exc)) from None
    outcomes, tenant = current_state().store.outcomes, _scope().tenant
    outcomes.push(flow, outcome, count, tenant)
    return jsonify({"pending": outcomes.pending(tenant)}), 201


@bp.get("/outcomes")
def pending_outcomes() -> Response:
    return jsonify({"pending": current_state().store.outcomes.pending(_scope().tenant)})


@bp.delete("/outcomes")
def clear_outcomes() -> Response:
    current_state().store.outcomes.clear(_scope().tenant)
    return jsonify({"pending": {}})
