"""Which recorded request answers a replayed one: named matchers, each comparing one feature
and saying, when it fails, how the two requests differ (VCR.py's ``match_on``).

``operation`` compares the contract's operation, not the path: a recorded path's parameters
are stand-ins (``/face_search/images/{id}``). ``images`` compares the image digests, keyed by
the recording key or plain, or only their number (see ``Replayer``). ``path``, ``query`` and
``body`` are there for a narrower match; the query and body are not compared by default,
since the recorder scrubs them and a replayed client's own values would never match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mockserver.contract.loading import load_contract
from mockserver.recording.request import KeptRequest


def _operation(request: KeptRequest) -> str:
    operation = load_contract().operation(request.path, request.method)
    return operation.path if operation is not None else request.path


MATCHERS: dict[str, Callable[[KeptRequest], Any]] = {
    "method": lambda r: r.method,
    "operation": _operation,
    "path": lambda r: r.path,
    "mode": lambda r: r.mode,
    "images": lambda r: r.images,
    "query": lambda r: tuple(sorted(r.query)),
    "body": lambda r: repr(r.body),
}
DEFAULT_MATCH_ON = ("method", "operation", "mode", "images")


def checked_match_on(names: Sequence[str] | str | None) -> tuple[str, ...]:
    """``names`` (a sequence, or one comma-separated text) as known matcher names; the
    default when None or empty; ValueError naming the unknown ones."""
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    chosen = tuple(names or DEFAULT_MATCH_ON)
    unknown = [n for n in chosen if n not in MATCHERS]
    if unknown:
        raise ValueError(f"match_on: no matcher named {', '.join(unknown)}; known: {', '.join(MATCHERS)}")
    return chosen


def features(request: KeptRequest, match_on: Sequence[str]) -> tuple[Any, ...]:
    """What ``request`` must share with a recorded one, matcher by matcher."""
    return tuple(MATCHERS[name](request) for name in match_on)
