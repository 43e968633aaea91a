"""Decode a request's images in the three documented modes: url, file (multipart), base64 (JSON).

Leniencies, each on purpose: base64 may carry MIME line breaks (the vendor's demos use
``base64.encodebytes``) or a ``data:`` URI prefix; URLs may arrive un-encoded; multipart parts
need no Content-Type; a missing ``format_type`` is inferred from the request.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import urlsplit

from flask import request

from mockserver import limits
from mockserver.exceptions import CVSError
from mockserver.media.pictures import Picture, open_picture, synthetic_picture
from mockserver.pipeline.exchange import UNREAD, current_exchange
from mockserver.state.fake_state import current_state

MODES = ("url", "file", "base64")
_FILE_PATH = re.compile(r"/__mock__/files/([A-Za-z0-9_-]+)$")
_DATA_URI = re.compile(r"^data:[\w/+.-]*;base64,", re.IGNORECASE)


def request_mode() -> str:
    """The mode the request really uses; errorCode 'format_type' when it contradicts format_type."""
    req = request._get_current_object()  # type: ignore[attr-defined]  # one lookup, not three
    if req.method == "GET":
        actual = "url"
    elif req.mimetype == "multipart/form-data":
        actual = "file"
    else:
        actual = "base64"
    declared = req.args.get("format_type")
    if declared is not None and declared != actual:
        raise CVSError("format_type", "input:format-type-mismatch", f"declared {declared!r}, sent {actual}")
    return actual


def pictures(names: tuple[str, ...], mode: str, pdf: bool = False) -> list[Picture]:
    """The decoded images named ``names`` in the request's mode, in order; a PDF only where
    ``pdf`` allows it (elsewhere it is not an image: 'Incorrect image format')."""
    found = _decoded(names, mode)
    if not pdf and any(p.pages is not None for p in found):
        raise CVSError("bad_image", "input:pdf-not-accepted")
    return found


def _decoded(names: tuple[str, ...], mode: str) -> list[Picture]:
    if mode == "url":
        return [picture_from_url(request.args.get(name)) for name in names]
    if mode == "file":
        return [_from_bytes(_file_part(name)) for name in names]
    body = json_body()
    if not isinstance(body, dict):
        body = {}
    # pop: once decoded, the base64 text is dead weight (it is the largest thing in memory)
    return [_from_bytes(decode_base64(body.pop(name, None))) for name in names]


def picture_from_url(url: str | None) -> Picture:
    """Registered files are served from memory; ``.invalid`` hosts are unreachable;
    any other URL stands for a deterministic image of its own."""
    if not url:
        raise CVSError("url_unavailable", "input:no-url")
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if not parts.scheme or not host or host == "invalid" or host.endswith(".invalid"):
        raise CVSError("url_unavailable", "url:unreachable", host)
    match = _FILE_PATH.search(parts.path)
    if match:
        found = current_state().store.files.get(match.group(1))
        if found is None:
            raise CVSError("url_unavailable", "url:no-such-file")
        return _from_bytes(found[0])
    return synthetic_picture(url)


def _file_part(name: str) -> bytes:
    part = request.files.get(name)
    if part is None:
        raise CVSError("bad_image", "input:missing-part", name)
    return bytes(part.read())


def json_body() -> Any:
    """The body as JSON whatever its Content-Type (the vendor's demos send none), or None.

    The raw bytes are not kept once parsed: a 10 MB base64 upload would otherwise stay in
    memory twice for the whole request.
    """
    exchange = current_exchange()
    if exchange.json_body is UNREAD:
        raw = request.get_data(cache=False)
        try:
            exchange.json_body = limits.loads(raw) if raw else None  # too deep reads as malformed
        except ValueError:
            exchange.json_body = None
        del raw
    return exchange.json_body


def decode_base64(value: Any) -> bytes:
    if not isinstance(value, str) or not value:
        raise CVSError("bad_image", "input:missing-base64")
    if value.startswith("data:"):
        value = _DATA_URI.sub("", value, count=1)
    # MIME line breaks, as base64.encodebytes writes them; copy only when there are some
    text = "".join(value.split()) if "\n" in value or " " in value or "\r" in value else value
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CVSError("bad_image", "input:bad-base64") from None


def _from_bytes(data: bytes) -> Picture:
    if not data:
        raise CVSError("bad_image", "input:empty")
    return picture_from_bytes(data)


def picture_from_bytes(data: bytes) -> Picture:
    """The picture in uploaded bytes; a scenario it carries that cannot be used is ignored, and
    the answer's note says why."""
    picture = open_picture(data, int(current_state().config["MAX_IMAGE_PIXELS"]))
    for page in picture.pages or [picture]:
        if page.scenario_problem:
            current_exchange().note(f"scenario ignored: {page.scenario_problem}"[:300])
    return picture
