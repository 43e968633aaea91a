"""Whose admin call this is: the whole fake's, or one tenant's.

- ``Authorization: Basic key:secret`` of an accepted key: the call acts on that key's
  tenant only, from any client (the credentials are the right; open tenants are admitted on
  first use, as API requests are). Another tenant's state is neither read nor changed.
- With an admin token configured (``ADMIN_TOKEN``), the token *is* the admin right, from
  every client, loopback included: ``Authorization: Bearer TOKEN``, compared in constant
  time. Nothing else stands in for it, since a balancer on the fake's own host makes any
  client look like loopback.
- Without a token: the whole fake, for the clients :mod:`mockserver.admin.loopback` lets in
  (loopback, and nothing a proxy forwarded unless ``--trusted-proxy`` names it).
- The fixtures' in-process app (no network crossed) is the test's own: always the whole fake.

Pages of another origin are refused in every case (cross-site request forgery), and so are
Host names not allowed (DNS rebinding), with a token too.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from flask import Request

from mockserver.admin.loopback import IN_PROCESS, client_address, host_refusal, is_loopback, origin_refusal, refusal
from mockserver.exceptions import CVSError
from mockserver.pipeline.auth import authenticate
from mockserver.state.fake_state import MockState

SCOPE_KEY = "mockserver.admin_scope"
TOKEN_NEEDED = "the admin API needs the admin token: send Authorization: Bearer TOKEN"


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
    kind, _, given = header.partition(" ")
    if kind.lower() == "basic":
        return _tenant_scope(request, state, header)
    if _in_process(request):
        return WHOLE
    token = config.get("ADMIN_TOKEN")
    if not token:
        _refuse(refusal(request, config))
        return WHOLE
    if kind.lower() != "bearer":
        raise Refused(TOKEN_NEEDED, token=True)
    if not hmac.compare_digest(given.strip().encode("utf-8", "surrogatepass"), str(token).encode()):
        raise Refused("wrong admin token", token=True)
    _refuse(origin_refusal(request, config) or host_refusal(request, config))
    return WHOLE


def _tenant_scope(request: Request, state: MockState, header: str) -> Scope:
    try:
        _, admission = authenticate(state.store, header, state.open_tenants, state.config.get("TENANT_QUOTA"))
    except CVSError:
        raise Refused("these credentials are not a key of this fake", status=401) from None
    _refuse(origin_refusal(request, state.config))
    if is_loopback(client_address(request, state.config)):
        _refuse(host_refusal(request, state.config))
    return Scope(admission.tenant)


def _refuse(reason: str | None) -> None:
    if reason is not None:
        raise Refused(reason)


def _in_process(request: Request) -> bool:
    return bool(request.environ.get(IN_PROCESS))


def describe(scope: Scope) -> dict[str, Any]:
    return {"tenant": scope.tenant} if scope.tenant else {}
