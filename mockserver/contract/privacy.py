"""What the contract says about personal data: which values it proves impersonal, how a
replaced value is shaped, which fields each answer and request declares, and what each query
parameter and path is.

Read from ``contracts/privacy.json`` and the schemas, catalogue and parameters beside it.
Scrubbing is closed-world: :meth:`Privacy.keeps` and :meth:`Privacy.keeps_number` are the only
ways a value survives, and each one rests on the contract, never on how a value looks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from mockserver.contract.loading import Contract, ContractError, load_contract, tolerant_form

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
        self.codes = frozenset(table["codes"])
        self.message_fields = frozenset(table["messages"])
        self.numbers = frozenset(table["numbers"])
        self.numbers_suffixes = tuple(table["numbers_suffixes"])
        self.kinds = {name: kind for kind, names in table["kinds"].items() for name in names}
        self.place_parts = tuple(table["place_parts"])
        self.caller_objects = frozenset(table["caller_objects"])
        self.hosts = frozenset(table["hosts"])
        answers = {n: s for n, s in contract.schemas.items() if n not in table["not_answers"]}
        self._schemas = answers
        # What either reading enumerates: the strict one's lists, and the tolerant one's union of
        # every dialect (an integer ``match``, say).
        tolerant = _enums({n: tolerant_form(s) for n, s in answers.items()})
        strict = _enums(answers)
        self.enums = {k: strict.get(k, frozenset()) | tolerant.get(k, frozenset()) for k in {*strict, *tolerant}}
        self.vocabularies = _vocabularies(table["vocabularies"], self.enums)
        self.all_fields = frozenset(_names(answers.values()))
        self._fields: dict[str, frozenset[str]] = {}
        self.parameters = _parameters(contract.openapi)
        self.request_fields = _request_fields(contract)
        self.catalogue_codes, self.catalogue_messages = _catalogue(contract.catalogue)
        self._all_codes = frozenset(c for codes in self.catalogue_codes.values() for c in codes)
        # Every string the contract spells itself: never anyone's data, wherever it stands.
        self.spelled = frozenset(
            {v for values in self.enums.values() for v in values if isinstance(v, str)}
            | {message for (_, _, message) in self.catalogue_messages}
            | {word for words in self.vocabularies.values() for word in words}
            | self.all_fields
        )
        self.path_words = frozenset(w for op in contract.operations for w in op.path.split("/") if "{" not in w)

    def is_number_field(self, field: str) -> bool:
        """Whether ``field`` holds a score, confidence, box coordinate or count."""
        return field in self.numbers or field.endswith(self.numbers_suffixes)

    def keeps_number(self, field: str, value: float | None = None) -> bool:
        """Whether a JSON number in ``field`` is kept: a code or a warning of at most three
        digits, a score, a box or a count of at most six, or a value the field's schema
        enumerates."""
        if value in self.enums.get(field, ()):
            return True
        if field in self.codes:  # a code has a few digits; a phone sent as a code is not one
            return value is None or (float(value).is_integer() and abs(value) < 1000)
        # A score, a box side or a count has at most six digits before its point (as in text).
        return self.is_number_field(field) and (value is None or abs(value) < 1_000_000)

    def keeps(self, field: str, value: str, flow: str | None = None) -> bool:
        """Whether the contract proves the text ``value`` of ``field`` carries no person: a value
        its schema enumerates, a word of the field's closed vocabulary, a catalogue code of the
        flow in a code field, or a plain number in a score, box or count field. (A message is
        kept only beside its code: :meth:`is_message`.)"""
        if value in self.enums.get(field, ()) or value in self.vocabularies.get(field, ()):
            return True
        if field in self.codes:
            return value in self.catalogue_codes.get(flow or "", self._all_codes)
        return self.is_number_field(field) and _PLAIN_NUMBER.fullmatch(value) is not None

    def is_message(self, flow: str | None, code: Any, message: str) -> bool:
        """Whether ``message`` is the catalogue's message (in any dialect's spelling) for
        ``code`` in ``flow`` (any flow when None)."""
        if flow is None:
            return any((f, str(code), message) in self.catalogue_messages for f in self.catalogue_codes)
        return (flow, str(code), message) in self.catalogue_messages

    def kind(self, field: str) -> str:
        """How a value of ``field`` is replaced (``text`` when the contract does not say)."""
        kind: str = self.kinds.get(field, FREE_TEXT)
        return kind

    def fields_of(self, schema: str | None) -> frozenset[str]:
        """Every property name an answer of ``schema`` may carry, following its references;
        every name of every answer when the schema is not known."""
        if schema is None or schema not in self._schemas:
            return self.all_fields
        if schema not in self._fields:
            self._fields[schema] = frozenset(_names(_reachable(self._schemas, schema)))
        return self._fields[schema]


_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,6}(\.[0-9]{1,8})?")  # a score or a box side, never an id's digits


def _vocabularies(table: dict[str, Any], enums: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Each field's closed vocabulary: a list of words, or the name of a field whose enum it shares."""
    return {
        name: enums.get(words, frozenset()) if isinstance(words, str) else frozenset(words)
        for name, words in table.items()
    }


