"""What a cassette keeps of a request: its method, path, query, input mode and image digests
(never the images), described from a Flask request or from its parts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mockserver.recording.scrub import b64_digest, image_digest

MODE_HEADER, IMAGES_HEADER = "X-Cvs-Input-Mode", "X-Cvs-Image-Sha256"

IMAGE_PARAMS = ("img", "img1", "img2", "url", "image")


@dataclass(frozen=True)
class KeptRequest:
    """What a cassette keeps of a request."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    mode: str
    images: tuple[str, ...]  # digests, in the order of the image parameters
    body: Any = None  # the JSON body with images as digests, or the multipart summary


def describe_flask_request(request: Any) -> KeptRequest:
    """``describe`` of the Flask request being answered (its images read, not consumed)."""
    files = None
    if request.mimetype == "multipart/form-data":
        files = {name: part.stream.read() for name, part in request.files.items()}
        for part in request.files.values():
            part.stream.seek(0)
    body = None if files is not None else request.get_data(cache=True)
    return describe(request.method, request.full_path, request.content_type or "", body, files)


def describe(
    method: str, url: str, content_type: str, body: bytes | None, files: Mapping[str, bytes] | None = None
) -> KeptRequest:
    """A request as a cassette keeps it: mode and image digests, never the images."""
    parts = urlsplit(url)
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    if method.upper() == "GET":
        urls = [v for k, v in query if k in IMAGE_PARAMS]
        return KeptRequest(method.upper(), parts.path, query, "url", tuple(image_digest(u.encode()) for u in urls))
    if files is not None or content_type.startswith("multipart/"):
        files = files or {}
        digests = {k: image_digest(v) for k, v in files.items()}
        return KeptRequest(method.upper(), parts.path, query, "file", tuple(digests.values()), {"parts": digests})
    try:
        data = json.loads(body or b"null")
    except ValueError:
        data = None
    images: list[str] = []
    summary = _digested(data, images)
    return KeptRequest(method.upper(), parts.path, query, "base64", tuple(images), summary)


def _digested(node: Any, images: list[str]) -> Any:
    if isinstance(node, dict):
        return {k: _digested(v, images) for k, v in node.items()}
    if isinstance(node, list):
        return [_digested(v, images) for v in node]
    if isinstance(node, str) and len(node) > 64:
        images.append(b64_digest(node))
        return images[-1]
    return node
