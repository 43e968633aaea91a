"""Forced outcomes: what the next N requests of a flow answer, whatever they send."""

from __future__ import annotations

from typing import Any

FAULTS = {"latency", "drop", "cut", "truncate", "non_json", "gateway"}
GATEWAY_STATUSES = {502, 503, 504}


class OutcomeError(ValueError):
    """A forced outcome that cannot be queued; the message says why."""


def check_outcome(flow: str, outcome: dict[str, Any], known_codes: list[str]) -> dict[str, Any]:
    """Validate one outcome spec and return it normalised."""
    kinds = [k for k in ("code", "body", "fault", "extra") if k in outcome]
    if len(kinds) != 1:
        raise OutcomeError("give exactly one of code, body, fault or extra")
    kind = kinds[0]
    if kind == "code" and str(outcome["code"]) not in known_codes:
        raise OutcomeError(f"{flow} has no code {outcome['code']!r}; known: {', '.join(known_codes)}")
    if kind == "body" and not isinstance(outcome["body"], (dict, list)):
        raise OutcomeError("body must be a JSON object or array")
    if kind == "extra" and not isinstance(outcome["extra"], dict):
        raise OutcomeError("extra must be an object of fields to add to a normal answer")
    if kind == "fault":
        if outcome["fault"] not in FAULTS:
            raise OutcomeError(f"fault must be one of {sorted(FAULTS)}")
        if outcome["fault"] == "gateway" and int(outcome.get("status", 502)) not in GATEWAY_STATUSES:
            raise OutcomeError("gateway status must be 502, 503 or 504")
        seconds = outcome.get("seconds", 1.0)
        if not isinstance(seconds, (int, float)) or not 0 <= seconds <= 120:
            raise OutcomeError("seconds must be a number from 0 to 120")
    status = outcome.get("status", 200)
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise OutcomeError("status must be an HTTP status code")
    return dict(outcome)
