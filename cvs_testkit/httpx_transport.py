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
from cvs_testkit.routing import DEFAULT_BASE_URL, Routes, forwarded_headers, rebased
from cvs_testkit.transports import in_process_admin, plain_headers
from mockserver.pipeline.faults import BEFORE_RESPONSE


class CVSHttpx(FakeHelpers, httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) answering from the Flask app.

    It is a transport itself (``httpx.Client(transport=cvs_httpx)`` and
    ``httpx.AsyncClient(transport=cvs_httpx)``), and ``.transport`` is the same for code that
    asks for one by attribute. :meth:`forward_to` turns it into a router for a served fake.
    """

    def __init__(self, app: Flask, credentials: Credentials = DEMO) -> None:
        super().__init__(in_process_admin(app))
        self.app, self.credentials, self.base_url = app, credentials, DEFAULT_BASE_URL
        self.transport: httpx.BaseTransport = httpx.MockTransport(self._handle)
        self.async_transport: httpx.AsyncBaseTransport = httpx.MockTransport(self._handle)

    def forward_to(self, base_url: str, routes: Routes, real_vendor: bool = False) -> None:
        """Send calls to the vendor's hosts and ``routes`` to the served fake at ``base_url``
        as this test's tenant (or, with ``real_vendor``, let them through to the vendor); every
        other call goes over the network as it is."""
        self.base_url = base_url.rstrip("/")
        real, real_async = httpx.HTTPTransport(), httpx.AsyncHTTPTransport()

        def routed(request: httpx.Request) -> httpx.Request:
            if real_vendor or not routes.takes(str(request.url)):
                return request
            headers = forwarded_headers(dict(request.headers), self.credentials)
            return httpx.Request(
                request.method, rebased(str(request.url), self.base_url), headers=headers, content=request.read()
            )

        def send(request: httpx.Request) -> httpx.Response:
            return real.handle_request(routed(request))

        async def send_async(request: httpx.Request) -> httpx.Response:
            return await real_async.handle_async_request(routed(request))

        self.transport, self.async_transport = httpx.MockTransport(send), httpx.MockTransport(send_async)

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
