"""One small check per aspect of an answer. Each returns findings; none raises."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockserver.contract.catalogue import Catalogue
from mockserver.contract.loading import load_contract

from ..contract import problems_for_schema


@cache
def _catalogue() -> Catalogue:
    return Catalogue(load_contract())


@dataclass(frozen=True)
class Finding:
    """A violation (fails the run) or drift (a warning): where, expected, got."""

    check: str
    path: str
    expected: str
    got: str
    severity: str = "violation"

    def __str__(self) -> str:
        return f"[{self.check}] at {self.path or '/'}: expected {self.expected}, got {self.got}"


@dataclass(frozen=True)
class Exchange:
    """One request and what came back."""

    flow: str
    method: str
    path: str
    status: int
    content_type: str
    raw: bytes

    @property
    def body(self) -> Any:
        try:
            return json.loads(self.raw)
        except ValueError:
            return None

    @property
    def code(self) -> str | None:
        body = self.body
        if not isinstance(body, dict):
            return None
        # Face Search may name its code the v1 way (a dialect of the real API)
        for field in (_catalogue().code_field(self.flow), "errorCode"):
            if field in body:
                return str(body[field])
        return None


def json_body_conformance(ex: Exchange) -> list[Finding]:
    if isinstance(ex.body, dict):
        return []
    snippet = ex.raw[:60].decode("utf-8", "replace")
    return [Finding("json_body", "", "a JSON object", f"{ex.content_type or 'no content type'}: {snippet!r}")]


def response_schema_conformance(ex: Exchange, schema: str) -> list[Finding]:
    if not isinstance(ex.body, dict):
        return []
    return [
        Finding("response_schema", p.path, p.expected, p.got) for p in problems_for_schema(ex.body, schema, "tolerant")
    ]


def drift(ex: Exchange, schema: str) -> list[Finding]:
    """Fields the contract does not document: reported, never failed."""
    if not isinstance(ex.body, dict):
        return []
    return [
        Finding("drift", p.path, "no such field (undocumented)", p.got, "drift")
        for p in problems_for_schema(ex.body, schema, "strict")
        if p.undocumented_field
    ]


def envelope_conformance(ex: Exchange) -> list[Finding]:
    """The code is in the flow's catalogue, with its message and its HTTP status."""
    if not isinstance(ex.body, dict) or ex.code is None:
        return []
    spec = load_contract().catalogue["flows"][ex.flow]
    entry = next((e for e in spec["errors"] if str(e["code"]) == ex.code), None)
    if entry is None:
        known = ", ".join(str(e["code"]) for e in spec["errors"])
        return [Finding("envelope", f"/{spec['code_field']}", f"one of the {ex.flow} codes ({known})", ex.code)]
    findings = []
    # Face Search may name its message the v1 way (error_message), a dialect of the real API
    message = ex.body.get(spec["message_field"], ex.body.get("error_message"))
    allowed = [entry["message"]] + ([entry["docs_verbatim_message"]] if entry.get("docs_verbatim_message") else [])
    if message not in allowed:
        findings.append(Finding("envelope", f"/{spec['message_field']}", f"{allowed[0]!r}", repr(message)))
    if ex.status != entry["http_status"]:
        findings.append(
            Finding("status_code", "", f"HTTP {entry['http_status']} for code {ex.code}", f"HTTP {ex.status}")
        )
    return findings


def expected_meaning(ex: Exchange, meaning: str | None) -> list[Finding]:
    """The probe's intended outcome (e.g. wrong secret -> the flow's credentials code)."""
    if meaning is None or ex.code is None:
        return []
    entry = _catalogue().entry(ex.flow, meaning)
    if ex.code == str(entry["code"]):
        return []
    field = _catalogue().code_field(ex.flow)
    return [Finding("outcome", f"/{field}", f"{entry['code']} ({entry['message']})", ex.code)]
