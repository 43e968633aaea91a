"""The dashboard: one page at ``/__mock__/`` that reads and steers the fake through its admin
API, like any other client of it. Plain HTML, CSS and JavaScript shipped in the package: no
build step, nothing fetched from elsewhere at run time.

It answers the same clients the admin API does (see :mod:`mockserver.admin.loopback`), and every
value it shows is set as text, never as markup: journal fields come from whoever sent the
request. The Content-Security-Policy forbids inline and foreign scripts as a second guard.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory

from mockserver.admin.loopback import origin_refusal, refusal

bp = Blueprint("dashboard", __name__, url_prefix="/__mock__", static_folder=None)
STATIC = os.path.join(os.path.dirname(__file__), "static")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@bp.before_request
def _same_clients_as_admin() -> Response | None:
    config = current_app.config
    reason = refusal(request, config)
    if reason is None:
        return None
    if config.get("ADMIN_TOKEN") and origin_refusal(request, config) is None:
        return None  # the page holds no data: it asks for the token, and sends it with each call
    response = jsonify({"error": reason})
    response.status_code = 403
    return response


@bp.after_request
def _locked_down(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def page() -> Response:
    return send_from_directory(STATIC, "index.html", mimetype="text/html")


@bp.get("/ui/<name>")
def asset(name: str) -> Response:
    return send_from_directory(STATIC, name)
