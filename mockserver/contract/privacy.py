"""What the contract says about personal data: which answer fields carry none, how a
replaced value is shaped, which fields each answer declares, and what each query parameter is.

Read from ``contracts/privacy.json`` and the schemas and parameters it sits beside.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockserver.contract.loading import Contract, ContractError, load_contract

FREE_TEXT = "text"  # the kind of every string field the privacy file does not name


@dataclass(frozen=True)
class QueryParameter:
    """How a query parameter is recorded: an enum value or an integer is kept; a URL is
    scrubbed as a URL; anything else becomes a digest."""

    name: str
    enum: frozenset[str] = frozenset()
    integer: bool = False
    url: bool = False


class Privacy:
    """The privacy reading of one contract."""

    def __init__(self, contract: Contract) -> None:
        table = _read(contract)
        self.kept = frozenset(table["kept"])
        self.kept_suffixes = tuple(table["kept_suffixes"])
        self.kinds = {name: kind for kind, names in table["kinds"].items() for name in names}
        self.place_parts = tuple(table["place_parts"])
        self.caller_objects = frozenset(table["caller_objects"])
        answers = {n: s for n, s in contract.schemas.items() if n not in table["not_answers"]}
        self._schemas = answers
        self.enums = _enums(answers)
        self.all_fields = frozenset(_names(answers.values()))
        self._fields: dict[str, frozenset[str]] = {}
        self.parameters = _parameters(contract.openapi)

    def is_kept(self, field: str) -> bool:
        return field in self.kept or field.endswith(self.kept_suffixes)

    def kind(self, field: str) -> str:
        """How a value of ``field`` is replaced (``text`` when the contract does not say)."""
        kind: str = self.kinds.get(field, FREE_TEXT)
        return kind

    def declares(self, value: Any, field: str) -> bool:
        """Whether ``value`` is one the schemas enumerate for ``field``: an enum carries no person."""
        return isinstance(value, str) and value in self.enums.get(field, ())

    def fields_of(self, schema: str | None) -> frozenset[str]:
        """Every property name an answer of ``schema`` may carry, following its references;
        every name of every answer when the schema is not known."""
        if schema is None or schema not in self._schemas:
            return self.all_fields
        if schema not in self._fields:
            self._fields[schema] = frozenset(_names(_reachable(self._schemas, schema)))
        return self._fields[schema]


def _read(contract: Contract) -> dict[str, Any]:
    path = contract.root / "privacy.json"
    try:
        table: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContractError(path.name, "", str(exc)) from exc
    return table


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _properties(schemas: Any) -> Iterator[tuple[str, Any]]:
    """Every (name, schema) of every ``properties`` in ``schemas``."""
    for node in _walk(list(schemas)):
        properties = node.get("properties")
        if isinstance(properties, dict):
            yield from properties.items()


def _names(schemas: Any) -> Iterator[str]:
    return (name for name, _ in _properties(schemas))


def _enums(schemas: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Per property name, the text values any schema enumerates for it."""
    found: dict[str, set[str]] = {}
    for name, spec in _properties(schemas.values()):
        if isinstance(spec, dict):
            values = [*spec.get("enum", ()), *([spec["const"]] if "const" in spec else [])]
            found.setdefault(name, set()).update(v for v in values if isinstance(v, str))
    return {name: frozenset(values) for name, values in found.items()}


def _reachable(schemas: dict[str, Any], start: str) -> list[Any]:
    """The schema files and ``$defs`` an answer of ``start`` reaches through ``$ref``."""
    seen: set[str] = set()
    out: list[Any] = []
    todo = [start]
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        seen.add(ref)
        file, _, pointer = ref.partition("#")
        node: Any = schemas.get(file)
        for part in [p for p in pointer.split("/") if p]:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            continue
        out.append(node)
        for child in _walk(node):
            target = child.get("$ref")
            if isinstance(target, str):
                todo.append(target if not target.startswith("#") else file + target)
    return out


def _parameters(openapi: dict[str, Any]) -> dict[str, QueryParameter]:
    found: dict[str, QueryParameter] = {}
    for spec in (openapi.get("components") or {}).get("parameters", {}).values():
        if spec.get("in") != "query":
            continue
        schema = spec.get("schema") or {}
        found[spec["name"]] = QueryParameter(
            spec["name"],
            enum=frozenset(str(v) for v in schema.get("enum") or ()),
            integer=schema.get("type") == "integer",
            url=schema.get("format") == "uri",
        )
    return found


@cache
def load_privacy() -> Privacy:
    """The privacy reading of the packaged contract, read once."""
    return Privacy(load_contract())
