"""Small real PNGs standing for the aligned document images an answer carries on ``get_thumb``."""

from __future__ import annotations

import base64
from functools import lru_cache

from PIL import Image, ImageDraw

from mockserver.media.pictures import png_bytes


@lru_cache(maxsize=16)
def thumbnail(doc_type: str) -> str:
    """A real small PNG, base64, standing for the aligned image of a ``doc_type`` document."""
    tint = {"passport": "#7a1f2b", "driving_license": "#f2c6d0"}.get(doc_type, "#cfe3f1")
    image = Image.new("RGB", (172, 108), tint)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 30, 52, 86), fill="#d8b89c", outline="#333333")
    for row in range(5):
        draw.line((62, 34 + row * 12, 160, 34 + row * 12), fill="#333333", width=2)
    draw.text((10, 8), doc_type[:24], fill="#111111")
    return base64.b64encode(png_bytes(image)).decode("ascii")
