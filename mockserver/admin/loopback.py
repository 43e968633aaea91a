"""Who may reach the admin API and the dashboard: loopback clients, and no foreign page.

Three refusals, each for its own attack:
- a non-loopback client (unless ``ADMIN_REMOTE``): the fake's controls are for its own host;
- a browser request whose ``Origin`` is another site (unless that origin was allowed with
  ``ADMIN_CORS``): a page the developer happens to visit must not reset the fake, add keys
  or force outcomes behind their back (cross-site request forgery);
- any request, of any method and whatever its headers, for a ``Host`` that is not a loopback
  name, a name in ``ALLOWED_HOSTS`` (``--allowed-host``) or, under ``ADMIN_REMOTE``, the
  address the server is bound to: a DNS-rebinding page that points its own name at 127.0.0.1
  is same-origin to itself, and its same-origin GETs carry neither ``Origin`` nor
  ``Sec-Fetch-*``. Hosted files are held to this rule alone.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from flask import Request

from mockserver.pipeline.cors import cors_origins

LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}
IN_PROCESS = "mockserver.in_process"  # a WSGI environ key no network client can set


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
    return origin_refusal(request, config) or host_refusal(request, config)


def origin_refusal(request: Request, config: Any) -> str | None:
    """Why a browser page of another origin may not make this call, or None."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}" and not _origin_allowed(origin, config):
        return f"the admin API refuses requests from pages of another origin ({origin[:80]})"
    return None


def host_refusal(request: Request, config: Any) -> str | None:
    """Why the ``Host`` this request names may not reach the admin API, the dashboard or the
    hosted files, or None."""
    if request.environ.get(IN_PROCESS):  # the fixtures' interception: no network, no rebinding
        return None
    host = _host_name(request.host.lower())
    if host in LOOPBACK_NAMES or is_loopback(host) or host.rstrip(".") in allowed_hosts(config):
        return None
    bound = str(config.get("BIND_HOST") or "").lower().strip("[]")
    if config.get("ADMIN_REMOTE") and bound and host == bound and bound not in ("0.0.0.0", "::"):
        return None
    shown = "".join(c if c.isprintable() else "?" for c in host[:80])
    return (
        f"the admin API answers only at a loopback host name (127.0.0.1, localhost, [::1]) or one "
        f"allowed with --allowed-host; this request named {shown!r}"
    )


def allowed_hosts(config: Any) -> set[str]:
    """The host names ``--allowed-host`` adds (any port; a trailing dot ignored)."""
    return {_host_name(name.lower()).rstrip(".") for name in config.get("ALLOWED_HOSTS") or ()}


def _origin_allowed(origin: str, config: Any) -> bool:
    if not config.get("ADMIN_CORS"):
        return False
    allowed = cors_origins(config.get("CORS_ORIGINS"))
    return "*" in allowed or origin in allowed
