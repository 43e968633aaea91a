"""Each dialect's strict schemas, derived from the contract's: the fake's self-check holds a
dialect's answers to exactly that dialect's shapes.

Every non-default option value names one rewrite of the schema data (retype a field, rename
or add a property, allow an error's ``data``...). ``x-tolerant`` overrides are left alone:
the tolerant reading is the contract's own, the union of every dialect.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mockserver.contract.dialects import Dialect
from mockserver.contract.dialects.render import DATA_ENVELOPE_FLOWS, misprints, spelled_right
from mockserver.contract.dialects.values import as_type

if TYPE_CHECKING:
    from mockserver.contract.loading import Contract

Schemas = dict[str, Any]
FLOW_FILES = {
    "ocr": ("ocr_",),
    "face_matching": ("face_matching_",),
    "liveness": ("liveness_",),
    "face_search": ("face_search_",),
    "smart_crop": ("smart_crop_",),
}


def _convert(value: Any, to: str) -> Any:
    if isinstance(value, bool):
        return ("True" if value else "False") if to == "string" else value
    return as_type(value, to)


def _retyped(node: Any, to: str) -> Any:
    if not isinstance(node, dict):
        return node
    out = dict(node)
    if "const" in out:
        out["const"] = _convert(out["const"], to)
    if "enum" in out:
        out["enum"] = [_convert(v, to) for v in out["enum"]]
    kind = out.get("type")
    if kind == "boolean" and to == "string":
        out.update(type="string", enum=["True", "False"])
    elif kind == "string" and to in ("integer", "number"):
        out["type"] = to
        out.pop("pattern", None)
    elif kind in ("integer", "number") and to == "string":
        out["type"] = "string"
    return out


def _each_property(node: Any, name: str, change: Callable[[Any], Any]) -> Any:
    """The schema with ``change`` applied to every ``properties[name]`` in it."""
    if isinstance(node, list):
        return [_each_property(item, name, change) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k == "x-tolerant" else _each_property(v, name, change)) for k, v in node.items()}
    properties = out.get("properties")
    if isinstance(properties, dict) and name in properties:
        out["properties"] = {**properties, name: change(properties[name])}
    return out


def _renamed(node: Any, old: str, new: str) -> Any:
    if isinstance(node, list):
        return [_renamed(item, old, new) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k == "x-tolerant" else _renamed(v, old, new)) for k, v in node.items()}
    if isinstance(out.get("properties"), dict) and old in out["properties"]:
        out["properties"] = {(new if k == old else k): v for k, v in out["properties"].items()}
    if isinstance(out.get("required"), list):
        out["required"] = [new if r == old else r for r in out["required"]]
    return out


def _files(schemas: Schemas, flow: str) -> list[str]:
    return [name for name in schemas if name.startswith(FLOW_FILES[flow])]


def retype(flow: str, fields: tuple[str, ...], to: str) -> Callable[[Schemas], None]:
    def apply(schemas: Schemas) -> None:
        for name in _files(schemas, flow):
            for field in fields:
                schemas[name] = _each_property(schemas[name], field, lambda node: _retyped(node, to))

    return apply


def _as_booleans(node: Any) -> Any:
    """A "True"/"False" string node as the JSON booleans it stands for."""
    if not isinstance(node, dict):
        return node
    out = dict(node)
    if "const" in out:
        out["const"] = out["const"] == "True"
    if "enum" in out:
        out["enum"] = [v == "True" for v in out["enum"]]
    return out


def _liveness_native(schemas: Schemas) -> None:
    retype("liveness", ("invalidCode",), "integer")(schemas)
    for name in _files(schemas, "liveness"):
        schemas[name] = _each_property(schemas[name], "valid", _as_booleans)


def rename(files: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> Callable[[Schemas], None]:
    def apply(schemas: Schemas) -> None:
        for name in [n for n in schemas if n.startswith(files)]:
            for old, new in pairs:
                schemas[name] = _renamed(schemas[name], old, new)

    return apply


def _face_search_aliases(schemas: Schemas) -> None:
    """Both key sets: the v1 aliases copy the documented keys' schemas and are required too."""
    for name in _files(schemas, "face_search"):
        schema = schemas[name]
        props = schema.get("properties", {})
        if "status_code" not in props:  # a part (the image object), not an envelope
            continue
        props["errorCode"], props["error_message"] = copy.deepcopy(props["status_code"]), {"type": "string"}
        schema["required"] = [*schema["required"], "errorCode", "error_message"]


