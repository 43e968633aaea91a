"""Replacement images: another picture of the same size and format, so a client that decodes
or measures a thumbnail or a face crop still can, and nothing of the original is left."""

from __future__ import annotations

import io
import random
import warnings

from PIL import Image, ImageDraw

from mockserver.media.pictures import UNREADABLE

MAX_PIXELS = 40_000_000  # larger claims are not drawn: a replacement must not cost gigabytes
FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF", "BMP": "BMP", "TIFF": "TIFF"}


def measure(data: bytes) -> tuple[tuple[int, int], str] | None:
    """(size, format) of an image, read from its header alone; None when it is not one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                size, kind = picture.size, picture.format or ""
    except UNREADABLE:
        return None
    if kind not in FORMATS or size[0] * size[1] > MAX_PIXELS or min(size) < 1:
        return None
    return size, kind


def replacement(size: tuple[int, int], kind: str, rng: random.Random) -> bytes:
    """A drawn picture (a background and a few shapes) of ``size`` in ``kind``."""
    colour = tuple(rng.randrange(256) for _ in range(3))
    picture = Image.new("RGB", size, colour)
    pen = ImageDraw.Draw(picture)
    width, height = size
    for _ in range(3):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(1, width + 1), y0 + rng.randrange(1, height + 1)
        pen.ellipse((x0, y0, x1, y1), fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    picture.save(out, format=FORMATS[kind])
    return out.getvalue()
