"""The one place an answer becomes JSON on the wire.

Every answer of the API paths is rendered here: a view's success body, a documented refusal
raised by a view, and the refusals no view made (405, 413, 503, 500) from the HTTP error
handlers and the proxy. A refusal is a catalogue entry rendered as its flow's envelope;
``renderer`` speaks it in a dialect (the proxy, which has none, sends the catalogue's words).
"""

from __future__ import annotations

from typing import Any, Protocol

from flask import Response, jsonify

from mockserver.contract.catalogue import Catalogue
from mockserver.pipeline.exchange import TRIGGER_HEADER, RequestRecord, header_value


class Speaks(Protocol):
    """A dialect's rewrite of one answer (``mockserver.contract.dialects.render.Renderer``)."""

    def render(self, flow: str, endpoint: str | None, body: Any) -> Any: ...


def spoken(body: Any, renderer: Speaks | None, flow: str, endpoint: str | None = None) -> Any:
    """``body`` in ``renderer``'s dialect; as given without one."""
    return body if renderer is None else renderer.render(flow, endpoint, body)


def json_answer(body: Any, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


def rendered(
    body: Any, status: int, renderer: Speaks | None = None, flow: str = "-", endpoint: str | None = None
) -> Response:
    """``body`` as a JSON answer with ``status``, spoken by ``renderer`` when given."""
    return json_answer(spoken(body, renderer, flow, endpoint), status)


def envelope(
    flow: str,
    entry: dict[str, Any],
    status: int,
    trigger: str,
    *,
    catalogue: Catalogue,
    renderer: Speaks | None = None,
    record: RequestRecord | None = None,
) -> Response:
    """The catalogue ``entry`` of ``flow`` as its envelope with ``status``, naming ``trigger``;
    with ``record``, the request record keeps the answer and its trigger for the accounting."""
    body = catalogue.error_body(flow, entry)
    sent = spoken(body, renderer, flow)
    response = json_answer(sent, status)
    response.headers[TRIGGER_HEADER] = header_value(trigger)
    if record is not None:
        record.trigger, record.answer, record.rendered = trigger, body, sent
        if record.flow == "-":
            record.flow = flow
    return response