def _error_data(value: Any) -> Callable[[Schemas], None]:
    """An error answer carries ``data`` (null or []), where the contract forbids it."""

    def replace(node: Any) -> Any:
        if isinstance(node, list):
            return [replace(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {k: replace(v) for k, v in node.items()}
        if out.get("not") == {"anyOf": [{"required": ["data"]}]}:
            del out["not"]
            out.pop("x-tolerant", None)
            out.update(required=["data"], properties={"data": {"const": value}})
        return out

    def apply(schemas: Schemas) -> None:
        for name in [n for flow in DATA_ENVELOPE_FLOWS for n in _files(schemas, flow)]:
            schemas[name] = replace(schemas[name])

    return apply


def _single_data_list(schemas: Schemas) -> None:
    """ekyc/card's one item comes as a list of one (a PDF's pages stay a list of plain items)."""
    data = schemas["ocr_ekyc_card_response.json"]["allOf"][-1]["then"]["properties"]["data"]
    data["else"] = {"items": data["else"], "maxItems": 1, "minItems": 1, "type": "array"}
    data["then"] = {"anyOf": [data["then"], data["else"]]}


def _passport_spelling(schemas: Schemas) -> None:
    """The vendor's spellings, on the passport alone (the chip back's mrz_confidence stays)."""
    defs = schemas["ocr_document.json"]["$defs"]
    for old, new in (("person_number_box", "Person_number_box"), ("mrz_confidence", "mrz_confindence")):
        defs["info_passport"] = _renamed(defs["info_passport"], old, new)


def _top_level_warning(schemas: Schemas) -> None:
    for name in ("ocr_ekyc_cards_response.json", "ocr_ekyc_card_response.json"):
        schemas[name]["properties"].update(invalidMessage={"type": "string"}, Exception={"type": "string"})


REWRITES: dict[tuple[str, str], Callable[[Schemas], None]] = {
    ("ocr.error_code", "integer"): retype("ocr", ("errorCode",), "integer"),
    ("ocr.invalid_code", "string"): retype("ocr", ("invalidCode",), "string"),
    ("ocr.valid", "string"): retype("ocr", ("valid",), "string"),
    ("ocr.single_data", "list"): _single_data_list,
    ("ocr.top_level_warning", "present"): _top_level_warning,
    ("ocr.passport_spelling", "vendor"): _passport_spelling,
    ("face_matching.error_code", "integer"): retype("face_matching", ("errorCode",), "integer"),
    ("face_matching.invalid_code", "string"): retype("face_matching", ("invalidCode",), "string"),
    ("liveness.types", "native"): _liveness_native,
    ("face_matching.scores", "number"): retype("face_matching", ("matching", "match"), "number"),
    ("face_search.status_code", "string"): retype("face_search", ("status_code", "errorCode"), "string"),
    ("face_search.keys", "v1"): rename(("face_search_",), (("status_code", "errorCode"), ("message", "error_message"))),
    ("face_search.keys", "both"): _face_search_aliases,
    ("smart_crop.codes", "string"): retype("smart_crop", ("errorCode", "invalidCode"), "string"),
    ("errors.data", "null"): _error_data(None),
    ("errors.data", "empty_list"): _error_data([]),
}


_SLASHED, _HYPHENED = r"^\d{1,2}/\d{1,2}/\d{4}$", r"^\d{1,2}-\d{1,2}-\d{4}$"


def _refusing(node: Any, refused: dict[str, Any]) -> Any:
    return {"allOf": [node, {"not": refused}]}


def _pin_dates(separator: str) -> Callable[[Schemas], None]:
    """A document's dates in this dialect's separator: a date with the other one is refused."""
    other = _HYPHENED if separator == "slash" else _SLASHED

    def apply(schemas: Schemas) -> None:
        defs = schemas["ocr_document.json"]["$defs"]
        for name in [n for n in defs if n.startswith("info_")]:
            properties = defs[name].get("properties", {})
            for field, node in properties.items():
                if node == {"$ref": "#/$defs/text"}:
                    properties[field] = _refusing(node, {"pattern": other})

    return apply


def _answer_files(endpoints: frozenset[str]) -> set[str]:
    return {f"ocr_{endpoint.rsplit('/', 1)[-1]}_response.json" for endpoint in endpoints}


def _pin_messages(
    misprints: dict[str, dict[str, str]], verbatim: bool, right: dict[str, frozenset[str]]
) -> Callable[[Schemas], None]:
    """The messages the docs misprint, in this dialect's spelling: the other one is refused.
    An endpoint whose own page spells a message right keeps the right spelling (an OCR
    answer's schema is named after its endpoint: ocr/document/x answers ocr_x_response.json)."""

    def apply(schemas: Schemas) -> None:
        for flow, table in misprints.items():
            for name in _files(schemas, flow):
                # a verbatim answer misprints a message, unless this endpoint's page prints it right
                misprinted = {m for m in table if verbatim and name not in _answer_files(right.get(m, frozenset()))}
                refused = {"enum": sorted(m if m in misprinted else wrong for m, wrong in table.items())}

                def change(node: Any, refused: dict[str, Any] = refused) -> Any:
                    return _refusing(node, refused)

                for field in ("errorMessage", "invalidMessage"):
                    schemas[name] = _each_property(schemas[name], field, change)

    return apply


def dialect_schemas(
    schemas: Schemas,
    changed: dict[str, str],
    pinned: dict[str, str] | None = None,
    misprints: Any = None,
    right: dict[str, frozenset[str]] | None = None,
) -> Schemas:
    """The strict schemas of a dialect, given its non-default option values; with ``pinned``
    (every option's value), what a value leaves the same shape is pinned too: the date
    separator and the spelling of the misprinted messages, so that one dialect's answer fails
    another's schemas."""
    out = copy.deepcopy(schemas)
    for option, value in sorted(changed.items()):
        rewrite = REWRITES.get((option, value))
        if rewrite is not None:
            rewrite(out)
    if pinned:
        _pin_dates(pinned.get("ocr.date_separator", "hyphen"))(out)
        _pin_messages(misprints or {}, pinned.get("messages") == "verbatim", right or {})(out)
    return out


_CONTRACTS: dict[tuple[int, tuple[tuple[str, str], ...]], Contract] = {}


def dialect_contract(contract: Contract, dialect: Dialect) -> Contract:
    """The contract with ``dialect``'s strict schemas (the default dialect's too: its dates and
    messages pinned), derived once per process and dialect."""
    values = tuple(sorted(dialect.as_dict().items()))
    key = (id(contract), values)
    if key not in _CONTRACTS:
        changed = dialect.changed(contract.dialects)
        catalogue = contract.catalogue
        schemas = dialect_schemas(
            contract.schemas, changed, dict(values), misprints(catalogue), spelled_right(catalogue)
        )
        _CONTRACTS[key] = contract.derived(schemas)
    return _CONTRACTS[key]
