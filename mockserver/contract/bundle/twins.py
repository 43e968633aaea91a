"""Face Search variants a generated client tells apart in every dialect (tolerant reading).

The tolerant reading of a Face Search envelope requires only ``result``: its code key is
``status_code`` in the documented reading and ``errorCode`` in the ``face_search.keys=v1``
one, so it cannot require either. A client generated from that tries each variant in turn
and takes the first whose required keys are there, so it would read an error as a success.
Here each variant requires its code under one spelling, and gets a twin that requires it
under the other (``...ErrorCodeKeys``); a response lists both, so every answer, in every
dialect, matches the variants of its own code and no other.
"""

from __future__ import annotations

import copy
from typing import Any

CODE, MESSAGE = "status_code", "message"
V1_CODE, V1_MESSAGE = "errorCode", "error_message"
SUFFIX = "ErrorCodeKeys"


def _is_variant(name: str, schema: dict[str, Any]) -> bool:
    return name.startswith("FaceSearch") and CODE in schema.get("properties", {})


def _twin(schema: dict[str, Any]) -> dict[str, Any]:
    twin = copy.deepcopy(schema)
    spelled = {CODE: V1_CODE, MESSAGE: V1_MESSAGE}
    twin["properties"] = {spelled.get(k, k): v for k, v in schema["properties"].items()}
    twin["required"] = [spelled.get(k, k) for k in schema.get("required", [])]
    twin["title"] = schema.get("title", "") + SUFFIX
    return twin


def with_twins(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` with every Face Search variant requiring its code, beside its twin."""
    out = dict(schemas)
    twins: dict[str, str] = {}
    for name, schema in schemas.items():
        if not _is_variant(name, schema):
            continue
        kept = copy.deepcopy(schema)
        kept["required"] = [CODE, *[k for k in kept.get("required", []) if k != CODE]]
        out[name] = kept
        out[name + SUFFIX] = _twin(kept)
        twins[f"#/components/schemas/{name}"] = f"#/components/schemas/{name}{SUFFIX}"
    for name, schema in schemas.items():
        for key in ("anyOf", "oneOf"):
            choices = schema.get(key)
            if isinstance(choices, list) and any(c.get("$ref") in twins for c in choices):
                listed = []
                for choice in choices:
                    listed.append(choice)
                    if choice.get("$ref") in twins:
                        listed.append({"$ref": twins[choice["$ref"]]})
                out[name] = {**schema, key: listed}
    return dict(sorted(out.items()))