def _catalogue(catalogue: dict[str, Any]) -> tuple[dict[str, frozenset[str]], frozenset[tuple[str, str, str]]]:
    """Per flow, its codes (as text); and every (flow, code, message) the catalogue spells,
    the docs' misprints included (the ``verbatim`` dialect says them)."""
    codes: dict[str, set[str]] = {}
    messages: set[tuple[str, str, str]] = set()
    for flow, spec in catalogue["flows"].items():
        entries = [*spec["errors"], *(spec.get("warnings") or {}).get("codes", [])]
        for entry in entries:
            code = str(entry["code"])
            codes.setdefault(flow, set()).add(code)
            for key in ("message", "docs_verbatim_message"):
                if isinstance(entry.get(key), str):
                    messages.add((flow, code, entry[key]))
    return {flow: frozenset(found) for flow, found in codes.items()}, frozenset(messages)


def _request_fields(contract: Contract) -> dict[str, frozenset[str]]:
    """Per operation id, every property name its request body may carry (JSON and multipart)."""
    bodies = (contract.openapi.get("components") or {}).get("requestBodies") or {}
    found: dict[str, frozenset[str]] = {}
    for item in contract.openapi.get("paths", {}).values():
        for op in item.values():
            body = op.get("requestBody") or {}
            ref = body.get("$ref")
            if isinstance(ref, str):
                body = bodies.get(ref.split("/")[-1], {})
            names: set[str] = set()
            for media in (body.get("content") or {}).values():
                schema = media.get("schema") or {}
                target = schema.get("$ref")
                if isinstance(target, str):
                    names.update(_names(_reachable(contract.schemas, target.split("/")[-1])))
                names.update((schema.get("properties") or {}).keys())
            found[op["operationId"]] = frozenset(names)
    return found


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


def _enums(schemas: dict[str, Any]) -> dict[str, frozenset[Any]]:
    """Per property name, the values (texts and numbers) any schema enumerates for it, through
    ``$ref`` and ``anyOf``/``oneOf`` alternatives."""
    found: dict[str, set[Any]] = {}
    for file, schema in schemas.items():
        for node in _walk(schema):
            properties = node.get("properties")
            if not isinstance(properties, dict):
                continue
            for name, spec in properties.items():
                found.setdefault(name, set()).update(_enumerated(schemas, file, spec, 0))
    return {name: frozenset(values) for name, values in found.items() if values}


def _enumerated(schemas: dict[str, Any], file: str, spec: Any, depth: int) -> set[Any]:
    if not isinstance(spec, dict) or depth > 8:
        return set()
    given = [*spec.get("enum", ()), *([spec["const"]] if "const" in spec else [])]
    values = {v for v in given if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    for key in ("anyOf", "oneOf"):
        for option in spec.get(key) or ():
            values |= _enumerated(schemas, file, option, depth + 1)
    target = spec.get("$ref")
    if isinstance(target, str):
        where = target.partition("#")[0].split("/")[-1] or file
        values |= _enumerated(schemas, where, _resolve(schemas, file, target), depth + 1)
    return values


def _resolve(schemas: dict[str, Any], file: str, ref: str) -> Any:
    """The node ``ref`` names (``other.json#/$defs/x``, or ``#/$defs/x`` within ``file``)."""
    where, _, pointer = ref.partition("#")
    node: Any = schemas.get(where.split("/")[-1] or file)
    for part in [p for p in pointer.split("/") if p]:
        node = node.get(part) if isinstance(node, dict) else None
    return node


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
        file = ref.partition("#")[0]
        node = _resolve(schemas, file, ref)
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
