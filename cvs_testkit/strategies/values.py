"""Value strategies the answer and request strategies build on: people, names, id numbers,
Face Search metadata, images and scenario images."""

from __future__ import annotations

import base64
import string
from typing import Any, Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockserver.contract.loading import load_contract
from mockserver.generation.documents import DOCUMENT_TYPES
from mockserver.generation.people import Person, person_for

SEEDS = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12)


def flow_catalogue(flow: str) -> dict[str, Any]:
    return load_contract().flow(flow)


def people() -> st.SearchStrategy[Person]:
    """Generates consistent Vietnamese people (name, birth date, places, ids); shrinks toward
    the person of the shortest seed."""
    return st.builds(person_for, SEEDS)


def vietnamese_names() -> st.SearchStrategy[str]:
    """Generates full names in capitals with diacritics, as cards print them ("NGUYỄN VĂN AN")."""
    return people().map(lambda p: p.name)


def id_numbers(kind: Literal["9", "12"] = "12") -> st.SearchStrategy[str]:
    """Generates 9-digit (CMND) or 12-digit (CCCD) numbers; 12-digit ones encode a real province,
    the century and sex, and the birth year."""
    if kind not in ("9", "12"):
        return st.deferred(lambda: invalid("kind must be '9' or '12'"))
    return people().map(lambda p: p.id9 if kind == "9" else p.id12)


def invalid(message: str) -> st.SearchStrategy[Any]:
    raise InvalidArgument(message)


def warning_codes(enabled: bool) -> st.SearchStrategy[int]:
    codes = [int(w["code"]) for w in flow_catalogue("ocr")["warnings"]["codes"]]
    return st.sampled_from(codes) if enabled else st.just(0)


def metadata() -> st.SearchStrategy[dict[str, Any]]:
    """Generates Face Search metadata: JSON objects with Vietnamese text, never a reserved key."""
    keys = st.text(string.ascii_letters + "_", min_size=1, max_size=12).filter(
        lambda k: k not in ("user", "encoding", "_id")
    )
    values = st.one_of(vietnamese_names(), id_numbers(), st.integers(-(10**6), 10**6), st.booleans())
    return st.dictionaries(keys, values, max_size=4)


def images(formats: tuple[str, ...] = ("PNG", "JPEG")) -> st.SearchStrategy[bytes]:
    """Generates small, non-uniform PNG or JPEG images (real bytes, no scenario)."""
    from io import BytesIO

    from PIL import Image

    def draw(fmt: str, size: tuple[int, int], colours: tuple[tuple[int, int, int], tuple[int, int, int]]) -> bytes:
        image = Image.new("RGB", size, colours[0])
        image.paste(colours[1], (0, 0, max(1, size[0] // 2), max(1, size[1] // 2)))
        out = BytesIO()
        image.save(out, fmt)
        return out.getvalue()

    colour = st.tuples(*[st.integers(0, 255)] * 3)
    return st.builds(
        draw,
        st.sampled_from(formats),
        st.tuples(st.integers(8, 96), st.integers(8, 96)),
        st.tuples(colour, colour).filter(lambda c: c[0] != c[1]),
    )


def scenario_images(doc_type: str | None = None) -> st.SearchStrategy[bytes]:
    """Generates scenario images of one document (any type by default) with drawn fields,
    warning and face identity."""
    from cvs_testkit import images as scenario

    types = st.sampled_from(DOCUMENT_TYPES) if doc_type is None else st.just(doc_type)
    return st.builds(
        lambda t, warning, who, fmt: scenario.id_card(t, invalid_code=warning, identity=who, format=fmt),
        types,
        warning_codes(True),
        st.sampled_from(["an", "binh", "chi"]),
        st.sampled_from(["PNG", "JPEG"]),
    )


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
