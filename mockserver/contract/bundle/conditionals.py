"""Conditionals to variants: the ``if``/``then`` on a discriminating property becomes one
schema per value, with the branches that value takes merged in."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from mockserver.contract.bundle.naming import pascal
from mockserver.contract.loading import ContractError

# Properties whose value picks an answer's shape: the answer's code, or an item's document type.
DISCRIMINATORS = ("errorCode", "status_code", "type")
Resolver = Callable[[str], Any]


def message_of(variant: dict[str, Any]) -> str:
    for key in ("errorMessage", "message"):
        prop = variant.get("properties", {}).get(key)
        if isinstance(prop, dict) and prop.get("enum"):
            return pascal(str(prop["enum"][0]))
    return "Code"


def _condition(branch: Any, resolve: Resolver) -> tuple[str, list[Any]] | None:
    """The property and values an ``if`` tests: ``{properties: {K: {const|enum|$ref}}}``, or None."""
    if not isinstance(branch, dict) or "if" not in branch:
        return None
    test = branch["if"]
    props = test.get("properties", {})
    if set(test) - {"properties", "required", "x-tolerant"} or len(props) != 1:
        return None
    ((key, spec),) = props.items()
    if not isinstance(spec, dict):
        return None
    if "const" in spec:
        return key, [spec["const"]]
    if "enum" in spec:
        return key, list(spec["enum"])
    if "$ref" in spec:
        return key, _values(spec, resolve)
    return None


def split(schema: Any, resolve: Resolver) -> tuple[str, list[tuple[Any, dict[str, Any]]]] | None:
    """(discriminating property, [(value, variant schema)]) or None when nothing picks a shape."""
    if not isinstance(schema, dict) or "allOf" not in schema:
        return None
    tested: dict[str, list[tuple[dict[str, Any], list[Any]]]] = {}  # property -> (branch, values it tests)
    others: list[tuple[Any, str | None]] = []  # the other branches, with the property they test
    for branch in schema["allOf"]:
        found = _condition(branch, resolve)
        if found:
            tested.setdefault(found[0], []).append((branch, found[1]))
        others.append((branch, found[0] if found else None))
    key = next((k for k in DISCRIMINATORS if k in tested), None)
    if key is None:
        return None
    values = _values(schema.get("properties", {}).get(key), resolve)
    if not values:
        return None
    base = {k: v for k, v in schema.items() if k != "allOf"}
    others = [(b, tests) for b, tests in others if tests != key]
    variants = []
    for value in values:
        variant = copy.deepcopy(base)
        variant["properties"] = dict(variant.get("properties", {}))
        variant["properties"][key] = _pinned(value)
        for branch, taken_by in tested[key]:
            if any(type(v) is type(value) and v == value for v in taken_by):
                variant = _merge(variant, branch.get("then", {}), resolve)
            elif "else" in branch:
                variant = _merge(variant, branch["else"], resolve)
        kept = [b for b, tests in others if tests is None or tests in variant["properties"]]
        if kept:
            variant["allOf"] = variant.get("allOf", []) + copy.deepcopy(kept)
        for said in ("title", "description"):  # the response's own words, not the variant's
            variant.pop(said, None)
        variants.append((value, variant))
    return key, variants


def _values(spec: Any, resolve: Resolver) -> list[Any]:
    if isinstance(spec, dict) and "$ref" in spec:
        spec = resolve(spec["$ref"])
    if isinstance(spec, dict) and isinstance(spec.get("enum"), list):
        return list(spec["enum"])
    return []


def _pinned(value: Any) -> dict[str, Any]:
    """The discriminating property of one variant; the tolerant reading takes either JSON type."""
    other: Any = None
    if isinstance(value, str) and value.isdigit():
        other = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        other = str(value)
    kind = "string" if isinstance(value, str) else "integer" if isinstance(value, int) else None
    pinned = {"type": kind, "const": value} if kind else {"const": value}
    if other is None:
        return pinned
    return {**pinned, "x-tolerant": {"type": None, "const": None, "enum": [value, other]}}


def _merge(base: dict[str, Any], extra: Any, resolve: Resolver) -> dict[str, Any]:
    """``base`` with a ``then``/``else`` branch applied: its fields added, forbidden ones removed."""
    if not isinstance(extra, dict):
        return base
    if "$ref" in extra:
        target = resolve(extra["$ref"])
        if target is None:
            raise ContractError("", extra["$ref"], "a branch may refer to a schema of its own file only")
        extra = {**{k: v for k, v in extra.items() if k != "$ref"}, **target}
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if key == "properties":
            props = out.setdefault("properties", {})
            for name, sub in value.items():
                current = props.get(name)
                if not isinstance(current, dict) or not current or not isinstance(sub, dict) or "$ref" in sub:
                    props[name] = copy.deepcopy(sub)
                else:
                    props[name] = _merge(current, sub, resolve)
        elif key == "required":
            out["required"] = list(dict.fromkeys([*out.get("required", []), *value]))
        elif key == "allOf":
            out["allOf"] = [*out.get("allOf", []), *copy.deepcopy(value)]
        elif key == "not":
            for forbidden in value.get("anyOf", [value]):
                for name in forbidden.get("required", []):
                    out.get("properties", {}).pop(name, None)
        elif key == "x-tolerant":  # its "not" went with the keys removed above
            merged = {**(out.get("x-tolerant") or {}), **{k: v for k, v in value.items() if k != "not"}}
            if merged:
                out["x-tolerant"] = merged
        elif key not in ("title", "$id", "$schema"):
            out[key] = copy.deepcopy(value)
    return out
