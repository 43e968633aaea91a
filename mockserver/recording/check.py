"""The leak check: every value of a cassette that could be a person's data
(:mod:`.suspects`), named by file, interaction and JSON path.

A cassette the recorder wrote lists fingerprints of the personal-looking values it generated
itself (``metadata.scrubbed.pseudonyms``), each bound to where it stands (interaction, part,
JSON pointer) and salted per cassette (``metadata.scrubbed.salt``): those are not leaks. The
recorder lists a value only when it is nowhere in what it was given, so an original it left in
place is never listed, and a listed pseudonym excuses nothing elsewhere in the file. Anything
else that looks personal is a leak — a value edited in by hand, a file from elsewhere. A
cassette of an older recorder (no salt) is read with its unbound fingerprints. Strings the
contract spells itself (an enumerated value, a catalogue message) are never leaks. Findings
name the kind of value, never the value: the check's output lands in CI logs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from mockserver.contract.privacy import load_privacy
from mockserver.recording import suspects
from mockserver.recording.fingerprints import legacy, located, place
from mockserver.recording.persister import cassette_files, read_yaml


@dataclass(frozen=True)
class Leak:
    file: str
    where: str  # "interaction 3: response body" or a path into the document
    pointer: str
    what: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where} {self.pointer}: {self.what}".replace("  ", " ")


def key_of(pointer: str) -> str:
    """The field a JSON pointer ends in (a query parameter's name without its ``?``)."""
    step = pointer.rsplit("/", 1)[-1].lstrip("?")
    return step.replace("~1", "/").replace("~0", "~")


def check_paths(paths: Iterable[str | Path]) -> list[Leak]:
    """Every leak in the files at ``paths`` (folders are searched for .yaml and .yml)."""
    return [leak for path in cassette_files(paths) for leak in check_file(path)]


def check_file(path: Path) -> list[Leak]:
    return check_document(read_yaml(path), str(path))


def check_document(document: Any, file: str) -> list[Leak]:
    meta = (document.get("metadata") or {}) if isinstance(document, dict) else {}
    scrubbed = (meta.get("scrubbed") or {}) if isinstance(meta, dict) else {}
    if not isinstance(scrubbed, dict):
        scrubbed = {}
    allowed = {str(p) for p in scrubbed.get("pseudonyms") or ()}
    kept = {str(k) for k in scrubbed.get("kept") or ()}
    salt = scrubbed.get("salt") if isinstance(scrubbed.get("salt"), str) else None
    spelled = load_privacy().spelled
    found: list[Leak] = []

    def listed(n: int | None, where: str, pointer: str, text: str) -> bool:
        if salt is None:
            return legacy(text) in allowed
        return located(salt, place(n, where, pointer), text) in allowed

    def report(n: int | None, where: str, pointer: str, text: str) -> None:
        if n is not None and f"#{n} {where.split(' ')[0]} {pointer}" in kept:
            return  # kept verbatim on the recording user's own --scrub-keep
        if text in spelled:
            return  # a value the contract spells itself: an enumerated value, a catalogue message
        label = f"interaction {n}: {where}" if n is not None else where
        for hit in suspects.findings(text, key_of(pointer)):
            if not listed(n, where, pointer, hit.text):
                found.append(Leak(file, label, pointer, suspects.KINDS[hit.kind]))

    interactions = document.get("interactions") if isinstance(document, dict) else None
    if isinstance(interactions, list):
        for n, item in enumerate(interactions):
            for where, pointer, text in parts(item):
                report(n, where, pointer, text)
        rest = {k: v for k, v in document.items() if k != "interactions"}
        if isinstance(meta, dict):  # the fingerprints and the salt are hashes, not values
            rest["metadata"] = {
                **meta,
                "scrubbed": {k: v for k, v in scrubbed.items() if k not in ("pseudonyms", "salt")},
            }
    else:
        rest = document
    for pointer, text in _texts(rest, ""):
        report(None, "", pointer, text)
    return found


def parts(item: Any) -> Iterator[tuple[str, str, str]]:
    """Every text of one interaction as (part, JSON pointer, text): what is checked, and what
    the recorder fingerprints, in the same words."""
    if not isinstance(item, dict):
        yield from (("", p, t) for p, t in _texts(item, ""))
        return
    request, response = item.get("request") or {}, item.get("response") or {}
    if isinstance(request, dict):
        uri = request.get("uri")
        if isinstance(uri, str):
            yield from (("request uri", p, t) for p, t in _uri(uri))
        yield from (("request headers", p, t) for p, t in _texts(request.get("headers"), ""))
        yield from (("request body", p, t) for p, t in _body(request.get("body")))
        others = {k: v for k, v in request.items() if k not in ("uri", "headers", "body")}
        yield from (("request", p, t) for p, t in _texts(others, ""))
    if isinstance(response, dict):
        body = response.get("body")
        text = body.get("string") if isinstance(body, dict) else body
        yield from (("response body", p, t) for p, t in _body(text))
        others = {k: v for k, v in response.items() if k != "body"}
        yield from (("response", p, t) for p, t in _texts(others, ""))
    yield from (("", p, t) for p, t in _texts({k: v for k, v in item.items() if k not in ("request", "response")}, ""))


def _uri(uri: str) -> Iterator[tuple[str, str]]:
    """A request's URI by its parts, each decoded: its host, path and every query value."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        yield "", uri
        return
    yield "host", parts.netloc
    yield "path", unquote(parts.path)
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        yield f"?{name}", f"?{name}={value}"  # with its name: a token is known by it


def _body(text: Any) -> Iterator[tuple[str, str]]:
    if isinstance(text, str):
        try:
            parsed = json.loads(text)
        except ValueError:
            yield "", text
            return
        yield from _texts(parsed, "")
    else:
        yield from _texts(text, "")


def _texts(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """Every string, key and long number of a document, with its JSON pointer; strings that
    are JSON documents themselves are searched inside too."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            yield child, str(key)
            yield from _texts(value, child)
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _texts(value, f"{pointer}/{n}")
    elif isinstance(node, str):
        yield pointer, node
        if node[:1] in "{[":
            try:
                inner = json.loads(node)
            except ValueError:
                return
            yield from _texts(inner, pointer)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield pointer, str(node)
