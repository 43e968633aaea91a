"""Who may reach the admin API and the dashboard without the admin token: loopback clients
that no proxy forwarded, and no foreign page.

Four refusals, each for its own attack:
- a non-loopback client (unless ``ADMIN_REMOTE``): the fake's controls are for its own host;
- a request a proxy forwarded (``Forwarded``, ``X-Forwarded-*``, ``Via``, ``X-Real-IP``)
  from a peer not named in ``TRUSTED_PROXIES`` (``--trusted-proxy``): a balancer on the
  fake's own host makes every client look like loopback, so its requests prove nothing;
  behind a trusted proxy the client it forwarded for is judged instead;
- a browser request whose ``Origin`` is another site (unless that origin was allowed with
  ``ADMIN_CORS``): a page the developer happens to visit must not reset the fake, add keys
  or force outcomes behind their back (cross-site request forgery);
- any request, of any method and whatever its headers, for a ``Host`` that is not a loopback
  name, an IP address, a name in ``ALLOWED_HOSTS`` (``--allowed-host``): a DNS-rebinding page
  that points its own name at 127.0.0.1 is same-origin to itself, and its same-origin GETs
  carry neither ``Origin`` nor ``Sec-Fetch-*``. A rebound page always names a DNS name, so an
  IP address as Host is never one. Hosted files are held to this rule alone.

Nothing here is a credential: a balancer on the fake's own host that adds no forwarding
header cannot be told from a local client, which is why a shared deployment configures an
admin token (:mod:`mockserver.admin.access`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from flask import Request

from mockserver.pipeline.cors import cors_origins

LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}
IN_PROCESS = "mockserver.in_process"  # a WSGI environ key no network client can set
FORWARDING = {"forwarded", "via", "x-real-ip"}  # and every X-Forwarded-* header
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
NOT_FORWARDED = (
    "the admin API does not trust a request a proxy forwarded ({headers}): behind a proxy or "
    "load balancer, configure an admin token (--admin-token-file), or name the proxy with --trusted-proxy ADDR"
)
LOOPBACK_ONLY = "the admin API answers loopback clients only; start cvs-mock with --admin-remote"


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").split("%")[0].strip("[]"))
    except ValueError:
        return None


def is_loopback(address: str | None) -> bool:
    found = _address(address)
    return found is not None and found.is_loopback


def trusted_networks(values: Iterable[str] | str | None) -> tuple[Network, ...]:
    """``--trusted-proxy`` values (addresses or networks) parsed; ValueError names a bad one."""
    if values is None:
        return ()
    given = [values] if isinstance(values, str) else list(values)
    networks = []
    for value in given:
        try:
            networks.append(ipaddress.ip_network(str(value).strip().strip("[]"), strict=False))
        except ValueError:
            raise ValueError(f"--trusted-proxy: {value!r} is not an IP address or network") from None
    return tuple(networks)


def _trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    found = _address(address)
    return found is not None and any(found in network for network in networks)


def forwarding_headers(request: Request) -> list[str]:
    """The names of the forwarding headers a request carries."""
    return sorted(
        name for name in request.headers.keys() if name.lower() in FORWARDING or name.lower().startswith("x-forwarded-")
    )


def _forwarded_for(request: Request) -> list[str]:
    """The client chain a proxy reported, nearest last (``X-Forwarded-For``, else ``Forwarded``)."""
    chain = ",".join(request.headers.getlist("X-Forwarded-For"))
    if chain:
        return [hop.strip() for hop in chain.split(",") if hop.strip()]
    hops = []
    for element in ",".join(request.headers.getlist("Forwarded")).split(","):
        for pair in element.split(";"):
            name, _, value = pair.strip().partition("=")
            if name.lower() == "for":
                hops.append(_host_name(value.strip('"')))
    return hops


def client_address(request: Request, config: Any) -> str | None:
    """The address the admin right is judged by: the peer when nothing was forwarded; behind a
    trusted proxy, the nearest client it forwarded for that is not a trusted proxy itself;
    None when a peer that is not trusted forwarded the request (its client is unknown)."""
    peer = request.remote_addr
    if not forwarding_headers(request):
        return peer
    networks = trusted_networks(config.get("TRUSTED_PROXIES"))
    if not _trusted(peer, networks):
        return None
    chain = _forwarded_for(request)
    for hop in reversed(chain):
        if not _trusted(hop, networks):
            return hop
    return chain[0] if chain else None


def refusal(request: Request, config: Any) -> str | None:
    """Why this request may not use the admin API or the dashboard without the admin token, or None."""
    if not config.get("ADMIN_REMOTE"):
        client = client_address(request, config)
        if client is None:
            return NOT_FORWARDED.format(headers=", ".join(forwarding_headers(request)))
        if not is_loopback(client):
            return LOOPBACK_ONLY
    return origin_refusal(request, config) or host_refusal(request, config)


def origin_refusal(request: Request, config: Any) -> str | None:
    """Why a browser page of another origin may not make this call, or None."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.host}" and not _origin_allowed(origin, config):
        return f"the admin API refuses requests from pages of another origin ({origin[:80]})"
    return None


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_refusal(request: Request, config: Any) -> str | None:
    """Why the ``Host`` this request names may not reach the admin API, the dashboard or the
    hosted files, or None."""
    if request.environ.get(IN_PROCESS):  # the fixtures' interception: no network, no rebinding
        return None
    host = _host_name(request.host.lower())
    if host in LOOPBACK_NAMES or _address(host) is not None or host.rstrip(".") in allowed_hosts(config):
        return None
    shown = "".join(c if c.isprintable() else "?" for c in host[:80])
    return (
        f"the admin API answers only at a loopback host name (127.0.0.1, localhost, [::1]), an IP address "
        f"or a name allowed with --allowed-host; this request named {shown!r}"
    )


def allowed_hosts(config: Any) -> set[str]:
    """The host names ``--allowed-host`` adds (any port; a trailing dot ignored)."""
    return {_host_name(name.lower()).rstrip(".") for name in config.get("ALLOWED_HOSTS") or ()}


def _origin_allowed(origin: str, config: Any) -> bool:
    if not config.get("ADMIN_CORS"):
        return False
    allowed = cors_origins(config.get("CORS_ORIGINS"))
    return "*" in allowed or origin in allowed
