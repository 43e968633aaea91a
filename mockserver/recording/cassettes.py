"""Cassettes: recorded exchanges with the real API, scrubbed, replayed by the fake.

The format is VCR.py's YAML (``interactions`` of ``request`` and ``response``, ``version: 1``),
so ``vcrpy`` and ``pytest-recording`` load a cassette as they load their own. What differs is
what is kept: never a credential, never an image (each is kept as a digest keyed by the
recording key, in the request body and in the ``X-Cvs-Image-Sha256`` header, with the input
mode in ``X-Cvs-Input-Mode``), answers and requests scrubbed (:mod:`.scrub`), and the list of
where the recorder's own personal-looking values stand (:mod:`.fingerprints`).
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

import yaml

from mockserver import limits
from mockserver.contract.loading import load_contract
from mockserver.recording import suspects
from mockserver.recording.check import key_of, parts
from mockserver.recording.fingerprints import Given, located, place
from mockserver.recording.pseudonyms import KEYED_DIGEST, Pseudonyms
from mockserver.recording.reading import CassetteError, read_yaml
from mockserver.recording.scrub import Scrubber, b64_digest, image_digest
from mockserver.version import package_version

MODE_HEADER, IMAGES_HEADER = "X-Cvs-Input-Mode", "X-Cvs-Image-Sha256"
KEPT_RESPONSE_HEADERS = ("Content-Type", "X-CVS-Mock-Trigger")
IMAGE_PARAMS = ("img", "img1", "img2", "url", "image")


@dataclass(frozen=True)
class Sent:
    """What a cassette keeps of a request."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    mode: str
    images: tuple[str, ...]  # digests, in the order of the image parameters
    body: Any = None  # the JSON body with images as digests, or the multipart summary


def describe_flask_request(request: Any) -> Sent:
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
) -> Sent:
    """A request as a cassette keeps it: mode and image digests, never the images."""
    parts = urlsplit(url)
    query = tuple(parse_qsl(parts.query, keep_blank_values=True))
    if method.upper() == "GET":
        urls = [v for k, v in query if k in IMAGE_PARAMS]
        return Sent(method.upper(), parts.path, query, "url", tuple(image_digest(u.encode()) for u in urls))
    if files is not None or content_type.startswith("multipart/"):
        files = files or {}
        digests = {k: image_digest(v) for k, v in files.items()}
        return Sent(method.upper(), parts.path, query, "file", tuple(digests.values()), {"parts": digests})
    try:
        data = json.loads(body or b"null")
    except ValueError:
        data = None
    images: list[str] = []
    summary = _digested(data, images)
    return Sent(method.upper(), parts.path, query, "base64", tuple(images), summary)


def _digested(node: Any, images: list[str]) -> Any:
    if isinstance(node, dict):
        return {k: _digested(v, images) for k, v in node.items()}
    if isinstance(node, list):
        return [_digested(v, images) for v in node]
    if isinstance(node, str) and len(node) > 64:
        images.append(b64_digest(node))
        return images[-1]
    return node


