"""Dialects: the readings of the API the vendor docs leave open, each switchable.

The options and the named dialects are data (``contracts/dialects.json``), each option tied to
its entry in ``contracts/ASSUMPTIONS.md``. Views build the contract's default answer; one
rendering step (:mod:`.render`) turns it into the configured dialect just before the fake's
self-check, which validates it against that dialect's own strict schemas (:mod:`.schemas`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Dialect", "DialectError", "resolve_dialect"]


class DialectError(ValueError):
    """An unknown dialect, option or value; the message lists what is known."""


@dataclass(frozen=True)
class Dialect:
    """A full set of readings: every option with one of its values."""

    name: str
    settings: tuple[tuple[str, str], ...]

    def value(self, option: str) -> str:
        return dict(self.settings)[option]

    def as_dict(self) -> dict[str, str]:
        return dict(self.settings)

    def changed(self, table: Mapping[str, Any]) -> dict[str, str]:
        """The options whose value is not the contract's default."""
        return {k: v for k, v in self.settings if table["options"][k]["default"] != v}


def resolve_dialect(table: Mapping[str, Any], spec: Any = None, overrides: Mapping[str, str] | None = None) -> Dialect:
    """A dialect from ``spec`` -- a name in the table, a JSON or TOML file, a mapping
    (``{"name": ..., "options": {...}}`` or options alone) or None for the default -- with
    ``overrides`` (option -> value) applied on top."""
    name, chosen = _spec_options(table, spec)
    settings = {option: entry["default"] for option, entry in table["options"].items()}
    for option, value in {**chosen, **(overrides or {})}.items():
        _check(table, option, value)
        settings[option] = str(value)
    if overrides:
        name = f"{name}+" + ",".join(f"{k}={v}" for k, v in sorted(overrides.items()))
    return Dialect(name, tuple(sorted(settings.items())))


def _spec_options(table: Mapping[str, Any], spec: Any) -> tuple[str, dict[str, str]]:
    if spec is None or spec == "":
        return "default", {}
    if isinstance(spec, Mapping):
        options = spec.get("options", {k: v for k, v in spec.items() if k not in ("name", "description")})
        return str(spec.get("name", "custom")), dict(options)
    if isinstance(spec, str) and spec in table["dialects"]:
        return spec, dict(table["dialects"][spec]["options"])
    path = Path(str(spec))
    if path.suffix.lower() in (".json", ".toml") or path.exists():
        return _from_file(path)
    known = ", ".join(sorted(table["dialects"]))
    raise DialectError(f"no dialect {spec!r}: give one of {known}, or a .json or .toml dialect file")


def _from_file(path: Path) -> tuple[str, dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        raise DialectError(f"cannot read dialect file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise DialectError(f"dialect file {path}: expected an object with 'options'")
    options = data.get("options", {k: v for k, v in data.items() if k not in ("name", "description")})
    if not isinstance(options, dict):
        raise DialectError(f"dialect file {path}: 'options' must be an object")
    return str(data.get("name", path.stem)), {str(k): str(v) for k, v in options.items()}


def _check(table: Mapping[str, Any], option: str, value: Any) -> None:
    options = table["options"]
    if option not in options:
        raise DialectError(f"no dialect option {option!r}; known: {', '.join(sorted(options))}")
    allowed = options[option]["values"]
    if str(value) not in allowed:
        raise DialectError(f"{option} takes {', '.join(sorted(allowed))}, not {value!r}")


def parse_settings(pairs: list[str]) -> dict[str, str]:
    """``["ocr.error_code=integer", ...]`` as a mapping (the CLI's ``--set``)."""
    out = {}
    for pair in pairs:
        option, sep, value = pair.partition("=")
        if not sep or not option.strip() or not value.strip():
            raise DialectError(f"--set takes OPTION=VALUE, not {pair!r}")
        out[option.strip()] = value.strip()
    return out
