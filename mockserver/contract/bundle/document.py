"""One self-contained OpenAPI document per reading, in the form code generators follow.

The sources say "which fields an answer has" with ``if``/``then`` on the answer's code or
document type: concise, and exactly what a validator needs, but no generator follows a
conditional. The bundle says the same thing as a ``oneOf`` of named components — one per
code (each error envelope, the success answer) and one per document type — with a
``discriminator`` where the discriminating property is a string. Conditionals that only pin
a message to its code stay; they change no field's type.

Everything else a tool trips on goes too: references to other files become
``#/components/schemas/...``, boolean schemas become ``{}`` / ``{"not": {}}``, every component
is titled with its own unique name, and the inline titles that repeat a path are dropped.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from mockserver.contract.bundle.conditionals import message_of, split
from mockserver.contract.bundle.forms import (
    bottom_up,
    open_object,
    reserved_keys,
    shape_choice,
    typed_enum,
    without_empty_conditions,
    without_tolerance,
)
from mockserver.contract.bundle.naming import COMPONENTS, Namer, pascal, renamed
from mockserver.contract.bundle.twins import with_twins
from mockserver.contract.loading import Contract, ContractError, Strictness, tolerant_form

SUCCESS_CODES = ("0", 0)
Examples = Mapping[tuple[str, str], Any]  # (operationId, response key or "request") -> a JSON body


class _Bundler:
    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.flow_of = {op.schema: op.flow for op in contract.operations}
        # Every file and every $defs entry gets a component name first, so references resolve.
        self.file_names = {f: pascal(f.removesuffix(".json")) for f in contract.schemas}
        self.def_names: dict[tuple[str, str], str] = {}
        for file, schema in contract.schemas.items():
            for def_name in schema.get("$defs", {}):
                self.def_names[(file, def_name)] = pascal(def_name)
        self.namer = Namer({*self.file_names.values(), *self.def_names.values()})
        self.done: dict[str, str] = {}  # target key -> component name once converted
        self.variants: dict[tuple[str, str], dict[Any, str]] = {}  # (component, property) -> value -> variant

    # -- references -------------------------------------------------------------------------

    def _target(self, ref: str, file: str) -> tuple[str, str | None]:
        where, _, pointer = ref.partition("#")
        target_file = where or file
        if target_file not in self.contract.schemas:
            raise ContractError(file, ref, "reference to a file outside contracts/schemas")
        if not pointer:
            return target_file, None
        match = re.fullmatch(r"/\$defs/([^/]+)", pointer)
        if not match:
            raise ContractError(file, ref, "only whole files and $defs entries can be bundled")
        return target_file, match.group(1)

    def _source(self, file: str, def_name: str | None) -> Any:
        schema = self.contract.schemas[file]
        if def_name is None:
            return {k: v for k, v in schema.items() if k not in ("$defs", "$id", "$schema")}
        return schema["$defs"][def_name]

    def ref(self, ref: str, file: str) -> dict[str, str]:
        """The bundled reference for a source reference, converting its target on first use."""
        target_file, def_name = self._target(ref, file)
        key = f"{target_file}#{def_name or ''}"
        if key not in self.done:
            name = self.def_names[(target_file, def_name)] if def_name else self.file_names[target_file]
            self.done[key] = name  # reserved before converting: the target may refer to itself
            self.namer.schemas[name] = {}
            body = self._source(target_file, def_name)
            if isinstance(body, dict) and "$ref" in body and len(body) <= 3:  # an alias (a file's root)
                converted = self.node(body, target_file)
            else:
                converted = self.component(name, body, target_file)
            converted = {**converted, "title": name}
            self.namer.schemas[name] = converted
        return {"$ref": COMPONENTS + self.done[key]}

    # -- nodes ------------------------------------------------------------------------------

    def node(self, schema: Any, file: str) -> Any:
        """A schema with its references rewritten, booleans made objects, inline titles dropped."""
        if schema is True:
            return {}
        if schema is False:
            return {"not": {}}
        if not isinstance(schema, dict):
            return schema
        narrowed = self._narrowed(schema, file)
        if narrowed is not None:
            return narrowed
        if "$ref" in schema:
            out = self.ref(schema["$ref"], file)
            rest = {k: v for k, v in schema.items() if k not in ("$ref", "title")}
            return {**out, **{k: self._keyword(k, v, file) for k, v in rest.items()}} if rest else out
        schema = open_object(shape_choice(reserved_keys(schema)))
        out = {}
        for key, value in schema.items():
            if key == "title":
                if "description" not in schema:
                    out["description"] = value
                continue
            out[key] = self._keyword(key, value, file)
        return out

    def _narrowed(self, schema: dict[str, Any], file: str) -> dict[str, Any] | None:
        """``allOf: [{$ref: item}, {properties: {type: {const|enum}}}]`` is the item's own
        variants for those types: say so by reference, which a generator types."""
        parts = schema.get("allOf")
        if set(schema) - {"x-tolerant", "description"} != {"allOf"} or not isinstance(parts, list) or len(parts) != 2:
            return None
        whole, pin = parts
        if not (isinstance(whole, dict) and set(whole) == {"$ref"}):
            return None
        if not (isinstance(pin, dict) and set(pin) == {"properties"}):
            return None
        if len(pin["properties"]) != 1:
            return None
        ((key, spec),) = pin["properties"].items()
        if not isinstance(spec, dict):
            return None
        values = [spec["const"]] if "const" in spec else spec.get("enum", [])
        target = self.ref(whole["$ref"], file)["$ref"].removeprefix(COMPONENTS)
        found = self.variants.get((target, key))
        if not values or not found or any(v not in found for v in values):
            return None
        refs = [{"$ref": COMPONENTS + found[v]} for v in values]
        out: dict[str, Any] = refs[0] if len(refs) == 1 else {"oneOf": refs}
        if "x-tolerant" in schema:
            out = {**out, "x-tolerant": self._keyword("x-tolerant", schema["x-tolerant"], file)}
            if "$ref" in out:  # the tolerant alternatives stand in place of the pinned variant
                out["x-tolerant"].setdefault("$ref", None)
        return out

    def _keyword(self, key: str, value: Any, file: str) -> Any:
        if key in ("properties", "$defs", "patternProperties"):
            return {name: self.node(sub, file) for name, sub in value.items()}
        if key in ("items", "not", "if", "then", "else", "contains", "propertyNames"):
            return self.node(value, file)
        if key in ("allOf", "anyOf", "oneOf", "prefixItems"):
            return [self.node(sub, file) for sub in value]
        if key == "x-tolerant":
            return {k: (None if v is None else self._keyword(k, v, file)) for k, v in value.items()}
        return copy.deepcopy(value)

    # -- conditionals to variants -----------------------------------------------------------

    def component(self, name: str, schema: Any, file: str) -> Any:
        """A converted component: split into named variants where a conditional picks its shape."""
        found = split(schema, self._resolve_local(file))
        if found is None:
            return self.node(schema, file)
        key, variants = found
        refs, mapping = [], {}
        for value, variant in variants:
            body = self.node(variant, file)
            chosen = self.namer.add(*self._label(name, file, key, value, variant), body)
            refs.append({"$ref": COMPONENTS + chosen})
            mapping[str(value)] = COMPONENTS + chosen
            self.variants.setdefault((name, key), {})[value] = chosen
        out: dict[str, Any] = {"oneOf": refs}
        if all(isinstance(v, str) for v, _ in variants):
            out["discriminator"] = {"propertyName": key, "mapping": mapping}
        if key != "type":  # a dialect may send codes as numbers: overlapping, untyped by tag
            out["x-tolerant"] = {"oneOf": None, "anyOf": refs, "discriminator": None}
        if schema.get("description"):
            out["description"] = schema["description"]
        return out

    def _resolve_local(self, file: str) -> Callable[[str], Any]:
        def resolve(ref: str) -> Any:
            target_file, def_name = self._target(ref, file)
            if target_file != file:
                return None
            return self._source(target_file, def_name)

        return resolve

    def _label(
        self, name: str, file: str, key: str, value: Any, variant: dict[str, Any]
    ) -> tuple[str, str | None, str]:
        """(own name, name when shared, who uses it): an item variant is its parent's, an
        error envelope its flow's, until another uses the very same schema."""
        base = name.removesuffix("Response")
        if key == "type":
            return base + pascal(str(value)), pascal(str(value)) + "Item", name
        if value in SUCCESS_CODES:
            return base + "Success", None, name
        message, flow = message_of(variant), pascal(self.flow_of.get(file, ""))
        return f"{flow}Error{message}", f"Error{message}", flow


