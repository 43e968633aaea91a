"""Validate CVS API answers against the contract, by endpoint, method, status and strictness.

>>> from cvs_testkit.contract import assert_conforms
>>> assert_conforms({"errorCode": "5", "errorMessage": "Incorrect Api_key or api_secret"},
...                 "/api/v2/ekyc/card", "POST")

*strict* is how the fake reads its own answers (no undocumented field, documented types);
*tolerant* is how a client, or the conformance runner, should read the real API (unknown
fields allowed, codes as numbers or numeric strings: every dialect at once). A ``dialect``
(a name, a dialect file or a mapping of options, see ``cvs-mock dialects``) makes the strict
reading that dialect's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jsonschema.exceptions import ValidationError

from mockserver.contract.loading import Contract, ContractError, Operation, Strictness, load_contract

__all__ = [
    "ContractError",
    "ContractViolation",
    "Problem",
    "Strictness",
    "assert_conforms",
    "contract",
    "contract_for",
    "operation_for",
    "validate",
]
CLOSED_OBJECT = ("additionalProperties", "unevaluatedProperties")


@dataclass(frozen=True)
class Problem:
    """One way an answer breaks the contract: where, what was expected, what came."""

    path: str
    expected: str
    got: str
    schema: str
    undocumented_field: bool = False

    def __str__(self) -> str:
        return f"at {self.path or '/'}: expected {self.expected}, got {self.got}"


class ContractViolation(AssertionError):
    """An answer does not conform; ``problems`` lists each one."""

    def __init__(self, title: str, problems: list[Problem]) -> None:
        lines = [title] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))
        self.problems = problems


def contract() -> Contract:
    """The packaged contract, loaded once."""
    return load_contract()


def operation_for(path_or_url: str, method: str = "GET") -> Operation:
    path = urlsplit(path_or_url).path or path_or_url
    op = contract().operation(path, method)
    if op is None:
        known = ", ".join(sorted({f"{o.method} {o.path}" for o in contract().operations}))
        raise ContractError("openapi.yaml", "/paths", f"no operation {method.upper()} {path}; known: {known}")
    return op


def validate(
    body: Any,
    path: str,
    method: str = "GET",
    status: int = 200,
    strictness: Strictness = "strict",
    *,
    dialect: Any = None,
) -> list[Problem]:
    """Every problem of ``body`` as the answer to ``method path`` with HTTP ``status``.

    Every documented outcome comes with HTTP 200; other statuses carry the same envelope.
    """
    op = operation_for(path, method)
    return problems_for_schema(body, op.schema, strictness, dialect=dialect)


def contract_for(dialect: Any = None) -> Contract:
    """The contract whose strict reading is ``dialect``'s (the default reading for None)."""
    if dialect is None:
        return contract()
    from mockserver.contract.dialects import resolve_dialect
    from mockserver.contract.dialects.schemas import dialect_contract

    return dialect_contract(contract(), resolve_dialect(contract().dialects, dialect))


def problems_for_schema(
    body: Any, schema: str, strictness: Strictness = "strict", *, dialect: Any = None
) -> list[Problem]:
    out: list[Problem] = []
    for error in contract_for(dialect).errors(body, schema, strictness):
        out.extend(_problems(error, schema))
    return out


def assert_conforms(
    body: Any,
    path: str,
    method: str = "GET",
    status: int = 200,
    strictness: Strictness = "strict",
    *,
    dialect: Any = None,
) -> None:
    """Raise ContractViolation listing every problem, or return quietly."""
    problems = validate(body, path, method, status, strictness, dialect=dialect)
    if problems:
        title = f"{method.upper()} {urlsplit(path).path or path} answer breaks the {strictness} contract:"
        raise ContractViolation(title, problems)


def _pointer(parts: Any) -> str:
    return "".join(f"/{p}" for p in parts)


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _problems(error: ValidationError, schema: str) -> list[Problem]:
    where = _pointer(error.absolute_path)
    if error.validator in CLOSED_OBJECT and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extras = [k for k in error.instance if k not in allowed] or ["?"]
        return [
            Problem(f"{where}/{k}", "no such field (not in the contract)", _short(error.instance.get(k)), schema, True)
            for k in extras
        ]
    if error.validator == "not" and isinstance(error.instance, dict):
        # "not anyOf required" forbids fields on this outcome (e.g. data on an error answer)
        present = [k for k in _required_names(error.validator_value) if k in error.instance]
        if present:
            return [
                Problem(f"{where}/{k}", "no such field on this outcome", _short(error.instance[k]), schema)
                for k in present
            ]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        return [Problem(f"{where}/{missing}", "a required field", "nothing", schema)]
    expected = f"{error.validator} {_short(error.validator_value, 160)}"
    return [Problem(where, expected, _short(error.instance), schema)]


def _required_names(schema: Any) -> list[str]:
    names: list[str] = []
    if isinstance(schema, dict):
        names.extend(schema.get("required", []))
        for sub in schema.get("anyOf", []):
            names.extend(_required_names(sub))
    return names
