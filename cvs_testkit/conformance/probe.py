"""What a conformance probe is: the request, the schema and meaning its answer must have, and
the assumptions of contracts/ASSUMPTIONS.md its answer votes on; the samples it sends."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.contract.catalogue import data_items

from .. import images
from .checks import Exchange

Check = Callable[[Exchange], bool]
UNREACHABLE = "https://cvs-conformance.invalid/anh.jpg"


@dataclass(frozen=True)
class Samples:
    """Images for success probes: real samples for the real API, scenario images by default."""

    front: bytes
    back: bytes
    selfie: bytes

    @classmethod
    def scenario(cls) -> Samples:
        return cls(
            images.id_card("chip_id_card_front", identity="kiem-tra"),
            images.id_card("chip_id_card_back"),
            images.portrait("kiem-tra"),
        )

    @classmethod
    def from_dir(cls, folder: Path) -> Samples:
        if not folder.is_dir():
            raise FileNotFoundError(f"--images {folder}: no such folder (it needs front.*, back.* and selfie.* images)")
        found = {}
        for role in ("front", "back", "selfie"):
            matches = sorted(p for p in folder.iterdir() if p.stem.lower() == role)
            if not matches:
                raise FileNotFoundError(f"{folder} needs front.*, back.* and selfie.* images (missing {role})")
            found[role] = matches[0].read_bytes()
        return cls(**found)


@dataclass
class Probe:
    name: str
    flow: str
    method: str
    path: str
    schema: str
    meaning: str | None
    may_bill: bool = False
    auth: str = "good"  # good | wrong | none
    kwargs: dict[str, Any] = field(default_factory=dict)
    assumptions: dict[str, Check] = field(default_factory=dict)


def b64(data: bytes, line_breaks: bool = False) -> str:
    return (base64.encodebytes(data) if line_breaks else base64.b64encode(data)).decode("ascii")


def is_a(field: str, kind: type | tuple[type, ...]) -> Check:
    return lambda ex: isinstance((ex.body or {}).get(field), kind)


def status_200(ex: Exchange) -> bool:
    return ex.status == 200


def items(ex: Exchange) -> list[dict[str, Any]]:
    return data_items(ex.body)
