"""Rewrites that say the same thing in a form tools read: each keeps what a schema accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def bottom_up(schema: Any, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """``schema`` with ``change`` applied to every object in it, innermost first."""
    if isinstance(schema, list):
        return [bottom_up(item, change) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return change({k: bottom_up(v, change) for k, v in schema.items()})


def reserved_keys(schema: dict[str, Any]) -> dict[str, Any]:
    """``not: {anyOf: [{required: [k]}, ...]}`` forbids keys; ``propertyNames`` says it in a
    form linters and generators read as such, and means the same for an object."""
    forbidden = schema.get("not")
    if not isinstance(forbidden, dict) or set(forbidden) != {"anyOf"}:
        return schema
    keys = []
    for alternative in forbidden["anyOf"]:
        names = alternative.get("required") if isinstance(alternative, dict) and len(alternative) == 1 else None
        if not (isinstance(names, list) and len(names) == 1):
            return schema
        keys.append(names[0])
    out = {k: v for k, v in schema.items() if k != "not"}
    out["propertyNames"] = {"not": {"enum": keys}}
    tolerant = out.get("x-tolerant")
    if isinstance(tolerant, dict) and "not" in tolerant:
        out["x-tolerant"] = {("propertyNames" if k == "not" else k): v for k, v in tolerant.items()}
    return out


def open_object(schema: dict[str, Any]) -> dict[str, Any]:
    """An object with no listed properties takes any: saying so (``additionalProperties: {}``)
    changes no answer's validity, and generators stop typing it as an empty object."""
    if schema.get("type") == "object" and not {"properties", "additionalProperties", "$ref"} & set(schema):
        return {**schema, "additionalProperties": {}}
    return schema


def shape_choice(schema: dict[str, Any]) -> dict[str, Any]:
    """``if: {type: array}, then: list, else: item`` is a choice of two shapes: a ``oneOf``
    says so to a generator (and to linters that read ``if`` as a schema of its own)."""
    test = schema.get("if")
    if not (isinstance(test, dict) and test == {"type": "array"} and "then" in schema and "else" in schema):
        return schema
    tolerant = dict(schema.get("x-tolerant") or {})
    replaced = {k: tolerant.pop(k) for k in ("if", "then", "else") if k in tolerant}
    if "oneOf" in schema or any(v is not None for v in replaced.values()):
        return schema
    listed = schema["then"]
    if not (isinstance(listed, dict) and listed.get("type") == "array"):
        return schema
    out = {k: v for k, v in schema.items() if k not in ("if", "then", "else", "x-tolerant")}
    out["oneOf"] = [listed, schema["else"]]
    if replaced:  # the tolerant reading had dropped the choice: it drops the oneOf instead
        tolerant["oneOf"] = None
    if tolerant:
        out["x-tolerant"] = tolerant
    return out


def without_tolerance(node: dict[str, Any]) -> dict[str, Any]:
    """The strict reading of one object: its ``x-tolerant`` overrides dropped."""
    return {k: v for k, v in node.items() if k != "x-tolerant"}


def typed_enum(node: dict[str, Any]) -> dict[str, Any]:
    """An ``enum`` of strings and numbers at once (the tolerant reading's codes) as an
    ``anyOf`` of one enum per JSON type: the same values, in a form generators can type."""
    values = node.get("enum")
    if not isinstance(values, list) or "type" in node or "anyOf" in node:
        return node
    kinds: dict[str, list[Any]] = {}
    for value in values:
        kind = "boolean" if isinstance(value, bool) else "integer" if isinstance(value, int) else type(value).__name__
        kinds.setdefault({"str": "string", "float": "number", "NoneType": "null"}.get(kind, kind), []).append(value)
    if len(kinds) < 2:
        return node
    out = {k: v for k, v in node.items() if k != "enum"}
    out["anyOf"] = [{"type": kind, "enum": listed} for kind, listed in kinds.items()]
    return out


def _vacuous(schema: Any) -> bool:
    """Whether a schema can reject nothing: ``{}``, or properties that are all ``{}``."""
    if not isinstance(schema, dict):
        return schema is True
    return set(schema) <= {"properties"} and all(v == {} for v in schema.get("properties", {}).values())


def without_empty_conditions(node: dict[str, Any]) -> dict[str, Any]:
    """Without the ``allOf`` entries a reading leaves empty: the tolerant reading drops the
    message a code pins, leaving conditions that require nothing."""
    parts = node.get("allOf")
    if not isinstance(parts, list):
        return node
    kept = [
        part
        for part in parts
        if not _vacuous(part)
        and not (isinstance(part, dict) and set(part) <= {"if", "then"} and _vacuous(part.get("then", {})))
    ]
    out = dict(node)
    if kept:
        out["allOf"] = kept
    else:
        del out["allOf"]
    return out
