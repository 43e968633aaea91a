"""The request record: what the steps of one API request share, declared in one place.

The pipeline creates an :class:`RequestRecord` when a request reaches a flow view and keeps it in
the WSGI environ, so it lives exactly as long as the request and is reached through one
accessor, :func:`current_exchange`. Who writes what:

- the pipeline: ``state``, ``flow``, ``endpoint``, ``api_key``, ``tenant``, ``voice``,
  ``spent``, ``forced``, ``replayed``, ``fault``, ``drift``, ``answer``, ``rendered`` and the
  final ``trigger``;
- views (which receive the record as their first argument) and input decoding:
  ``picture_trigger`` (what the picture decided), ``notes`` and ``json_body``;
- the error handlers: ``trigger``, ``answer`` and ``rendered`` of answers that never reach a
  view (404, 405, 413, 500, 503);
- the self-check reads ``rendered``, ``forced`` and ``replayed``; the accounting point
  (``mockserver.pipeline.accounting``) reads the rest.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import request

from mockserver.exceptions import CVSError

if TYPE_CHECKING:
    from mockserver.state.fake_state import MockState

__all__ = ["TRIGGER_HEADER", "NOTE_HEADER", "RequestRecord", "current_exchange", "header_value", "start_exchange"]
_HEADER_SAFE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


def header_value(text: str) -> str:
    """``text`` as a valid header value: anything outside printable ASCII (a cassette named in
    Vietnamese, say) is percent-encoded, so ``urllib.parse.unquote`` gives the text back."""
    return quote(text, safe=_HEADER_SAFE)


TRIGGER_HEADER = "X-CVS-Mock-Trigger"
NOTE_HEADER = "X-CVS-Mock-Note"
ENVIRON_KEY = "mockserver.exchange"
UNREAD: Any = object()  # the JSON body has not been parsed yet
UNSENT: Any = object()  # no JSON answer has been rendered
_UNPARSED: Any = object()  # get_thumb has not been read yet


@dataclass(eq=False)
class RequestRecord:
    """One API request as the fake handles it."""

    state: MockState | None = None  # the fake the request reached
    flow: str = "-"
    endpoint: str = "-"
    api_key: str | None = None  # the authenticated key, once auth passed
    tenant: str | None = None  # whose state the request reads and writes, once auth passed
    voice: Any = None  # the Voice (dialect) the answer is spoken in, once known
    trigger: str = "default"  # what decided the answer; sent back in X-CVS-Mock-Trigger
    picture_trigger: str | None = None  # what the decoded picture decided, set by the view
    spent: bool = False  # a unit of a limited key's quota was reserved before the work
    forced: bool = False  # a queued outcome or replay miss: sent as given, not self-checked
    replayed: bool = False  # a recorded answer from a cassette
    fault: dict[str, Any] | None = None  # the forced fault that mangles the answer
    drift: list[str] | None = None  # how a replayed answer departs from the tolerant contract
    notes: list[str] = field(default_factory=list)  # sent back in X-CVS-Mock-Note
    json_body: Any = UNREAD  # the request body parsed as JSON, once read
    code: str = "-"  # the answer's code, as billing and the journal read it
    answer: Any = UNSENT  # the answer body before its dialect: what billing and warnings read
    rendered: Any = UNSENT  # the answer body as sent, so the self-check need not parse it
    _thumb: Any = _UNPARSED
    started: float = field(default_factory=time.perf_counter)  # when the record was made: the request's start

    @property
    def fake(self) -> MockState:
        """The fake's state; a view's record always has it."""
        assert self.state is not None, "the pipeline sets the state before any view runs"
        return self.state

    def thumb_wanted(self) -> bool:
        """``get_thumb``: ``true`` or ``false`` in any letter case, absent meaning false; any
        other value is a bad parameter, answered like a bad ``format_type`` (D49). Read once."""
        if self._thumb is _UNPARSED:
            value = request.args.get("get_thumb")
            if value is None or value.lower() == "false":
                self._thumb = False
            elif value.lower() == "true":
                self._thumb = True
            else:
                raise CVSError("format_type", "input:bad-get-thumb", value)
        return bool(self._thumb)

    def again(self) -> RequestRecord:
        """A fresh record of the same request, to answer it again from the start: it keeps
        what was read of the request (its JSON body, ``get_thumb``, its start), and the
        uploaded files are rewound for the views to read again."""
        for part in request.files.values():
            part.stream.seek(0)
        fresh = RequestRecord(state=self.state, flow=self.flow, endpoint=self.endpoint, json_body=self.json_body)
        fresh._thumb, fresh.started = self._thumb, self.started
        request.environ[ENVIRON_KEY] = fresh
        return fresh

    def note(self, *texts: str) -> None:
        self.notes.extend(t for t in texts if t)

    @property
    def note_text(self) -> str:
        return "; ".join(self.notes)


def start_exchange(state: MockState, flow: str, endpoint: str) -> RequestRecord:
    """The record of the request being handled, created by the pipeline for a flow view."""
    exchange = RequestRecord(state=state, flow=flow, endpoint=endpoint)
    request.environ[ENVIRON_KEY] = exchange
    return exchange


def current_exchange() -> RequestRecord:
    """The record of the request being handled; requests no view took (404, 405, 413) get an
    empty one the first time it is asked for."""
    environ = request.environ
    exchange: RequestRecord | None = environ.get(ENVIRON_KEY)
    if exchange is None:
        exchange = environ[ENVIRON_KEY] = RequestRecord()
    return exchange
