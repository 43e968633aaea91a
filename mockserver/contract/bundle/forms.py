"""Rewrites that say the same thing in a form tools read: each keeps what a schema accepts."""

from __future__ import annotations

from typing import Any


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
        keys.append(alternative["required"][0])
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


def strict(schema: Any) -> Any:
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: strict(v) for k, v in schema.items() if k != "x-tolerant"}


def typed_enums(schema: Any) -> Any:
    """An ``enum`` of strings and numbers at once (the tolerant reading's codes) as an
    ``anyOf`` of one enum per JSON type: the same values, in a form generators can type."""
    if isinstance(schema, list):
        return [typed_enums(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: typed_enums(v) for k, v in schema.items()}
    values = out.get("enum")
    if not isinstance(values, list) or "type" in out or "anyOf" in out:
        return out
    kinds: dict[str, list[Any]] = {}
    for value in values:
        kind = "boolean" if isinstance(value, bool) else "integer" if isinstance(value, int) else type(value).__name__
        kinds.setdefault({"str": "string", "float": "number", "NoneType": "null"}.get(kind, kind), []).append(value)
    if len(kinds) < 2:
        return out
    del out["enum"]
    out["anyOf"] = [{"type": kind, "enum": listed} for kind, listed in kinds.items()]
    return out


def _vacuous(schema: Any) -> bool:
    """Whether a schema can reject nothing: ``{}``, or properties that are all ``{}``."""
    if not isinstance(schema, dict):
        return schema is True
    return set(schema) <= {"properties"} and all(v == {} for v in schema.get("properties", {}).values())


def pruned(schema: Any) -> Any:
    """Without the ``allOf`` entries a reading leaves empty: the tolerant reading drops the
    message a code pins, leaving conditions that require nothing."""
    if isinstance(schema, list):
        return [pruned(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: pruned(v) for k, v in schema.items()}
    if isinstance(out.get("allOf"), list):
        kept = [
            part
            for part in out["allOf"]
            if not _vacuous(part)
            and not (isinstance(part, dict) and set(part) <= {"if", "then"} and _vacuous(part.get("then", {})))
        ]
        if kept:
            out["allOf"] = kept
        else:
            del out["allOf"]
    return out
