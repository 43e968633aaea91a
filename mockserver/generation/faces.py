"""What the fake knows about faces: identities, similarity of two faces, face crops."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from PIL import Image

from mockserver.media.pictures import Picture, png_bytes

FACE_CROP = (96, 96)


def identity(picture: Picture) -> str | None:
    faces = picture.faces
    return str(faces[0]["identity"]) if faces else None


def similarity(a: Picture, b: Picture) -> float:
    """Percent similarity: a scenario may pin it. Over the pairs, the whole range 0-100: one
    identity scores above 75 (a match), two identities 0 to 75 (the doubtful band included)."""
    for picture in (b, a):
        if picture.scenario is not None and "similarity" in picture.scenario:
            return float(picture.scenario["similarity"])
    first, second = identity(a), identity(b)
    if first is None or second is None:
        return 0.0
    pair = "|".join(sorted((first, second)))
    spread = int(hashlib.sha256(pair.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return round(75.01 + 24.99 * spread, 2) if first == second else round(75 * spread, 2)


def match_flag(percent: float) -> str:
    """The documented rule: above 75 is "1", 65 to 75 is "0", below 65 is "-1"."""
    if percent > 75:
        return "1"
    return "0" if percent >= 65 else "-1"


def face_crop(picture: Picture, face: dict[str, Any] | None = None) -> Image.Image:
    faces = picture.faces
    chosen = face or (faces[0] if faces else {"identity": "-"})
    box = picture.face_box(chosen)
    crop = picture.pixels(lambda image: image.crop(box).convert("RGB"))  # crop first: no full-size copy
    crop.thumbnail(FACE_CROP)
    return crop


def face_crop_base64(picture: Picture) -> str:
    if not picture.faces:
        return ""
    return base64.b64encode(png_bytes(face_crop(picture))).decode("ascii")