READINGS: dict[Strictness, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # How each reading finishes a converted object (the objects inside it are finished first).
    "strict": lambda node: without_empty_conditions(without_tolerance(node)),
    "tolerant": lambda node: typed_enum(without_empty_conditions(node)),
}


def bundles(contract: Contract, examples: Examples | None = None) -> dict[Strictness, dict[str, Any]]:
    """The contract as one OpenAPI document per reading, with the fake's answers as examples.
    The conversion is done once; the readings differ only in how its schemas are finished."""
    bundler = _Bundler(contract)
    document = copy.deepcopy(contract.openapi)

    def rewrite(node: Any) -> Any:
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("schemas/"):
            return bundler.ref(node["$ref"].removeprefix("schemas/"), "")
        return {key: rewrite(value) for key, value in node.items()}

    document["paths"] = rewrite(document["paths"])
    components = document.setdefault("components", {})
    for section in ("parameters", "requestBodies", "responses"):
        if section in components:
            components[section] = rewrite(components[section])
    _add_examples(document, examples or {})
    renames = bundler.namer.renames()
    document = cast(dict[str, Any], renamed(document, renames))
    converted = cast(dict[str, Any], renamed(bundler.namer.schemas, renames))
    out: dict[Strictness, dict[str, Any]] = {}
    for level, finish in READINGS.items():
        reading = copy.deepcopy(document)
        reading["components"]["schemas"] = {
            renames.get(name, name): bottom_up(tolerant_form(body) if level == "tolerant" else body, finish)
            for name, body in converted.items()
        }
        reading["components"]["schemas"] = dict(sorted(reading["components"]["schemas"].items()))
        if level == "tolerant":  # what a generated client needs to tell Face Search's variants apart
            reading["components"]["schemas"] = with_twins(reading["components"]["schemas"])
        reading["info"] = {
            **reading["info"],
            "description": reading["info"]["description"]
            + f" This is the bundled form ({level} reading), generated from the sources by"
            " python -m mockserver.bundle; do not edit.",
        }
        out[level] = reading
    return out


def _add_examples(document: dict[str, Any], examples: Examples) -> None:
    for path_item in document["paths"].values():
        for op in path_item.values():
            sent = examples.get((op["operationId"], "request"))
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if sent is not None and body is not None:  # a shared requestBodies entry has none
                body["example"] = sent
            for status, response in op.get("responses", {}).items():
                found = examples.get((op["operationId"], status))
                if found is not None:
                    response["content"]["application/json"]["example"] = found
