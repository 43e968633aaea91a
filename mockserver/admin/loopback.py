"""Who may reach the admin API and the dashboard: loopback clients, and no foreign page.

Three refusals, each for its own attack:
- a non-loopback client (unless ``ADMIN_REMOTE``): the fake's controls are for its own host;
- a browser request whose ``Origin`` is another site (unless that origin was allowed with
  ``ADMIN_CORS``): a page the developer happens to visit must not reset the fake, add keys
  or force outcomes behind their back (cross-site request forgery);
- a browser request for a ``Host`` that is not a loopback name (unless ``ADMIN_REMOTE``):
  a DNS-rebinding page that points its own name at 127.0.0.1 is same-origin to itself.
Programs (the fixtures, curl) send no ``Sec-Fetch-*`` or ``Origin`` headers and are judged by
their address alone.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from flask import Request

from mockserver.pipeline.cors import cors_origins

LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0].strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def refusal(request: Request, config: Any) -> str | None:
    """Why this request may not use the admin API or the dashboard, or None."""
    remote_ok = bool(config.get("ADMIN_REMOTE"))
    if not remote_ok and not is_loopback(request.remote_addr):
        return "the admin API answers loopback clients only; start cvs-mock with --admin-remote"
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}" and not _origin_allowed(origin, config):
        return f"the admin API refuses requests from pages of another origin ({origin[:80]})"
    from_browser = origin is not None or "Sec-Fetch-Site" in request.headers
    host = _host_name(request.host.lower())
    if from_browser and not remote_ok and host not in LOOPBACK_NAMES and not is_loopback(host):
        return "the admin API answers browsers only at a loopback address (127.0.0.1, localhost, [::1])"
    return None


def _origin_allowed(origin: str, config: Any) -> bool:
    if not config.get("ADMIN_CORS"):
        return False
    allowed = cors_origins(config.get("CORS_ORIGINS"))
    return "*" in allowed or origin in allowed