@dataclass
class Recorder:
    """Appends scrubbed interactions to ``folder/name.yaml``, replacing the file atomically each
    time (so a stopped recording loses nothing it acknowledged). ``report`` is told, once each,
    what the contract does not describe and was therefore replaced or dropped."""

    folder: Path
    name: str = "cvs"
    scrubber: Scrubber = field(default_factory=Scrubber)
    report: Callable[[str], None] | None = None
    interactions: list[dict[str, Any]] = field(default_factory=list)
    _dumped: list[str] = field(default_factory=list)  # the YAML of each interaction written so far
    salt: str = field(default_factory=lambda: secrets.token_hex(16), repr=False)
    _prints: set[str] = field(default_factory=set)  # where this recorder's own personal-looking values stand
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def path(self) -> Path:
        return Path(self.folder) / f"{self.name}.yaml"

    def record(self, sent: Sent, base_url: str, status: int, headers: Mapping[str, str], raw: bytes) -> None:
        with self._lock:
            known = len(self.scrubber.undocumented)
            item = self._interaction(sent, base_url, status, headers, raw)
            self._list(len(self.interactions), item, _given(sent, headers, raw))
            self.interactions.append(item)
            self._write()
            for entry in self.scrubber.undocumented[known:]:
                if self.report is not None:
                    self.report(f"scrubbed, not in the contract: {entry}")

    def _interaction(
        self, sent: Sent, base: str, status: int, headers: Mapping[str, str], raw: bytes
    ) -> dict[str, Any]:
        n, scrubber = len(self.interactions), self.scrubber
        operation = load_contract().operation(sent.path, sent.method)
        try:
            answer = json.loads(raw)
        except ValueError:  # an HTML error page of a gateway, say: it may echo the request
            text = scrubber.opaque(raw, headers.get("Content-Type", ""), f"#{n} response")
        else:
            schema = operation.schema if operation is not None else None
            text = json.dumps(scrubber.answer(answer, schema, f"#{n} response"), ensure_ascii=False)
        query = scrubber.query(sent.query, f"#{n} request")
        keyed = {plain: scrubber.pseudonyms.image_digest(plain) for plain in sent.images}
        body = _replaced(sent.body, keyed)  # the body summary names each image by its digest too
        operation_id = operation.operation_id if operation is not None else None
        if body is not None and sent.mode == "file":  # the multipart summary: {"parts": {name: digest}}
            body = {"parts": scrubber.request_body(body["parts"], operation_id, f"#{n} request")}
        elif body is not None:
            body = scrubber.request_body(body, operation_id, f"#{n} request")
        request_headers = {MODE_HEADER: [sent.mode], IMAGES_HEADER: [" ".join(keyed[d] for d in sent.images)]}
        if sent.body is not None:
            request_headers["Content-Type"] = ["application/json"]
        path = scrubber.path(sent.path, operation.path if operation is not None else None)
        kept_headers = {k: scrubber.header(k, v) for k, v in headers.items() if k in KEPT_RESPONSE_HEADERS}
        return {
            "request": {
                "body": json.dumps(body, ensure_ascii=False) if body is not None else None,
                "headers": request_headers,
                "method": sent.method,
                # The base is the operator's own --upstream, not data from an answer: kept, so
                # VCR.py matches the recording against the same upstream.
                "uri": base.rstrip("/") + path + (f"?{urlencode(query)}" if query else ""),
            },
            "response": {
                "body": {"string": text},
                "headers": {k: [v] for k, v in kept_headers.items() if v is not None},
                "status": {"code": status, "message": "OK" if status == 200 else ""},
            },
        }

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scrubber = self.scrubber
        for item in self.interactions[len(self._dumped) :]:  # each interaction is dumped once
            self._dumped.append(_dump([item]))
        rest = {
            "version": 1,
            "metadata": {
                "scrubbed": {
                    "by": f"cvs-testkit {package_version()}",
                    "key": "given" if scrubber.key is not None else "random, this run only",
                    "key_check": scrubber.pseudonyms.key_check(),
                    "undocumented": list(scrubber.undocumented),
                    "kept": list(scrubber.kept),
                    "salt": self.salt,
                }
            },
        }
        # The fingerprints go last, as one flow list: hundreds of them, rewritten on every
        # interaction, cost more through the YAML emitter than the interaction itself.
        listed = f"    pseudonyms: {json.dumps(sorted(self._prints))}\n"
        text = "interactions:\n" + "".join(self._dumped) + _dump(rest) + listed
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, self.path)

    def _list(self, n: int, item: dict[str, Any], given: Given) -> None:
        """Lists where interaction ``n`` holds a personal-looking value this recorder generated;
        a value that was in what it was given is not listed, so the check reports it."""
        spelled = self.scrubber.privacy.spelled
        for where, pointer, text in parts(item):
            if text in spelled:
                continue  # the contract's own words: never a leak, so never listed
            for found in suspects.findings(text, key_of(pointer)):
                if found.kind != "oversize" and not given.holds(found.kind, found.text):
                    self._prints.add(located(self.salt, place(n, where, pointer), found.text))


