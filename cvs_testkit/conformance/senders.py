"""Where the conformance runner sends requests: a base URL over HTTP, or a WSGI app in-process."""

from __future__ import annotations

from typing import Any, Protocol

import requests

from .checks import Exchange


class Unreachable(RuntimeError):
    """The server could not be reached at all."""


class Sender(Protocol):
    base_url: str

    def send(self, flow: str, method: str, path: str, *, auth: tuple[str, str] | None, **kwargs: Any) -> Exchange: ...

    def download(self, url: str) -> bytes: ...


class HttpSender:
    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self.session = requests.Session()

    def send(self, flow: str, method: str, path: str, *, auth: tuple[str, str] | None, **kwargs: Any) -> Exchange:
        headers = kwargs.pop("headers", {})
        try:
            response = self.session.request(
                method, self.base_url + path, auth=auth, timeout=self.timeout, headers=headers, **kwargs
            )
        except requests.ConnectionError as exc:
            raise Unreachable(f"cannot connect to {self.base_url}: {type(exc).__name__}") from None
        except requests.Timeout:
            raise Unreachable(f"{self.base_url} did not answer within {self.timeout:.0f} s") from None
        return Exchange(
            flow, method, path, response.status_code, response.headers.get("Content-Type", ""), response.content
        )

    def download(self, url: str) -> bytes:
        return requests.get(url, timeout=self.timeout).content


class WsgiSender:
    """Runs the battery in-process against a Flask app (no socket)."""

    def __init__(self, app: Any, base_url: str = "http://conformance.local") -> None:
        self.app, self.base_url = app, base_url

    def send(self, flow: str, method: str, path: str, *, auth: tuple[str, str] | None, **kwargs: Any) -> Exchange:
        prepared = requests.Request(method, self.base_url + path, auth=auth, **kwargs).prepare()
        from ..dispatch import dispatch

        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        answer = dispatch(self.app, method, str(prepared.url), dict(prepared.headers), body)
        kind = dict(answer.headers).get("Content-Type", "")
        return Exchange(flow, method, path, answer.status, kind, answer.body)

    def download(self, url: str) -> bytes:
        from ..dispatch import dispatch

        return dispatch(self.app, "GET", url, {}, None).body
