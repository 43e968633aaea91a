"""One value in another JSON type, as a dialect option's value asks (codes, scores)."""

from __future__ import annotations

from typing import Any


def as_type(value: Any, to: str) -> Any:
    """``value`` as a JSON ``string``, ``integer`` or ``number`` when it is one in another
    type (``"0"`` <-> ``0``, ``"87.5"`` -> ``87.5``); anything else as it is."""
    if to == "string":
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if to == "integer" and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if to == "number" and isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value
