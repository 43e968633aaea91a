"""Loads contracts/ once: the OpenAPI document, the JSON Schemas and the error catalogue.

The files ship in the wheel as ``mockserver/_contracts``; in a source checkout they are the
top-level ``contracts/`` folder. :func:`contracts_dir` is the one place that knows both.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jsonschema_rs
import yaml

if TYPE_CHECKING:  # jsonschema explains failures only; it is imported when one happens
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

Strictness = Literal["strict", "tolerant"]
SCHEMA_URI = "https://cvs-testkit.invalid/contracts/schemas/"
OPERATION_CACHE_SIZE = 4096
VALID_ANSWERS_KEPT, VALID_ANSWER_BYTES = 512, 64 * 1024  # answers the self-check has passed


class ContractError(Exception):
    """A contract file is missing or malformed; names the file and the JSON pointer."""

    def __init__(self, file: str, pointer: str, reason: str) -> None:
        super().__init__(f"{file}#{pointer}: {reason}")
        self.file, self.pointer, self.reason = file, pointer, reason


def contracts_dir() -> Path:
    """Where the contract files are: packaged beside this module, else the source tree."""
    here = Path(__file__).resolve().parent.parent  # the mockserver package
    for candidate in (here / "_contracts", here.parent / "contracts"):
        if (candidate / "openapi.yaml").is_file():
            return candidate
    raise ContractError("openapi.yaml", "", f"no contracts folder beside {here}")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContractError(path.name, "", str(exc)) from exc


def tolerant_form(schema: Any) -> Any:
    """Derive the tolerant reading: drop closed-object keywords, apply ``x-tolerant`` overrides."""
    if isinstance(schema, list):
        return [tolerant_form(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    node = {k: tolerant_form(v) for k, v in schema.items() if k != "x-tolerant"}
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if node.get(keyword) is False:
            del node[keyword]
    for key, value in (schema.get("x-tolerant") or {}).items():
        if value is None:
            node.pop(key, None)
        else:
            node[key] = copy.deepcopy(value)
    return node


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    operation_id: str
    flow: str
    schema: str


class Contract:
    """The loaded contract: schemas in both readings, operations and the catalogue."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or contracts_dir()
        self.schemas: dict[str, Any] = {p.name: _read_json(p) for p in sorted((self.root / "schemas").glob("*.json"))}
        self.catalogue: dict[str, Any] = _read_json(self.root / "errors.json")
        self.dialects: dict[str, Any] = _read_json(self.root / "dialects.json")
        try:
            self.openapi: dict[str, Any] = yaml.safe_load((self.root / "openapi.yaml").read_text("utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ContractError("openapi.yaml", "", str(exc)) from exc
        self.operations = list(self._operations())
        self._tolerant_from = self.schemas  # the union every dialect's answers fall in
        self._start_validation()

    def derived(self, schemas: dict[str, Any]) -> Contract:
        """The same contract with other strict schemas (a dialect's); the tolerant reading and
        everything else stay this contract's."""
        other = copy.copy(self)
        other.schemas = schemas
        other._start_validation()
        return other

    def _start_validation(self) -> None:
        self._registries: dict[str, Registry] = {}
        self._validators: dict[tuple[str, str], Draft202012Validator] = {}
        self._fast: dict[tuple[str, str], Any] = {}
        self._operation_of: dict[tuple[str, str], Operation | None] = {}
        self._valid_answers: set[tuple[str, bytes]] = set()
        self._field_validators: dict[str, Any] = {}
        self._fast_registries = {
            "strict": jsonschema_rs.Registry([(SCHEMA_URI + n, s) for n, s in self.schemas.items()]),
            "tolerant": jsonschema_rs.Registry(
                [(SCHEMA_URI + n, tolerant_form(s)) for n, s in self._tolerant_from.items()]
            ),
        }

    def _registry(self, level: Strictness) -> Registry:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        pairs = []
        for name, schema in (self.schemas if level == "strict" else self._tolerant_from).items():
            body = schema if level == "strict" else tolerant_form(schema)
            pairs.append((SCHEMA_URI + name, Resource.from_contents(body, default_specification=DRAFT202012)))
        return Registry().with_resources(pairs)

    def _operations(self) -> Iterator[Operation]:
        for path, item in self.openapi.get("paths", {}).items():
            for method, op in item.items():
                try:
                    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                except (KeyError, TypeError) as exc:
                    raise ContractError("openapi.yaml", f"/paths/{path}/{method}", "no 200 JSON schema") from exc
                yield Operation(path, method.upper(), op["operationId"], op["tags"][0], ref.split("/")[-1])

    def validator(self, schema: str, level: Strictness = "strict") -> Draft202012Validator:
        """A cached validator for one schema file (e.g. ``ocr_card_response.json``)."""
        from jsonschema import Draft202012Validator

        key = (schema, level)
        if key not in self._validators:
            if schema not in self.schemas:
                raise ContractError(schema, "", "no such schema in contracts/schemas")
            if level not in self._registries:
                self._registries[level] = self._registry(level)
            self._validators[key] = Draft202012Validator(
                {"$ref": SCHEMA_URI + schema}, registry=self._registries[level]
            )
        return self._validators[key]

    def operation(self, path: str, method: str) -> Operation | None:
        """The operation whose OpenAPI path template matches a concrete path."""
        key = (path, method)
        if key in self._operation_of:
            return self._operation_of[key]
        found = next(
            (op for op in self.operations if op.method == method.upper() and _template_matches(op.path, path)), None
        )
        if len(self._operation_of) < OPERATION_CACHE_SIZE:  # concrete paths with ids are unbounded
            self._operation_of[key] = found
        return found

    def is_valid(self, value: Any, schema: str, level: Strictness = "strict") -> bool:
        """Fast yes/no (jsonschema-rs); :meth:`errors` explains a no."""
        key = (schema, level)
        if key not in self._fast:
            if schema not in self.schemas:
                raise ContractError(schema, "", "no such schema in contracts/schemas")
            self._fast[key] = jsonschema_rs.validator_for(
                {"$ref": SCHEMA_URI + schema}, registry=self._fast_registries[level]
            )
        return bool(self._fast[key].is_valid(value))

    def field_problem(self, doc_type: str, field: str, value: Any) -> str | None:
        """Why ``value`` cannot be the ``field`` of a ``doc_type`` document's info, or None."""
        pointer = f"ocr_document.json#/$defs/info_{doc_type}/properties/{field}"
        if pointer not in self._field_validators:
            self._field_validators[pointer] = jsonschema_rs.validator_for(
                {"$ref": SCHEMA_URI + pointer}, registry=self._fast_registries["strict"]
            )
        found = self._field_validators[pointer]
        if found.is_valid(value):
            return None
        first = next(iter(found.iter_errors(value)))
        return str(first.message)

    def seen_valid(self, raw: bytes, schema: str) -> bool:
        """Whether these exact answer bytes already passed the strict ``schema``: the same
        bytes are the same answer, so the check cannot come out otherwise."""
        return (schema, raw) in self._valid_answers

    def remember_valid(self, raw: bytes, schema: str) -> None:
        if len(raw) > VALID_ANSWER_BYTES:
            return
        if len(self._valid_answers) >= VALID_ANSWERS_KEPT:
            self._valid_answers.clear()
        self._valid_answers.add((schema, raw))

    def errors(self, value: Any, schema: str, level: Strictness = "strict") -> list[ValidationError]:
        """Every error, path-sorted (jsonschema, for its messages); empty when valid."""
        if self.is_valid(value, schema, level):
            return []
        return sorted(self.validator(schema, level).iter_errors(value), key=lambda e: list(e.absolute_path))

    def flow(self, name: str) -> dict[str, Any]:
        return dict(self.catalogue["flows"][name])


@cache
def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


def _template_matches(template: str, path: str) -> bool:
    return bool(_template_regex(template).match(path))


@cache
def load_contract() -> Contract:
    """The packaged contract, loaded once per process."""
    return Contract()
