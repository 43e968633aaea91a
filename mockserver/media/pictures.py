"""Decide, with Pillow, whether bytes are an image, and what the fake should see in it."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson
from PIL import Image, ImageDraw, UnidentifiedImageError

from mockserver.exceptions import CVSError
from mockserver.media import scenario as scenario_format
from mockserver.media.pdfs import is_pdf, pdf_pages

SYNTHETIC_SIZE = (640, 400)


@dataclass
class Picture:
    """One input image and the ground truth the fake derives from it.

    Pixels are decoded only when a flow needs them (face crops, smart crop, the blank check
    of an image without a scenario): a scenario PNG is checked by its chunk CRCs alone.
    """

    data: bytes
    seed: str
    scenario: dict[str, Any] | None = None
    scenario_problem: str | None = None
    decoded: Image.Image | None = None
    uniform: bool | None = None  # known in advance for synthetic images
    known_size: tuple[int, int] | None = None  # read from the header, without decoding
    pages: list[Picture] | None = None  # a PDF: one picture per page

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.known_size or self.image.size

    @property
    def image(self) -> Image.Image:
        if self.decoded is None:
            self.decoded = _decode(self.data)
        return self.decoded

    @property
    def blank(self) -> bool:
        if self.scenario is not None:
            return bool(self.scenario.get("blank"))
        if self.uniform is None:
            self.uniform = _is_uniform(self.image)
        return self.uniform

    @property
    def trigger(self) -> str:
        return "scenario-image" if self.scenario is not None else "image-bytes"

    @property
    def faces(self) -> list[dict[str, Any]]:
        """Faces in the image: the scenario's, else one face centred, named by the bytes."""
        if self.blank:
            return []
        if self.scenario is not None and "faces" in self.scenario:
            return list(self.scenario["faces"])
        return [{"identity": "img-" + self.seed[:16]}]

    def face_box(self, face: dict[str, Any]) -> tuple[int, int, int, int]:
        width, height = self.image.size
        if "box" in face:
            left, top, right, bottom = face["box"]
            return (min(left, width - 1), min(top, height - 1), max(right, left + 1), max(bottom, top + 1))
        side = max(1, min(width, height) // 2)
        left, top = (width - side) // 2, (height - side) // 2
        return left, top, left + side, top + side


def seed_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


class _VerifiedPNGs:
    """What verifying a PNG found, by the digest of its bytes: clients send the same image
    again and again, and a PNG's scenario and soundness are a function of its bytes alone."""

    def __init__(self, size: int) -> None:
        self._found: OrderedDict[tuple[str, int], tuple[bytes, str | None, tuple[int, int]]] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def get(self, key: tuple[str, int]) -> tuple[dict[str, Any] | None, str | None, tuple[int, int]] | None:
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
        # kept as JSON, so each caller gets its own copy to change
        return None if found is None else (orjson.loads(found[0]), found[1], found[2])

    def put(self, key: tuple[str, int], picture: Picture) -> None:
        with self._lock:
            self._found[key] = (orjson.dumps(picture.scenario), picture.scenario_problem, picture.size)
            if len(self._found) > self._size:
                self._found.popitem(last=False)


_VERIFIED = _VerifiedPNGs(256)


def open_picture(data: bytes, max_pixels: int) -> Picture:
    """A Picture, or CVSError('bad_image') when the bytes are not a safe, readable image."""
    seed = seed_of(data)
    known = _VERIFIED.get((seed, max_pixels))
    if known is not None:
        return Picture(data, seed, known[0], known[1], known_size=known[2])
    if is_pdf(data):
        return _open_pdf(data, seed)
    picture = _open_picture(data, seed, max_pixels)
    if picture.decoded is None:
        _VERIFIED.put((seed, max_pixels), picture)
    return picture


def _open_pdf(data: bytes, seed: str) -> Picture:
    pages = [
        Picture(b"", f"{seed}:{n}", scenario, problem, uniform=False, known_size=size)
        for n, (scenario, problem, size) in enumerate(pdf_pages(data))
    ]
    return Picture(data, seed, None, None, uniform=False, known_size=pages[0].known_size, pages=pages)


def _open_picture(data: bytes, seed: str, max_pixels: int) -> Picture:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise CVSError("bad_image", "input:too-many-pixels", f"{width}x{height}")
            found, problem = scenario_format.read(image)
            decoded = None
            if image.format == "PNG":
                image.verify()  # every chunk's CRC, without decoding pixels
            else:
                image.load()
                decoded = image
    except CVSError:
        raise
    except UNREADABLE as exc:
        raise CVSError("bad_image", "input:not-an-image", type(exc).__name__) from None
    return Picture(data, seed, found, problem, decoded, known_size=(width, height))


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except UNREADABLE as exc:
        raise CVSError("bad_image", "input:not-an-image", type(exc).__name__) from None
    return image


def _is_uniform(image: Image.Image) -> bool:
    """A one-colour image has nothing in it: the natural 'no content' input."""
    extrema: Any = image.convert("RGB").getextrema()
    return all(low == high for low, high in extrema)


def synthetic_picture(seed_text: str) -> Picture:
    """A deterministic stand-in image for a URL the fake cannot really download."""
    seed = hashlib.sha256(seed_text.encode("utf-8", "surrogatepass")).hexdigest()
    return Picture(b"", seed, decoded=_synthetic_image(seed[:6]), uniform=False)


@lru_cache(maxsize=64)
def _synthetic_image(colour: str) -> Image.Image:
    image = Image.new("RGB", SYNTHETIC_SIZE, "#" + colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((240, 120, 400, 300), fill="#e0b090", outline="black")
    draw.rectangle((20, 20, 200, 60), fill="white")
    return image


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()
