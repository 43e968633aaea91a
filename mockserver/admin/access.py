"""Whose admin call this is: the whole fake's, or one tenant's.

- ``Authorization: Basic key:secret`` of an accepted key: the call acts on that key's
  tenant only, from any client (the credentials are the right; open tenants are admitted on
  first use, as API requests are). Another tenant's state is neither read nor changed.
- ``Authorization: Bearer TOKEN`` matching ``ADMIN_TOKEN`` (compared in constant time): the
  whole fake, from any client.
- Neither: the whole fake, for the clients :mod:`mockserver.admin.loopback` lets in; with a
  token configured, a non-loopback client must carry it.

Pages of another origin are refused in every case (cross-site request forgery), and so are
Host names not allowed, for loopback clients (DNS rebinding targets those).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from flask import Request

from mockserver.admin.loopback import IN_PROCESS, host_refusal, is_loopback, origin_refusal, refusal
from mockserver.exceptions import CVSError
from mockserver.pipeline.auth import authenticate
from mockserver.state.fake_state import MockState

SCOPE_KEY = "mockserver.admin_scope"
TOKEN_NEEDED = "the admin API needs the admin token from this client: send Authorization: Bearer TOKEN"


@dataclass(frozen=True)
class Scope:
    tenant: str | None  # None: the whole fake

    @property
    def whole(self) -> bool:
        return self.tenant is None


WHOLE = Scope(None)


class Refused(Exception):
    def __init__(self, message: str, status: int = 403, token: bool = False) -> None:
        super().__init__(message)
        self.status, self.token = status, token


def admin_scope(request: Request, state: MockState) -> Scope:
    """The scope of an admin call, remembered for the request; Refused says why it has none."""
    found: Scope | None = request.environ.get(SCOPE_KEY)
    if found is None:
        found = request.environ[SCOPE_KEY] = _decide(request, state)
    return found


def _decide(request: Request, state: MockState) -> Scope:
    config = state.config
    header = request.headers.get("Authorization") or ""
    kind = header.split(" ", 1)[0].lower()
    if kind == "basic":
        return _tenant_scope(request, state, header)
    token = config.get("ADMIN_TOKEN")
    if kind == "bearer" and token:
        given = header.split(" ", 1)[1].strip() if " " in header else ""
        if not hmac.compare_digest(given.encode("utf-8", "surrogatepass"), str(token).encode()):
            raise Refused("wrong admin token", token=True)
        _refuse(origin_refusal(request, config))
        return WHOLE
    if token and not is_loopback(request.remote_addr) and not _in_process(request):
        raise Refused(TOKEN_NEEDED, token=True)
    _refuse(refusal(request, {**config, "ADMIN_REMOTE": config.get("ADMIN_REMOTE") and not token}))
    return WHOLE


def _tenant_scope(request: Request, state: MockState, header: str) -> Scope:
    try:
        _, admission = authenticate(state.store, header, state.open_tenants, state.config.get("TENANT_QUOTA"))
    except CVSError:
        raise Refused("these credentials are not a key of this fake", status=401) from None
    _refuse(origin_refusal(request, state.config))
    if is_loopback(request.remote_addr):
        _refuse(host_refusal(request, state.config))
    return Scope(admission.tenant)


def _refuse(reason: str | None) -> None:
    if reason is not None:
        raise Refused(reason)


def _in_process(request: Request) -> bool:
    return bool(request.environ.get(IN_PROCESS))


def describe(scope: Scope) -> dict[str, Any]:
    return {"tenant": scope.tenant} if scope.tenant else {}
