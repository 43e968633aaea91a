"""Which calls the fixtures answer, and where a served fake takes them.

A test's client calls the vendor's hosts (or a ``--cvs-intercept`` URL). In-process, those
calls are answered by the fake app; under ``--cvs-base-url`` they are sent to that served fake
instead, never to the vendor: a test that forgot to change its base URL still cannot reach
the real API (only ``--cvs-allow-real`` lets it). Calls to any other host are left alone.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from .fake import DEMO, Credentials

CVS_HOSTS = ("cloud.computervision.com.vn", "demo.computervision.com.vn")
DEFAULT_BASE_URL = "https://cloud.computervision.com.vn"


def is_vendor_url(url: str) -> bool:
    """Whether ``url`` names one of the vendor's documented hosts."""
    return (urlsplit(url).hostname or "").lower().rstrip(".") in CVS_HOSTS


def _authority(url: str) -> str:
    parts = urlsplit(url if "://" in url else f"//{url}")
    return (parts.netloc or "").lower()


@dataclass(frozen=True)
class Routes:
    """The calls a fixture takes: the vendor's hosts and the intercepted base URLs."""

    intercepted: tuple[str, ...] = ()  # authorities (host[:port]) of --cvs-intercept URLs

    @classmethod
    def of(cls, intercept: Iterable[str] = ()) -> Routes:
        return cls(tuple(_authority(u.rstrip("/")) for u in intercept))

    def takes(self, url: str) -> bool:
        return is_vendor_url(url) or _authority(url) in self.intercepted


def rebased(url: str, base_url: str) -> str:
    """``url``'s path and query on ``base_url`` (the served fake)."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{base_url.rstrip('/')}{parts.path or '/'}{query}"


def basic(credentials: Credentials) -> str:
    pair = f"{credentials.api_key}:{credentials.api_secret}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")


DROPPED_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


def forwarded_headers(headers: Mapping[str, str], credentials: Credentials) -> dict[str, str]:
    """A call's headers as they go to the served fake: its host's own are recomputed, and the
    documented demo pair becomes the test's own tenant, so code that hard-codes the demo pair
    still lands in this test's state on a shared fake. Any other credentials go as sent (a
    test of a wrong secret still gets the auth error)."""
    sent = {k: v for k, v in headers.items() if k.lower() not in DROPPED_HEADERS}
    for name, value in list(sent.items()):
        if name.lower() == "authorization" and value == basic(DEMO) and credentials != DEMO:
            sent[name] = basic(credentials)
    return sent
