"""Cassette files on disk: which files a folder holds, reading one safely (bounded in size, no
YAML anchors or aliases: a few hundred bytes of aliases expand to gigabytes; every failure
one message naming the file), and replacing one atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

MAX_CASSETTE_BYTES = 64 * 1024 * 1024
SUFFIXES = (".yaml", ".yml")  # what a folder is searched for; a file named alone may be JSON


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


def cassette_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The cassettes at ``paths``: a file as named; a folder's ``.yaml`` and ``.yml`` files,
    its subfolders' included, in path order. Replay and the leak check both read this."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        else:
            yield path


def named_cassette(folder: Path, name: str) -> Path | None:
    """``folder/NAME.yaml``, else ``folder/NAME.yml``, if either exists."""
    for suffix in SUFFIXES:
        candidate = folder / f"{name}{suffix}"
        if candidate.exists():
            return candidate
    return None


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
