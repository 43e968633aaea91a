"""The ways in that need no optional package: a live HTTP server and ``responses`` interception
(the httpx transport is :mod:`cvs_testkit.httpx_transport`, as httpx is an optional extra).

Each wraps the one Flask app and offers the shared helpers of :class:`FakeHelpers`.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Iterable
from typing import Any

import requests
import responses
from flask import Flask

from mockserver.pipeline.faults import BEFORE_RESPONSE
from mockserver.server import MockServer

from .dispatch import Answer, dispatch
from .fake import DEMO, Credentials, FakeHelpers
from .routing import CVS_HOSTS, DEFAULT_BASE_URL, Routes, forwarded_headers, rebased

__all__ = ["CVS_HOSTS", "DEFAULT_BASE_URL", "CVSMock", "LiveFake", "http_admin", "in_process_admin"]
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
FORWARD_TIMEOUT = 120.0  # seconds a forwarded call may take (a latency fault holds it)
DECODED_HEADERS = {"content-length", "content-encoding", "transfer-encoding"}  # requests decodes the body


def _decode(data: bytes) -> Any:
    try:
        return jsonlib.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")


def in_process_admin(app: Flask, base_url: str = DEFAULT_BASE_URL) -> Any:
    def call(
        method: str, path: str, json: Any = None, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, Any]:
        body = jsonlib.dumps(json).encode() if json is not None else data
        kind = "application/json" if json is not None else content_type
        answer = dispatch(app, method, f"{base_url}/__mock__{path}", {"Content-Type": kind} if kind else {}, body)
        return answer.status, _decode(answer.body)

    return call


def http_admin(
    base_url: str,
    session: requests.Session | None = None,
    auth: tuple[str, str] | None = None,
    token: str | None = None,
) -> Any:
    """Admin calls over HTTP; with ``auth`` (a tenant's key and secret), scoped to that
    tenant; otherwise, with ``token``, carrying the admin token."""
    http = session or requests.Session()
    if auth is not None:
        http.auth = auth
    elif token:
        http.headers["Authorization"] = f"Bearer {token}"

    def call(
        method: str, path: str, json: Any = None, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, Any]:
        headers = {"Content-Type": content_type} if content_type else {}
        response = http.request(method, f"{base_url}/__mock__{path}", json=json, data=data, headers=headers, timeout=30)
        return response.status_code, _decode(response.content)

    return call


class LiveFake(FakeHelpers):
    """A real ``cvs-mock`` HTTP server (in a thread, or anywhere at ``base_url``)."""

    def __init__(self, base_url: str, credentials: Credentials = DEMO, server: MockServer | None = None) -> None:
        super().__init__(http_admin(base_url))
        self.base_url, self.credentials, self.server = base_url.rstrip("/"), credentials, server

    def url(self, path: str) -> str:
        return self.base_url + path


class CVSMock(FakeHelpers):
    """Intercepts ``requests`` calls to the CVS hosts (and any ``base_urls``) and answers them
    from the Flask app, or with ``forward_to`` sends them to that served fake over HTTP (never
    to the vendor). Other hosts pass through to the network untouched."""

    def __init__(
        self,
        app: Flask,
        base_urls: Iterable[str] = (),
        credentials: Credentials = DEMO,
        forward_to: str | None = None,
    ) -> None:
        super().__init__(in_process_admin(app))
        self.app, self.credentials, self.base_url = app, credentials, DEFAULT_BASE_URL
        self.forward_to = forward_to.rstrip("/") if forward_to else None
        self.mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        routes = Routes.of(base_urls)
        hosts = [re.escape(h) for h in (*CVS_HOSTS, *routes.intercepted)]
        pattern = re.compile(rf"https?://({'|'.join(hosts)})(:\d+)?(/.*)?$", re.IGNORECASE)
        answer = self._answer if self.forward_to is None else self._forward
        for method in METHODS:
            self.mock.add_callback(method, pattern, callback=answer)
        self.mock.add_passthru(re.compile(".*"))
        self._http = requests.Session() if self.forward_to is not None else None

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def calls(self) -> Any:
        """The intercepted calls, as ``responses`` records them."""
        return self.mock.calls

    def _answer(self, request: requests.PreparedRequest) -> Any:
        body = request.body.encode() if isinstance(request.body, str) else request.body
        answer = dispatch(self.app, request.method or "GET", str(request.url), dict(request.headers), body)
        if answer.dropped == BEFORE_RESPONSE:  # what requests raises when a socket closes unanswered
            return requests.ConnectionError("cvs-mock: connection dropped before the answer (forced fault)")
        if answer.dropped:  # ...and when a chunked body stops short
            return requests.exceptions.ChunkedEncodingError("cvs-mock: connection cut mid-body (forced fault)")
        return answer.status, plain_headers(answer), answer.body

    def _forward(self, request: requests.PreparedRequest) -> Any:
        """The call, sent to the served fake as this test's tenant (the passthrough rule lets
        this second request out, to the fake's own URL only)."""
        assert self.forward_to is not None and self._http is not None
        try:
            answer = self._http.request(
                request.method or "GET",
                rebased(str(request.url), self.forward_to),
                headers=forwarded_headers(dict(request.headers), self.credentials),
                data=request.body,
                timeout=FORWARD_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:  # a dropped connection reaches the caller as such
            return exc
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in DECODED_HEADERS}
        return answer.status_code, headers, answer.content

    def start(self) -> CVSMock:
        self.mock.start()
        return self

    def stop(self) -> None:
        self.mock.stop()
        self.mock.reset()
        if self._http is not None:
            self._http.close()

    def __enter__(self) -> CVSMock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def plain_headers(answer: Answer) -> dict[str, str]:
    return {k: v for k, v in answer.headers if k.lower() not in ("content-length",)}
