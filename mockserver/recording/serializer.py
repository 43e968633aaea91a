"""The cassette format, VCR.py's YAML (``interactions`` of ``request`` and ``response``,
``version: 1``), so ``vcrpy`` and ``pytest-recording`` load a cassette as they load their own:
writing it, and reading its interactions back into :class:`Recorded` answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from mockserver import limits
from mockserver.recording.persister import CassetteError
from mockserver.recording.request import IMAGES_HEADER, MODE_HEADER, KeptRequest


def dump(data: Any) -> str:
    """YAML by libyaml when PyYAML has it (the pure-Python emitter is ten times slower)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


@dataclass
class Recorded:
    """One interaction of a loaded cassette."""

    cassette: str
    index: int
    sent: KeptRequest
    status: int
    body: Any
    key_check: str | None = None  # the recording key's check value, from the cassette's metadata

    @property
    def label(self) -> str:
        return f"{self.cassette}#{self.index} {self.sent.method} {self.sent.path} ({self.sent.mode})"


def interactions_of(file: Path, data: Any) -> list[Recorded]:
    """The interactions of a cassette read from ``file``; :class:`CassetteError` naming file,
    interaction and problem for one that cannot be used."""
    if data is None:
        return []
    interactions = data.get("interactions", []) if isinstance(data, dict) else None
    if not isinstance(interactions, list):
        raise CassetteError(f"{file}: a cassette is a mapping with a list of interactions")
    check = _key_check(data)
    found = []
    for n, item in enumerate(interactions):
        try:
            found.append(_recorded(file.stem, n, item, check))
        except (KeyError, TypeError, ValueError) as exc:
            raise CassetteError(f"{file}: interaction {n}: {_problem(exc)}") from exc
    return found


def _key_check(data: dict[str, Any]) -> str | None:
    scrubbed = ((data.get("metadata") or {}) if isinstance(data.get("metadata"), dict) else {}).get("scrubbed")
    check = scrubbed.get("key_check") if isinstance(scrubbed, dict) else None
    return check if isinstance(check, str) else None


def _recorded(cassette: str, n: int, item: Any, key_check: str | None = None) -> Recorded:
    item = _mapping(item, "the interaction")
    request, response = _mapping(item["request"], "request"), _mapping(item["response"], "response")
    headers = {
        str(k).lower(): (v[0] if isinstance(v, list) and v else v)
        for k, v in _mapping(request.get("headers") or {}, "request.headers").items()
    }
    method, uri = request["method"], request["uri"]
    if not isinstance(method, str) or not isinstance(uri, str):
        raise ValueError("request.method and request.uri must be text")
    parts = urlsplit(uri)
    mode = str(headers.get(MODE_HEADER.lower()) or "")
    images = tuple(str(headers.get(IMAGES_HEADER.lower()) or "").split()) if mode else ()
    sent = KeptRequest(method.upper(), parts.path, tuple(parse_qsl(parts.query)), mode, images)
    status = _mapping(response["status"], "response.status")["code"]
    if type(status) is not int or not 100 <= status <= 599:
        raise ValueError(f"response.status.code must be an HTTP status from 100 to 599, not {status!r}"[:160])
    text = _mapping(response.get("body") or {}, "response.body").get("string", "")
    if text is not None and not isinstance(text, str):
        raise ValueError("response.body.string must be text")
    try:
        body: Any = limits.loads(text or "")
    except limits.TooDeep:
        raise ValueError(f"response.body.string is {limits.TooDeep()}") from None
    except ValueError:
        body = text or ""  # a recorded page that is not JSON is replayed as it is
    return Recorded(cassette, n, sent, status, body, key_check)


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{what} must be a mapping")
    return value


def _problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    return str(exc)
