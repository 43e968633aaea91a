"""Start-up values, checked before anything is bound or opened: each bad one is a
:class:`StartupError` whose message names the option and the reason, so ``cvs-mock`` prints
one line and exits 2 instead of a traceback, a hang or a server that refuses every request."""

from __future__ import annotations

import errno
import os
from urllib.parse import urlsplit

from mockserver import limits
from mockserver.admin.loopback import trusted_networks

SQL_SCHEMES = ("postgresql", "postgres")


class StartupError(ValueError):
    """A start-up value that cannot work; the message names the option."""


def check_port(port: int, option: str = "--port") -> None:
    if not 0 <= port <= 65535:
        raise StartupError(f"{option} {port}: a port is a whole number from 1 to 65535 (0 picks a free one)")


def check_at_least(option: str, value: float, low: float, unit: str = "") -> None:
    if not value >= low:  # also refuses NaN
        raise StartupError(f"{option} {value:g}: must be {low:g}{unit} or more")


def check_positive(option: str, value: float) -> None:
    if not value > 0 or value == float("inf"):
        raise StartupError(f"{option} {value:g}: must be a number above 0")


def check_quota(option: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= limits.QUOTA_MAX:
        raise StartupError(f"{option} {value}: must be a whole number from 0 to {limits.QUOTA_MAX}")


def check_trusted_proxies(values: list[str]) -> None:
    try:
        trusted_networks(values)
    except ValueError as exc:
        raise StartupError(str(exc)) from None


def check_state(state: str | None) -> None:
    """``--state``: a ``postgresql://`` URL, or a SQLite file whose folder exists and that is
    not a folder itself. (Whether a database answers is known only on connecting, which waits
    the documented time and then fails with its own one-line message.)"""
    if state is None:
        return
    if "://" in state:
        scheme = state.split("://", 1)[0].lower()
        if scheme not in SQL_SCHEMES:
            raise StartupError(
                f"--state {_shown(state)}: unknown scheme {scheme!r}; give a SQLite file path or a postgresql:// URL"
            )
        if not urlsplit(state).hostname and "host=" not in state:
            raise StartupError(f"--state {_shown(state)}: the URL names no database host")
        return
    if os.path.isdir(state):
        raise StartupError(f"--state {state}: is a folder; give the path of a SQLite file (it is made if missing)")
    folder = os.path.dirname(os.path.abspath(state))
    if not os.path.isdir(folder):
        raise StartupError(f"--state {state}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) and not os.path.exists(state):
        raise StartupError(f"--state {state}: the folder {folder} is not writable")


def check_url(option: str, url: str) -> None:
    """An http(s) URL with a host, as ``--upstream`` and ``--base-url`` take."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StartupError(f"{option} {url[:200]!r}: give an http:// or https:// URL with a host name")
    try:
        parts.port  # noqa: B018  # raises on a port that is not a number or out of range
    except ValueError:
        raise StartupError(f"{option} {url[:200]!r}: the port is not a number from 1 to 65535") from None


def bind_error(exc: OSError, host: str, port: int) -> StartupError:
    """The OSError of a failed bind, as one line naming what could not be bound."""
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return StartupError(f"cannot listen on {where}: the address is in use (another server holds the port)")
    if exc.errno == errno.EADDRNOTAVAIL:
        return StartupError(f"cannot listen on {where}: no interface of this machine has that address")
    if exc.errno == errno.EACCES:
        return StartupError(f"cannot listen on {where}: permission denied (ports under 1024 need privileges)")
    return StartupError(f"cannot listen on {where}: {exc.strerror or exc}")


def _shown(state: str) -> str:
    from mockserver.state.store.postgres import without_password

    return without_password(state)
