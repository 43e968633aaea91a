"""Component names: PascalCase of the source names, unique, shared where a schema is shared."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

COMPONENTS = "#/components/schemas/"


def pascal(text: str) -> str:
    """``ocr_card_response`` / ``Url is unavailable`` -> ``OcrCardResponse`` / ``UrlIsUnavailable``."""
    words = re.split(r"[^0-9A-Za-z]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


class Namer:
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


def renamed(node: Any, renames: Mapping[str, str]) -> Any:  # same shape as node
    """``node`` with every reference to, and title of, a renamed component following it."""
    if not renames:
        return node
    if isinstance(node, list):
        return [renamed(item, renames) for item in node]
    if isinstance(node, str):
        if node.startswith(COMPONENTS) and node.removeprefix(COMPONENTS) in renames:
            return COMPONENTS + renames[node.removeprefix(COMPONENTS)]
        return node
    if not isinstance(node, dict):
        return node
    out = {k: renamed(v, renames) for k, v in node.items()}
    if isinstance(out.get("title"), str) and out["title"] in renames:
        out["title"] = renames[out["title"]]
    return out
