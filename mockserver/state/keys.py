"""Keys files: JSON or TOML, ``{"keys": [{"api_key": ..., "api_secret": ..., "quota": N}]}``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEMO_KEY = ("demo", "p@55w0rd")


class KeysFileError(ValueError):
    """The keys file cannot be used; the message names the file and the entry."""


def load_keys(path: str | Path) -> list[dict[str, Any]]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text) if file.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise KeysFileError(f"{file}: {exc}") from exc
    entries = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise KeysFileError(f"{file}: expected a top-level 'keys' list")
    return [_checked(file, n, entry) for n, entry in enumerate(entries)]


def _checked(file: Path, n: int, entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise KeysFileError(f"{file}: keys[{n}] is not a table")
    key, secret, quota = entry.get("api_key"), entry.get("api_secret"), entry.get("quota")
    if not isinstance(key, str) or not key or ":" in key or not isinstance(secret, str) or not secret:
        raise KeysFileError(f"{file}: keys[{n}] needs api_key (no colon) and api_secret strings")
    if quota is not None and (type(quota) is not int or quota < 0):
        raise KeysFileError(f"{file}: keys[{n}].quota must be a non-negative integer")
    return {"api_key": key, "api_secret": secret, "quota": quota}
