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
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from mockserver.contract.loading import Contract, ContractError, Strictness, tolerant_form

COMPONENTS = "#/components/schemas/"
# Properties whose value picks an answer's shape: the answer's code, or an item's document type.
DISCRIMINATORS = ("errorCode", "status_code", "type")
SUCCESS_CODES = ("0", 0)
Examples = Mapping[tuple[str, str], Any]  # (operationId, response key or "request") -> a JSON body


def pascal(text: str) -> str:
    """``ocr_card_response`` / ``Url is unavailable`` -> ``OcrCardResponse`` / ``UrlIsUnavailable``."""
    words = re.split(r"[^0-9A-Za-z]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


class _Namer:
    """Unique component names. A variant several parents share is one component, named for
    what it is rather than for the first parent that met it."""

    def __init__(self, reserved: set[str]) -> None:
        self.schemas: dict[str, Any] = {}
        self._reserved = reserved
        self._by_body: dict[str, str] = {}
        self._users: dict[str, set[str]] = {}
        self._shared: dict[str, str | None] = {}

    def add(self, own: str, shared: str | None, user: str, body: dict[str, Any]) -> str:
        """The component for ``body``; with no shared name it is ``user``'s alone, even when
        another has the same schema (each operation's success answer is its own type)."""
        key = json.dumps(body, sort_keys=True) if shared else f"{user}:{own}"
        name = self._by_body.get(key)
        if name is None:
            name = own if own not in self.schemas and own not in self._reserved else f"{own}{len(self.schemas)}"
            self.schemas[name] = {**body, "title": name}
            self._by_body[key], self._shared[name] = name, shared
        self._users.setdefault(name, set()).add(user)
        return name

    def renames(self) -> dict[str, str]:
        """Own name -> shared name, for the variants more than one user has."""
        out: dict[str, str] = {}
        for name, users in self._users.items():
            shared = self._shared[name]
            if shared and len(users) > 1 and shared not in self.schemas and shared not in self._reserved:
                if shared not in out.values():
                    out[name] = shared
        return out


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
        self.namer = _Namer({*self.file_names.values(), *self.def_names.values()})
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
        schema = _open_object(_shape_choice(_reserved_keys(schema)))
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
        split = _split(schema, self._resolve_local(file))
        if split is None:
            return self.node(schema, file)
        key, variants = split
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
        message, flow = _message_of(variant), pascal(self.flow_of.get(file, ""))
        return f"{flow}Error{message}", f"Error{message}", flow


def _reserved_keys(schema: dict[str, Any]) -> dict[str, Any]:
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


def _open_object(schema: dict[str, Any]) -> dict[str, Any]:
    """An object with no listed properties takes any: saying so (``additionalProperties: {}``)
    changes no answer's validity, and generators stop typing it as an empty object."""
    if schema.get("type") == "object" and not {"properties", "additionalProperties", "$ref"} & set(schema):
        return {**schema, "additionalProperties": {}}
    return schema


def _shape_choice(schema: dict[str, Any]) -> dict[str, Any]:
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


def _message_of(variant: dict[str, Any]) -> str:
    for key in ("errorMessage", "message"):
        prop = variant.get("properties", {}).get(key)
        if isinstance(prop, dict) and prop.get("enum"):
            return pascal(str(prop["enum"][0]))
    return "Code"


def _condition(branch: Any) -> tuple[str, list[Any]] | None:
    """The property and values an ``if`` tests: ``{properties: {K: {const|enum}}}``, or None."""
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
        return key, ["$ref", spec["$ref"]]
    return None


def _split(schema: Any, resolve: Callable[[str], Any]) -> tuple[str, list[tuple[Any, dict[str, Any]]]] | None:
    """(discriminating property, [(value, variant schema)]) or None when nothing picks a shape."""
    if not isinstance(schema, dict) or "allOf" not in schema:
        return None
    tested: dict[str, list[Any]] = {}
    for branch in schema["allOf"]:
        found = _condition(branch)
        if found:
            tested.setdefault(found[0], []).append(branch)
    key = next((k for k in DISCRIMINATORS if k in tested), None)
    if key is None:
        return None
    values = _values(schema.get("properties", {}).get(key), resolve)
    if not values:
        return None
    base = {k: v for k, v in schema.items() if k != "allOf"}
    others = [b for b in schema["allOf"] if b not in tested[key]]
    variants = []
    for value in values:
        variant = copy.deepcopy(base)
        variant["properties"] = dict(variant.get("properties", {}))
        variant["properties"][key] = _pinned(value)
        for branch in tested[key]:
            if _matches(branch, key, value, resolve):
                variant = _merge(variant, branch.get("then", {}), resolve)
            elif "else" in branch:
                variant = _merge(variant, branch["else"], resolve)
        kept = [b for b in others if _condition(b) is None or _condition(b)[0] in variant["properties"]]  # type: ignore[index]
        if kept:
            variant["allOf"] = variant.get("allOf", []) + copy.deepcopy(kept)
        for said in ("title", "description"):  # the response's own words, not the variant's
            variant.pop(said, None)
        variants.append((value, variant))
    return key, variants


def _values(spec: Any, resolve: Callable[[str], Any]) -> list[Any]:
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


def _matches(branch: dict[str, Any], key: str, value: Any, resolve: Callable[[str], Any]) -> bool:
    found = _condition(branch)
    assert found is not None
    values = found[1]
    if values[:1] == ["$ref"]:
        values = _values({"$ref": values[1]}, resolve)
    return any(type(v) is type(value) and v == value for v in values)


def _merge(base: dict[str, Any], extra: Any, resolve: Callable[[str], Any]) -> dict[str, Any]:
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
                replaces = not isinstance(current, dict) or not isinstance(sub, dict) or "$ref" in sub
                if current in (None, True, {}) or replaces:
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
        elif key == "x-tolerant":
            if isinstance(out.get("x-tolerant"), dict):
                out["x-tolerant"] = {**out["x-tolerant"], **{k: v for k, v in value.items() if k != "not"}}
            else:
                kept = {k: v for k, v in value.items() if k != "not"}
                if kept:
                    out["x-tolerant"] = kept
        elif key not in ("title", "$id", "$schema"):
            out[key] = copy.deepcopy(value)
    if isinstance(out.get("x-tolerant"), dict) and not out["x-tolerant"]:
        del out["x-tolerant"]
    return out


# -- the OpenAPI document -------------------------------------------------------------------


def bundle(contract: Contract, level: Strictness = "strict", examples: Examples | None = None) -> dict[str, Any]:
    """The contract as one OpenAPI document in the given reading, with the fake's answers as examples."""
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
    if level == "tolerant":
        schemas = {name: _typed_enums(_pruned(tolerant_form(body))) for name, body in bundler.namer.schemas.items()}
    else:
        schemas = {name: _pruned(_strict(body)) for name, body in bundler.namer.schemas.items()}
    renames = bundler.namer.renames()
    components["schemas"] = {renames.get(name, name): body for name, body in sorted(schemas.items())}
    document = cast(dict[str, Any], _renamed(document, renames))
    document["components"]["schemas"] = dict(sorted(document["components"]["schemas"].items()))
    for path_item in document["paths"].values():
        for op in path_item.values():
            sent = (examples or {}).get((op["operationId"], "request"))
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if sent is not None and body is not None:  # a shared requestBodies entry has none
                body["example"] = sent
            for status, response in op.get("responses", {}).items():
                found = (examples or {}).get((op["operationId"], status))
                if found is not None:
                    response["content"]["application/json"]["example"] = found
    document["info"] = {
        **document["info"],
        "description": document["info"]["description"]
        + f" This is the bundled form ({level} reading), generated from the sources by"
        " python -m mockserver.bundle; do not edit.",
    }
    return document


def _strict(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _strict(v) for k, v in schema.items() if k != "x-tolerant"}


def _typed_enums(schema: Any) -> Any:
    """An ``enum`` of strings and numbers at once (the tolerant reading's codes) as an
    ``anyOf`` of one enum per JSON type: the same values, in a form generators can type."""
    if isinstance(schema, list):
        return [_typed_enums(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _typed_enums(v) for k, v in schema.items()}
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


def _pruned(schema: Any) -> Any:
    """Without the ``allOf`` entries a reading leaves empty: the tolerant reading drops the
    message a code pins, leaving conditions that require nothing."""
    if isinstance(schema, list):
        return [_pruned(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _pruned(v) for k, v in schema.items()}
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


def _renamed(node: Any, renames: Mapping[str, str]) -> Any:  # same shape as node
    """``node`` with every reference to, and title of, a renamed component following it."""
    if not renames:
        return node
    if isinstance(node, list):
        return [_renamed(item, renames) for item in node]
    if isinstance(node, str):
        if node.startswith(COMPONENTS) and node.removeprefix(COMPONENTS) in renames:
            return COMPONENTS + renames[node.removeprefix(COMPONENTS)]
        return node
    if not isinstance(node, dict):
        return node
    out = {k: _renamed(v, renames) for k, v in node.items()}
    if isinstance(out.get("title"), str) and out["title"] in renames:
        out["title"] = renames[out["title"]]
    return out
