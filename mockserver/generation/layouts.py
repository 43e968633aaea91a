"""Where each field is printed on each kind of card, for its ``*_box``.

A layout is a printed area of the card (fractions of its width and height) and the rows of
fields in it, top to bottom; fields sharing a row split it left to right. Boxes are
``[left, top, right, bottom]`` in pixels of the image the document was read from.
"""

from __future__ import annotations

Region = tuple[float, float, float, float]
Layout = tuple[Region, tuple[tuple[str, ...], ...]]

_FRONT_TEXT: Region = (0.31, 0.30, 0.97, 0.97)  # right of the photo, under the national header
_BACK_TEXT: Region = (0.05, 0.08, 0.60, 0.92)  # left of the fingerprints
LAYOUTS: dict[str, Layout] = {
    "9_id_card_front": (_FRONT_TEXT, (("id",), ("name",), ("dob",), ("hometown",), ("address",))),
    "12_id_card_front": (
        _FRONT_TEXT,
        (
            ("id",),
            ("name",),
            ("dob",),
            ("gender", "nationality"),
            ("ethnicity",),
            ("hometown",),
            ("address",),
            ("due_date",),
        ),
    ),
    "chip_id_card_front": (
        (0.31, 0.36, 0.97, 0.97),
        (("id",), ("name",), ("dob",), ("gender", "nationality"), ("hometown",), ("address",), ("due_date",)),
    ),
    "9_id_card_back": (
        _BACK_TEXT,
        (("ethnicity", "religious"), ("identification_sign",), ("issue_date",), ("issued_at",)),
    ),
    "12_id_card_back": (_BACK_TEXT, (("identification_sign",), ("issue_date",), ("issued_at",))),
    "chip_id_card_back": ((0.04, 0.06, 0.62, 0.58), (("identification_sign",), ("issue_date",))),
    "passport": (
        (0.34, 0.12, 0.98, 0.74),
        (
            ("id",),
            ("full_name",),
            ("nationality",),
            ("dob", "place_of_birth"),
            ("gender", "person_number"),
            ("issue_date", "due_date"),
            ("issued_at",),
        ),
    ),
}
_FALLBACK: Layout = ((0.05, 0.10, 0.95, 0.95), ())


def boxes(doc_type: str, fields: list[str], size: tuple[int, int]) -> dict[str, list[int]]:
    """``field -> [left, top, right, bottom]`` for each of ``fields``, inside ``size``."""
    (x0, y0, x1, y1), rows = LAYOUTS.get(doc_type, _FALLBACK)
    placed = {f for row in rows for f in row}
    rows = rows + tuple((f,) for f in fields if f not in placed)  # any field the layout omits goes below
    width, height = size
    row_height = (y1 - y0) / max(1, len(rows))
    out: dict[str, list[int]] = {}
    for r, row in enumerate(rows):
        cell = (x1 - x0) / len(row)
        for c, name in enumerate(row):
            if name in fields:
                left, right = x0 + c * cell, x0 + (c + 1) * cell - 0.01
                top, bottom = y0 + r * row_height + 0.005, y0 + (r + 1) * row_height - 0.005
                out[name] = _pixels((left, top, right, bottom), width, height)
    return out


def _pixels(box: Region, width: int, height: int) -> list[int]:
    left, top, right, bottom = box
    x0, y0 = int(left * width), int(top * height)
    x1, y1 = max(x0 + 1, int(right * width)), max(y0 + 1, int(bottom * height))
    return [min(x0, width - 1), min(y0, height - 1), min(x1, width), min(y1, height)]