def _given(sent: Sent, headers: Mapping[str, str], raw: bytes) -> Given:
    """What the recorder was given for one interaction that a cassette could hold: the
    strings and keys of the answer and the request body (a text too long to scrub, or a body
    that is not JSON, is dropped whole, so none of it can be kept), the path and the query."""
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    texts = [sent.path, *(f"{name} {value}" for name, value in sent.query), *headers.values()]
    texts += [t for t in _texts_of((answer, sent.body)) if len(t) <= limits.SCRUB_TEXT_MAX]
    return Given(texts)


def _texts_of(node: Any) -> Iterator[str]:
    """Every key, string and number of a JSON document (no pointers: only the words count)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _texts_of(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _texts_of(value)
    elif node is not None and not isinstance(node, bool):
        yield str(node)


def _replaced(node: Any, digests: Mapping[str, str]) -> Any:
    """``node`` with each plain digest string replaced by its keyed one."""
    if isinstance(node, dict):
        return {k: _replaced(v, digests) for k, v in node.items()}
    if isinstance(node, list):
        return [_replaced(v, digests) for v in node]
    return digests.get(node, node) if isinstance(node, str) else node


def _dump(data: Any) -> str:
    """YAML by libyaml when PyYAML has it (the pure-Python emitter is ten times slower)."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


@dataclass
class Recorded:
    """One interaction of a loaded cassette."""

    cassette: str
    index: int
    sent: Sent
    status: int
    body: Any
    key_check: str | None = None  # the recording key's check value, from the cassette's metadata

    @property
    def label(self) -> str:
        return f"{self.cassette}#{self.index} {self.sent.method} {self.sent.path} ({self.sent.mode})"


