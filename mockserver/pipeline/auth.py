"""HTTP Basic authentication as the vendor documents it: ``Authorization: Basic base64(key:secret)``."""

from __future__ import annotations

import binascii
import re

from werkzeug.datastructures import Authorization

from mockserver.exceptions import CVSError
from mockserver.state.store import Admission, Steering, Store

# Exactly the documented form: the "Basic" token, one space, padded standard base64.
_HEADER = re.compile(r"Basic [A-Za-z0-9+/]+={0,2}")
MAX_HEADER = 4096
# A tenant's own keys are named KEY@TENANT, so no open tenant's name may hold the separator:
# a pair named k@victim would otherwise squat the key k of the tenant victim.
TENANT_SEPARATOR = "@"


def credentials(header: str | None) -> tuple[str, str]:
    """(api_key, api_secret) from a header; CVSError('auth') for anything else."""
    if not header:
        raise CVSError("auth", "auth:missing")
    if len(header) > MAX_HEADER or not _HEADER.fullmatch(header):
        raise CVSError("auth", "auth:malformed")
    try:
        parsed = Authorization.from_header(header)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parsed = None
    if parsed is None or parsed.type != "basic":
        raise CVSError("auth", "auth:malformed")
    key, secret = parsed.username or "", parsed.password or ""
    if not key or not secret or any(ch in key + secret for ch in "\x00\r\n"):
        raise CVSError("auth", "auth:malformed")
    return key, secret


def authenticate(
    store: Store, header: str | None, open_tenants: bool = False, tenant_quota: int | None = None
) -> tuple[str, Admission]:
    """(api_key, admission) of a request whose credentials the store accepts. With open
    tenants, a key nobody has used yet is admitted as a new tenant with this secret, fixed
    from then on, unless its name holds ``@`` (the namespace of tenants' own keys); a wrong
    secret for a known key is refused all the same."""
    key, secret = credentials(header)
    admission = store.keys.check(key, secret)
    if not admission.accepted and open_tenants and TENANT_SEPARATOR not in key:
        # Checked again whoever made it: a concurrent first request of the same pair may have.
        store.keys.create(key, secret, tenant_quota, None)
        admission = store.keys.check(key, secret)
    if not admission.accepted:
        raise CVSError("auth", "auth:wrong")
    return key, admission


def admit(
    store: Store, header: str | None, flow: str, open_tenants: bool = False, tenant_quota: int | None = None
) -> tuple[str, Steering]:
    """(api_key, steering) of an API request: :func:`authenticate` and what steers the request
    read at once (``Store.steer``). A refused key's steering is returned, not raised, so the
    refusal is spoken in the dialect its settings name; malformed credentials raise."""
    key, secret = credentials(header)
    steering = store.steer(key, secret, flow)
    if not steering.admission.accepted and open_tenants and TENANT_SEPARATOR not in key:
        store.keys.create(key, secret, tenant_quota, None)  # checked again, as in authenticate
        steering = store.steer(key, secret, flow)
    return key, steering


def tenant_of(store: Store, header: str | None) -> str | None:
    """The tenant a request's valid credentials name, or None; never raises (for answers
    made before or without the pipeline: 404, 405, 413)."""
    try:
        key, secret = credentials(header)
    except CVSError:
        return None
    return store.keys.check(key, secret).tenant
