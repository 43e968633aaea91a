"""The helpers every server-like fixture shares: journal, usage, reset, forced outcomes,
keys, registered files. They speak to the fake's admin API (``/__mock__/``), in-process or
over HTTP, so the same helper works against a shared ``cvs-mock serve`` too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from mockserver.contract.catalogue import FLOWS


@dataclass(frozen=True)
class Credentials:
    """An api_key / api_secret pair; ``auth`` suits requests and httpx."""

    api_key: str
    api_secret: str

    @property
    def auth(self) -> tuple[str, str]:
        return (self.api_key, self.api_secret)


DEMO = Credentials("demo", "p@55w0rd")


class AdminError(RuntimeError):
    """The fake's admin API refused a helper call; the message is the fake's reason."""


class AdminTransport(Protocol):
    def __call__(
        self, method: str, path: str, json: Any = None, data: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, Any]: ...


class FakeHelpers:
    """Control and inspect a fake through its admin API."""

    def __init__(self, admin: AdminTransport) -> None:
        self._admin = admin
        self._named: dict[str, str] = {}  # key name a test asked for -> the name the fake gave it

    def use_admin(self, admin: AdminTransport) -> None:
        """Send the helpers' admin calls through ``admin`` from now on (the plugin wraps a
        remote server's admin API so a missing one skips the test instead of failing it)."""
        self._admin = admin

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        status, body = self._admin(method, path, **kwargs)
        if status >= 400:
            reason = body.get("error") if isinstance(body, dict) else body
            raise AdminError(f"{method} /__mock__{path} -> {status}: {reason}")
        return body

    @property
    def journal(self) -> list[dict[str, Any]]:
        """Requests the fake received, oldest first (credentials redacted)."""
        return list(self._call("GET", "/journal")["entries"])

    def requests(self, **filters: str | int) -> list[dict[str, Any]]:
        """The journal entries that match every filter, oldest first: ``endpoint``, ``flow``,
        ``code``, ``key``, ``trigger`` (``"forced:*"`` matches a prefix), ``since`` (an entry id).
        WireMock's ``findAll``; ``count`` is its ``countRequestsMatching``."""
        return list(self._call("GET", "/journal?" + urlencode(filters))["entries"])

    def count(self, **filters: str | int) -> int:
        """How many journal entries match every filter (see :meth:`requests`)."""
        return int(self._call("GET", "/journal?" + urlencode({**filters, "count": "true"}))["count"])

    def usage(self) -> dict[str, Any]:
        """Per key and endpoint: ``totals[key][endpoint] == {"requests": n, "billable": b}``."""
        return dict(self._call("GET", "/usage"))

    def billable(self, api_key: str | None = None) -> int:
        """How many billable requests ``api_key`` (default: the fixture's own key) has made."""
        own = getattr(self, "credentials", DEMO).api_key
        name = self._named.get(api_key, api_key) if api_key is not None else own
        return sum(c["billable"] for c in self.usage()["totals"].get(name, {}).values())

    def reset(self, forget: bool = False) -> None:
        """Forget galleries, files, usage, journal and queued outcomes (of this test's tenant
        only, against a shared fake with open tenants). ``forget``: the tenant's key goes too,
        as when a test is done with a shared fake, so finished tests leave no key behind."""
        self._call("POST", "/reset?forget=true" if forget else "/reset")
        self._named.clear()

    def force(self, flow: str, count: int = 1, **outcome: Any) -> None:
        """Make the next ``count`` requests of ``flow`` answer ``outcome``: ``code=4``,
        ``body={...}``, ``fault="drop"|"cut"|"truncate"|"non_json"|"gateway"|"latency"``
        (drop: the connection closes before any byte of the answer; cut: the body stops
        mid-stream; truncate: a complete but short body)
        (with ``status`` or ``seconds``), or ``extra={...}`` added to a normal answer."""
        if flow not in FLOWS:
            raise ValueError(f"flow must be one of {FLOWS}")
        self._call("POST", "/outcomes", json={"flow": flow, "count": count, **outcome})

    def add_key(self, api_key: str, api_secret: str, quota: int | None = None) -> Credentials:
        """Create a key; ``quota`` counts billable requests (None: unlimited). On a shared fake
        the key belongs to this test's tenant and is named after it (``NAME@TENANT``, so
        suites never collide): use the returned credentials; ``billable(NAME)`` still works."""
        body = self._call("POST", "/keys", json={"api_key": api_key, "api_secret": api_secret, "quota": quota})
        given = str(body.get("api_key", api_key)) if isinstance(body, dict) else api_key
        self._named[api_key] = given
        return Credentials(given, api_secret)

    def dialect(self) -> dict[str, Any]:
        """The dialect the fake speaks: ``{"name", "options", "changed", "choices", "named"}``."""
        return dict(self._call("GET", "/dialect"))

    def use_dialect(self, name: str | None = None, **options: str) -> dict[str, Any]:
        """Speak a named dialect and/or set options until the next reset; option names have
        dots, so pass them as a mapping: ``use_dialect(**{"ocr.date_separator": "slash"})``."""
        body: dict[str, Any] = {"options": options}
        if name is not None:
            body["dialect"] = name
        return dict(self._call("PUT", "/dialect", json=body))

    def use_cassette(
        self, *paths: str, strict: bool = False, after_last: str = "cycle", match_on: list[str] | None = None
    ) -> int:
        """Answer from recorded cassettes until the next reset; returns how many interactions
        they hold. ``strict``: a request none answers gets HTTP 501 naming the closest one.
        ``after_last``: once a request's answers are used, ``cycle`` (start over), ``repeat``
        (the last again) or ``exhausted`` (none). ``match_on``: the matchers a request must
        pass (default method, operation, mode, images; also path, query, body)."""
        request: dict[str, Any] = {"cassettes": [str(p) for p in paths], "strict": strict, "after_last": after_last}
        if match_on is not None:
            request["match_on"] = list(match_on)
        body = self._call("PUT", "/replay", json=request)
        return int(body["interactions"])

    def register_file(self, data: bytes, content_type: str = "image/png") -> str:
        """Host bytes on the fake; url mode "downloads" the returned URL from memory."""
        return str(self._call("POST", "/files", data=data, content_type=content_type)["url"])
