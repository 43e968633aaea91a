"""The third way in: an httpx transport (sync and async) that answers from the Flask app.

httpx is an optional extra (``pip install 'cvs-testkit[httpx]'``): its pytest plugin (anyio's)
would otherwise cost every suite start-up, whether it tests an httpx client or not.
"""

from __future__ import annotations

from typing import Any

import httpx
from flask import Flask

from cvs_testkit.dispatch import dispatch
from cvs_testkit.fake import DEMO, Credentials, FakeHelpers
from cvs_testkit.transports import DEFAULT_BASE_URL, in_process_admin, plain_headers
from mockserver.pipeline.faults import BEFORE_RESPONSE


class CVSHttpx(FakeHelpers, httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) answering from the Flask app.

    It is a transport itself (``httpx.Client(transport=cvs_httpx)`` and
    ``httpx.AsyncClient(transport=cvs_httpx)``), and ``.transport`` is the same for code that
    asks for one by attribute.
    """

    def __init__(self, app: Flask, credentials: Credentials = DEMO) -> None:
        super().__init__(in_process_admin(app))
        self.app, self.credentials, self.base_url = app, credentials, DEFAULT_BASE_URL
        self.transport: httpx.BaseTransport = httpx.MockTransport(self._handle)
        self.async_transport: httpx.AsyncBaseTransport = httpx.MockTransport(self._handle)

    def url(self, path: str) -> str:
        return self.base_url + path

    def _handle(self, request: httpx.Request) -> httpx.Response:
        answer = dispatch(self.app, request.method, str(request.url), dict(request.headers), request.read())
        if answer.dropped == BEFORE_RESPONSE:  # httpx's error for both, over a real socket
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if answer.dropped:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body", request=request
            )
        return httpx.Response(answer.status, headers=plain_headers(answer), content=answer.body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.transport.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.async_transport.handle_async_request(request)

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx.Client on this transport, with the base URL and credentials set."""
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("auth", self.credentials.auth)
        return httpx.Client(transport=self.transport, **kwargs)

    def async_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An httpx.AsyncClient on this transport, with the base URL and credentials set."""
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("auth", self.credentials.auth)
        return httpx.AsyncClient(transport=self.async_transport, **kwargs)
