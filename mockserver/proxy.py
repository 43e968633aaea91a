"""``cvs-mock proxy``: forward /api/v2 traffic to a real API unchanged, and check every answer
against the tolerant contract. Violations go to the journal and ``/__mock__/violations``."""

from __future__ import annotations

import json
import threading
import zlib
from collections import deque
from typing import Any

import requests
from flask import Flask, Response, jsonify, request

from mockserver.admin.api import BadAdminRequest, whole_number_arg
from mockserver.admin.dashboard import bp as dashboard_bp
from mockserver.admin.loopback import refusal
from mockserver.contract.catalogue import Catalogue, flow_of_path
from mockserver.contract.loading import Contract, load_contract
from mockserver.limits import LISTING_MAX
from mockserver.pipeline.envelope import envelope
from mockserver.pipeline.exchange import NOTE_HEADER
from mockserver.recording.recorder import Recorder
from mockserver.recording.request import describe_flask_request
from mockserver.state.journal import Journal, safe_headers
from mockserver.state.store import open_store

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
MAX_UPSTREAM_BYTES = 64 * 1024 * 1024  # an upstream answer, as sent and decompressed, is refused past this


class UpstreamTooLarge(Exception):
    """An upstream answer over ``MAX_UPSTREAM_BYTES``, compressed or once decompressed."""


def violations(
    contract: Contract, catalogue: Catalogue, method: str, path: str, status: int, content_type: str, raw: bytes
) -> list[dict[str, str]]:
    """What is wrong with one upstream answer, read tolerantly: JSON, schema, catalogue."""
    op = contract.operation(path, method)
    flow = flow_of_path(path)
    try:
        body = json.loads(raw)
    except ValueError:
        return [{"path": "", "expected": "a JSON object", "got": f"{content_type or 'no content type'} body"}]
    found = []
    if op is not None:
        for error in contract.errors(body, op.schema, "tolerant"):
            where = "".join(f"/{p}" for p in error.absolute_path)
            found.append(
                {
                    "path": where,
                    "expected": f"{error.validator} {json.dumps(error.validator_value)[:120]}",
                    "got": json.dumps(error.instance, ensure_ascii=False)[:120],
                }
            )
    spec = contract.catalogue["flows"][flow]
    code = body.get(spec["code_field"]) if isinstance(body, dict) else None
    entry = catalogue.entry_by_code(flow, code) if code is not None else None
    if entry is not None and status != entry["http_status"]:
        found.append({"path": "", "expected": f"HTTP {entry['http_status']}", "got": f"HTTP {status}"})
    return found


def create_proxy_app(
    upstream: str, timeout: float = 30.0, config: dict[str, Any] | None = None, record: Recorder | None = None
) -> Flask:
    """The validating proxy; with ``record``, every exchange is also written, scrubbed, to a
    cassette (``mockserver.recording.recorder.Recorder``)."""
    app = Flask(__name__)
    app.config.update({"ADMIN_REMOTE": False, "MAX_CONTENT_LENGTH": 20 * 1024 * 1024, **(config or {})})
    contract = load_contract()
    catalogue = Catalogue(contract)
    journal = Journal(open_store(None, journal_size=1000).journal)  # the proxy keeps its own, in memory
    found: deque[dict[str, Any]] = deque(maxlen=1000)
    lock = threading.Lock()
    session = requests.Session()
    base = upstream.rstrip("/")

    limit = int(app.config.get("MAX_UPSTREAM_BYTES") or MAX_UPSTREAM_BYTES)

    def gateway(kind: str, status: int, note: str | None = None) -> Response:
        flow = flow_of_path(request.path)
        _, entry = catalogue.http_error_entry(flow, "bad_gateway")
        response = envelope(flow, entry, status, f"proxy:{kind}", catalogue=catalogue)
        if note:
            response.headers[NOTE_HEADER] = note
        return response

    @app.route("/api/v2/<path:rest>", methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])
    def forward(rest: str) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        body = request.get_data()  # read first and kept: the multipart parts are read from it
        sent = describe_flask_request(request) if record is not None else None
        url = f"{base}{request.path}" + (f"?{request.query_string.decode('latin-1')}" if request.query_string else "")
        try:
            answer = session.request(
                request.method,
                url,
                headers=headers,
                data=body,
                timeout=timeout,
                stream=True,
                allow_redirects=False,
            )
            raw = answer.raw.read(limit + 1, decode_content=False)
            if len(raw) > limit:
                answer.close()
                raise UpstreamTooLarge(f"the upstream answer is over {limit} bytes")
            plain = _decoded(raw, answer.headers.get("Content-Encoding", "").lower(), limit)
        except requests.Timeout:
            return gateway("upstream-timeout", 504)
        except requests.RequestException:
            return gateway("upstream-unreachable", 502)
        except UpstreamTooLarge as exc:
            return gateway("upstream-too-large", 502, str(exc))
        problems = violations(
            contract,
            catalogue,
            request.method,
            request.path,
            answer.status_code,
            answer.headers.get("Content-Type", ""),
            plain,
        )
        entry = {
            "method": request.method,
            "path": request.path,
            "status": answer.status_code,
            "headers": safe_headers(request.headers),
            "violations": problems,
        }
        journal.record(entry)
        if problems:
            with lock:
                found.append(entry)
        if record is not None and sent is not None:
            record.record(sent, base, answer.status_code, answer.headers, plain)
        response = Response(raw, status=answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in HOP_BY_HOP:
                response.headers[key] = value
        return response

    @app.before_request
    def admin_loopback_only() -> Response | None:
        reason = refusal(request, app.config) if request.path.startswith("/__mock__/") else None
        if reason is not None:
            response = jsonify({"error": reason})
            response.status_code = 403
            return response
        return None

    @app.get("/__mock__/health")
    def health() -> Response:
        return jsonify({"status": "ok", "mode": "proxy", "upstream": base})

    @app.get("/__mock__/journal")
    def proxy_journal() -> Response:
        try:
            limit = whole_number_arg("limit", 1, LISTING_MAX)
        except BadAdminRequest as exc:
            refused = jsonify({"error": str(exc)})
            refused.status_code = 400
            return refused
        return jsonify({"entries": journal.entries(limit)})

    @app.get("/__mock__/violations")
    def proxy_violations() -> Response:
        with lock:
            return jsonify({"violations": list(found)})

    @app.post("/__mock__/reset")
    def proxy_reset() -> Response:
        journal.clear()
        with lock:
            found.clear()
        return jsonify({"status": "reset"})

    app.register_blueprint(dashboard_bp)
    return app


def _decoded(raw: bytes, encoding: str, limit: int) -> bytes:
    """The body as the client will read it, decompressed at most to ``limit`` bytes (a small
    gzip answer can expand to gigabytes)."""
    if encoding not in ("gzip", "deflate"):
        return raw
    inflater = zlib.decompressobj(wbits=31 if encoding == "gzip" else 15)
    try:
        plain = inflater.decompress(raw, limit + 1)
    except zlib.error:
        return raw
    if len(plain) > limit or inflater.unconsumed_tail:
        raise UpstreamTooLarge(f"the upstream answer decompresses to over {limit} bytes")
    return plain
