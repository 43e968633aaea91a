"""Reading a cassette file safely: bounded in size, no YAML anchors or aliases (a few hundred
bytes of aliases expand to gigabytes), and every failure one message naming the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_CASSETTE_BYTES = 64 * 1024 * 1024


class CassetteError(ValueError):
    """A cassette that cannot be used, with the file, the interaction and the problem."""


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases: a recorder never writes them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            line = event.start_mark.line + 1 if event.start_mark is not None else "?"
            raise yaml.constructor.ConstructorError(None, None, f"line {line}: YAML anchors and aliases are refused")
        return super().compose_node(parent, index)


def read_yaml(path: Path) -> Any:
    """The document in ``path``; :class:`CassetteError` when it is too large, not UTF-8, not
    YAML, or uses anchors, aliases or tags the safe loader does not know."""
    try:
        size = path.stat().st_size
        if size > MAX_CASSETTE_BYTES:
            raise CassetteError(f"{path}: {size} bytes, over the {MAX_CASSETTE_BYTES}-byte limit for a cassette")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CassetteError(f"{path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CassetteError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        reason = " ".join(str(exc).split())[:300]
        raise CassetteError(f"{path}: not a usable YAML cassette: {reason}") from exc
    except RecursionError as exc:
        raise CassetteError(f"{path}: nested too deeply to be a cassette") from exc
