"""The ``info`` object of a document: the builder's fields (:mod:`.registry`), each with its
confidence, box and page where the contract declares them, the scenario's overrides, and on
request the aligned images."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

import orjson

from mockserver.generation.cards import FRONTS, IDENTITY_TYPES
from mockserver.generation.identity_documents import Dates
from mockserver.generation.layouts import boxes
from mockserver.generation.people import Person
from mockserver.generation.registry import BUILDERS, DOCUMENT_TYPES, builder_of, info_properties, schema_type_of
from mockserver.media.thumbnails import thumbnail

__all__ = [
    "BUILDERS",
    "DOCUMENT_TYPES",
    "SIDE_ORDER",
    "Dates",
    "build_info",
    "confidence",
    "schema_type_of",
    "thumbnail",
]

SIDE_ORDER = {t: (1 if t in FRONTS else 0) for t in IDENTITY_TYPES}
IMAGE = {"$ref": "#/$defs/image"}
IMAGE_LIST = {"$ref": "#/$defs/image_list"}
PAGE_INDEX = {"$ref": "#/$defs/page_index"}


def _declared(doc_type: str, suffix: str) -> list[str]:
    """The fields the contract gives a ``_confidence`` or ``_box`` companion, for a type."""
    return [name[: -len(suffix)] for name in info_properties(doc_type) if name.endswith(suffix)]


def build_info(
    doc_type: str,
    person: Person,
    dates: Dates,
    overrides: dict[str, Any],
    thumb: bool,
    size: tuple[int, int] = (640, 400),
    pages: int = 1,
) -> dict[str, Any]:
    """The info object of one document: every field the contract declares for its type, each
    confidence and box (inside ``size``, the image's own), the page each value was read from
    (of ``pages``, for documents that span pages), the scenario's overrides and, on request,
    the aligned images. A pure function of its inputs, so answers are kept: a client sends
    the same test image again and again."""
    given = orjson.dumps(overrides, option=orjson.OPT_SORT_KEYS)
    info: dict[str, Any] = orjson.loads(_built(doc_type, person, dates.sep, given, thumb, size, pages))
    return info  # each answer its own copy


def confidence(rng: random.Random) -> float:
    """A field's confidence over the whole documented range 0 to 1, so a client's threshold
    meets both sides: four fields in five read confidently (0.85 to 1), one anywhere below."""
    if rng.random() < 0.8:
        return round(rng.uniform(0.85, 1.0), 4)
    return round(rng.uniform(0.0, 0.85), 4)


@lru_cache(maxsize=1024)
def _built(
    doc_type: str, person: Person, separator: str, overrides: bytes, thumb: bool, size: tuple[int, int], pages: int
) -> bytes:
    """The info as JSON bytes, kept for the most recent inputs (bytes cost the collector nothing)."""
    dates = Dates("DD/MM/YYYY" if separator == "/" else "DD-MM-YYYY")
    return orjson.dumps(_build_info(doc_type, person, dates, orjson.loads(overrides), thumb, size, pages))


def _build_info(
    doc_type: str,
    person: Person,
    dates: Dates,
    overrides: dict[str, Any],
    thumb: bool,
    size: tuple[int, int],
    pages: int,
) -> dict[str, Any]:
    pages = max(1, pages)
    properties = info_properties(doc_type)
    info = {k: v for k, v in builder_of(doc_type)(person, dates).items() if k in properties}
    rng = random.Random(f"{person.seed}:{doc_type}")
    for name in _declared(doc_type, "_confidence"):
        info[f"{name}_confidence"] = confidence(rng)
    if "confidence" in properties:  # a passport's one MRZ confidence
        info["confidence"] = confidence(rng)
    for name, box in boxes(doc_type, _declared(doc_type, "_box"), size).items():
        info[f"{name}_box"] = box
    for name in (n for n, p in properties.items() if p == PAGE_INDEX):
        info[name] = rng.randrange(pages)
    info.update(overrides)
    if thumb:
        info.update(_images(doc_type, properties, pages))
    return info


def _images(doc_type: str, properties: dict[str, Any], pages: int) -> dict[str, Any]:
    """Every image the type declares: one per page for a page list, ``image_<k>`` for the
    document's first pages only, table crops drawn as tables."""
    out: dict[str, Any] = {}
    for name, prop in properties.items():
        page = name.removeprefix("image_")
        if prop == IMAGE_LIST:
            out[name] = [thumbnail(doc_type)] * pages
        elif prop == IMAGE and not (page.isdigit() and int(page) >= pages):
            out[name] = thumbnail("table" if name == "image_table" or name.endswith("_image") else doc_type)
    return out
