"""HTTP Basic authentication as the vendor documents it: ``Authorization: Basic base64(key:secret)``."""

from __future__ import annotations

import binascii
import re

from werkzeug.datastructures import Authorization

from mockserver.exceptions import CVSError
from mockserver.state.store import Store

# Exactly the documented form: the "Basic" token, one space, padded standard base64.
_HEADER = re.compile(r"Basic [A-Za-z0-9+/]+={0,2}")
MAX_HEADER = 4096


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


def authenticate(store: Store, header: str | None) -> tuple[str, bool]:
    """(api_key, limited) of a request whose credentials the store accepts."""
    key, secret = credentials(header)
    accepted, limited = store.keys.check(key, secret)
    if not accepted:
        raise CVSError("auth", "auth:wrong")
    return key, limited