def load(paths: Iterable[str | Path]) -> list[Recorded]:
    """Every interaction of the cassettes at ``paths`` (files, or folders of *.yaml); a
    cassette that cannot be used raises :class:`CassetteError` naming file, interaction and
    problem."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    found: list[Recorded] = []
    for file in files:
        data = read_yaml(file)
        if data is None:
            continue
        interactions = data.get("interactions", []) if isinstance(data, dict) else None
        if not isinstance(interactions, list):
            raise CassetteError(f"{file}: a cassette is a mapping with a list of interactions")
        check = _key_check(data)
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
    sent = Sent(method.upper(), parts.path, tuple(parse_qsl(parts.query)), mode, images)
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


AFTER_LAST = ("cycle", "repeat", "exhausted")


class Positions(Protocol):
    """Which of a replayer's interactions were used: in the replayer (one process), or in a
    shared store so that every replica answers the next one."""

    def claim(self, matching: list[int], after_last: str) -> int | None: ...

    def rewind(self) -> None: ...


def claim_next(used: set[int], matching: list[int], after_last: str) -> int | None:
    """The replay rule on a set of used indices, changed in place: the first of ``matching``
    not used, marked used; once all are, ``after_last`` decides (see :class:`Replayer`)."""
    found = next((i for i in matching if i not in used), None)
    if found is None and matching and after_last == "cycle":
        used.difference_update(matching)
        found = matching[0]
    elif found is None and matching and after_last == "repeat":
        return matching[-1]
    if found is not None:
        used.add(found)
    return found


class LocalPositions:
    def __init__(self) -> None:
        self.used: set[int] = set()
        self._lock = threading.Lock()

    def claim(self, matching: list[int], after_last: str) -> int | None:
        with self._lock:
            return claim_next(self.used, matching, after_last)

    def rewind(self) -> None:
        with self._lock:
            self.used.clear()


class Replayer:
    """Answers from cassettes: the first unused interaction with the same method, operation,
    mode and images, in recorded order. Images are compared by their keyed digests when the
    replayer holds the recording's key (``key``: the ``--scrub-key-file`` it was recorded with);
    without it, by their number alone, so the recorded order decides. Once a request's
    matches are all used, ``after_last`` decides: ``cycle`` starts them over (a second pass of
    a flow replays as the first did), ``repeat`` answers the last one again (VCR.py's
    ``allow_playback_repeats``), ``exhausted`` answers none (strict replay then says 501)."""

    def __init__(
        self,
        recorded: list[Recorded],
        strict: bool = False,
        after_last: str = "cycle",
        positions: Positions | None = None,
        key: bytes | None = None,
    ) -> None:
        if after_last not in AFTER_LAST:
            raise ValueError(f"after the last interaction: one of {', '.join(AFTER_LAST)}, not {after_last!r}")
        self.recorded, self.strict, self.after_last = recorded, strict, after_last
        self.positions: Positions = positions or LocalPositions()
        self._keyed = Pseudonyms(key) if key is not None else None
        self._check = self._keyed.key_check() if self._keyed is not None else None
        # Each recorded interaction's form and identity, worked out once: match() runs per request.
        self._identities = [(self._form(entry), self._identity(entry)) for entry in recorded]

    def match(self, sent: Sent, positions: Positions | None = None) -> Recorded | None:
        """The recorded answer to ``sent``, its position claimed in ``positions`` (the
        replayer's own when None)."""
        forms = self._forms(sent)
        matching = [n for n, (form, identity) in enumerate(self._identities) if identity == forms[form]]
        found = (positions or self.positions).claim(matching, self.after_last)
        return None if found is None else self.recorded[found]

    def _form(self, entry: Recorded) -> str:
        """How an interaction's images are compared: by keyed digest (with the right key), by
        plain digest (a cassette from before keyed digests), or by count."""
        images = entry.sent.images
        if images and images[0].startswith(KEYED_DIGEST):
            return "keyed" if self._check is not None and entry.key_check == self._check else "count"
        return "plain"

    def _identity(self, entry: Recorded) -> tuple[Any, ...]:
        base = _identity(entry.sent)
        return (*base[:3], len(base[3])) if self._form(entry) == "count" else base

    def _forms(self, sent: Sent) -> dict[str, tuple[Any, ...]]:
        base = _identity(sent)
        keyed = tuple(self._keyed.image_digest(d) for d in sent.images) if self._keyed is not None else ()
        return {"plain": base, "count": (*base[:3], len(base[3])), "keyed": (*base[:3], keyed)}

    def closest(self, sent: Sent) -> str:
        """The recorded interaction nearest to a request that matched none, and why it differs."""
        if not self.recorded:
            return "the cassette is empty"
        best = max(self.recorded, key=lambda e: _likeness(e.sent, sent))
        reasons = [
            f"{what} {mine!r} vs recorded {theirs!r}"
            for what, mine, theirs in (
                ("method", sent.method, best.sent.method),
                ("path", sent.path, best.sent.path),
                ("mode", sent.mode, best.sent.mode),
                ("images", sent.images, best.sent.images),
            )
            if mine != theirs
        ] or ["already replayed"]
        return f"closest: {best.label}: " + "; ".join(reasons)

    def rewind(self) -> None:
        self.positions.rewind()


def _identity(sent: Sent) -> tuple[str, str, str, tuple[str, ...]]:
    """What two requests share to be answered alike: the operation (a recorded path's
    parameters are stand-ins), the mode and the images; the query and body do not count."""
    operation = load_contract().operation(sent.path, sent.method)
    return sent.method, operation.path if operation is not None else sent.path, sent.mode, sent.images


def _likeness(recorded: Sent, sent: Sent) -> int:
    return 4 * (recorded.path == sent.path) + 2 * (recorded.method == sent.method) + (recorded.mode == sent.mode)
