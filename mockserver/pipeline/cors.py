"""CORS for browser clients of the fake, through flask-cors.

Default: any origin may call the API paths. The fake holds only generated data and reads its
credentials from the ``Authorization`` header, never from cookies, so a wildcard opens nothing
a page could not already do with the public demo pair -- and a front end on any local dev port
(3000, 5173, 8000...) works without configuration. ``Access-Control-Allow-Credentials`` is not
sent: browsers refuse it beside a wildcard, and Basic auth set by the client needs none.

The result files the API hands out (``/__mock__/files/<id>``) share the API's rule, so a page
can ``fetch`` a Smart Crop result. The rest of the admin API gets CORS only when asked
(``ADMIN_CORS``), with the same origins.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from flask_cors import CORS

API_METHODS = ["GET", "POST", "PUT", "DELETE"]
ALLOWED_HEADERS = ["Authorization", "Content-Type"]
EXPOSED_HEADERS = ["X-CVS-Mock-Trigger", "X-CVS-Mock-Note", "X-CVS-Mock-Contract-Violation"]
MAX_AGE_SECONDS = 600


def cors_origins(value: Any) -> list[str]:
    """The configured origins as a list: ``"*"``, one origin, a comma- or space-separated
    string (as an environment variable gives it), a list, or nothing (CORS off)."""
    if not value:
        return []
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    return [str(part) for part in value]


def install_cors(app: Flask) -> None:
    origins = cors_origins(app.config["CORS_ORIGINS"])
    if not origins:
        return
    options = {"origins": origins}
    resources: dict[str | re.Pattern[str], dict[str, Any]] = {r"/api/.*": options, r"/__mock__/files/.*": options}
    if app.config["ADMIN_CORS"]:
        resources[r"/__mock__/.*"] = options
    CORS(
        app,
        resources=resources,
        methods=API_METHODS,
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=MAX_AGE_SECONDS,
        send_wildcard=origins == ["*"],
        # Error answers pass through after_request too: the envelopes come from error handlers.
        intercept_exceptions=False,
    )
    add_cors_headers: Any = app.after_request_funcs[None].pop()
    assert add_cors_headers.__name__ == "cors_after_request", "flask-cors registered something else"
    app.after_request(_for_browsers(add_cors_headers))
    app.before_request(_answer_api_preflight)


def _for_browsers(add_cors_headers: Callable[[Response], Response]) -> Callable[[Response], Response]:
    """flask-cors' headers on the answers of requests that name an Origin: browsers send one
    with every cross-origin request, and no other client reads these headers. The answers
    carry no validators or freshness, so no cache can hand a header-less copy to a page."""

    def add_when_asked(response: Response) -> Response:
        if "HTTP_ORIGIN" in request.environ:
            return add_cors_headers(response)
        return response

    return add_when_asked


def _answer_api_preflight() -> Response | None:
    """Answer every preflight on an API path with 204, so the real request follows and a
    browser client can read the answer even when it is a 404 or 405 envelope."""
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        if request.path.startswith("/api/"):
            return Response(status=204)
    return None
