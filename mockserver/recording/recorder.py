"""Recording: each exchange with the real API scrubbed (:mod:`.scrub`) and appended to a cassette.

What a cassette never keeps: a credential, an image (each is a digest keyed by the recording
key, in the request body and in the ``X-Cvs-Image-Sha256`` header, with the input mode in
``X-Cvs-Input-Mode``). What it adds: where the recorder's own personal-looking values stand
(:mod:`.fingerprints`), so the leak check tells them from originals.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from mockserver import limits
from mockserver.contract.loading import load_contract
from mockserver.recording import suspects
from mockserver.recording.check import key_of, parts
from mockserver.recording.fingerprints import Given, located, place
from mockserver.recording.persister import replace_file
from mockserver.recording.request import IMAGES_HEADER, MODE_HEADER, KeptRequest
from mockserver.recording.scrub import Scrubber
from mockserver.recording.serializer import dump
from mockserver.version import package_version

KEPT_RESPONSE_HEADERS = ("Content-Type", "X-CVS-Mock-Trigger")


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
    _fingerprints: set[str] = field(default_factory=set)  # where this recorder's own personal-looking values stand
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def path(self) -> Path:
        return Path(self.folder) / f"{self.name}.yaml"

    def record(self, sent: KeptRequest, base_url: str, status: int, headers: Mapping[str, str], raw: bytes) -> None:
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
        self, sent: KeptRequest, base: str, status: int, headers: Mapping[str, str], raw: bytes
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
        scrubber = self.scrubber
        for item in self.interactions[len(self._dumped) :]:  # each interaction is dumped once
            self._dumped.append(dump([item]))
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
        listed = f"    pseudonyms: {json.dumps(sorted(self._fingerprints))}\n"
        text = "interactions:\n" + "".join(self._dumped) + dump(rest) + listed
        replace_file(self.path, text)

    def _list(self, n: int, item: dict[str, Any], given: Given) -> None:
        """Lists where interaction ``n`` holds a personal-looking value this recorder generated;
        a value that was in what it was given is not listed, so the check reports it."""
        spelled = self.scrubber.privacy.spelled
        for where, pointer, text in parts(item):
            if text in spelled:
                continue  # the contract's own words: never a leak, so never listed
            for found in suspects.findings(text, key_of(pointer)):
                if found.kind != "oversize" and not given.holds(found.kind, found.text):
                    self._fingerprints.add(located(self.salt, place(n, where, pointer), found.text))


def _given(sent: KeptRequest, headers: Mapping[str, str], raw: bytes) -> Given:
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
