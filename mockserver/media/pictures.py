"""Decide, with Pillow, whether bytes are an image, and what the fake should see in it."""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import orjson
from PIL import Image, ImageDraw, UnidentifiedImageError

from mockserver.exceptions import CVSError
from mockserver.media import scenario as scenario_format
from mockserver.media.pdfs import is_pdf, pdf_pages

T = TypeVar("T")

SYNTHETIC_SIZE = (640, 400)
KEPT_PIXELS = 4_000_000  # an image up to this size stays decoded for the request; larger ones are decoded per use
BYTES_PER_PIXEL = 8  # what one use costs at most: the raster (up to 4 bytes a pixel) and one converted copy
DECODE_BUDGET = 40_000_000 * BYTES_PER_PIXEL  # decoded rasters in flight at once, over all requests
DRAFT_SIDE = 512  # a JPEG's blank check reads a reduced draft of about this size


class _Budget:
    """Bytes of decoded rasters in flight: a request whose image does not fit waits for others
    to finish theirs, so concurrent large images cost one budget, not one each."""

    def __init__(self, total: int) -> None:
        self.total, self.used = total, 0
        self._free = threading.Condition()

    @contextmanager
    def hold(self, amount: int) -> Iterator[None]:
        amount = min(amount, self.total)  # an image larger than the budget waits for all of it
        with self._free:
            self._free.wait_for(lambda: self.used + amount <= self.total)
            self.used += amount
        try:
            yield
        finally:
            with self._free:
                self.used -= amount
                self._free.notify_all()


_BUDGET = _Budget(DECODE_BUDGET)


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
        if self.known_size is None:
            self.known_size = self.pixels(lambda image: image.size)
        return self.known_size

    def pixels(self, use: Callable[[Image.Image], T], draft: bool = False) -> T:
        """``use`` applied to the decoded image. A small image is decoded once and kept; a large
        one is decoded for this use alone, within the decode budget, and dropped after
        (``draft``: a JPEG may be read at a reduced scale, for statistics)."""
        if self.decoded is not None:
            return use(self.decoded)
        width, height = self.size
        if width * height <= KEPT_PIXELS:
            self.decoded = _decode(self.data)
            return use(self.decoded)
        with _BUDGET.hold(width * height * BYTES_PER_PIXEL):
            image = _decode(self.data, draft)
            try:
                return use(image)
            finally:
                image.close()

    @property
    def blank(self) -> bool:
        if self.scenario is not None:
            return bool(self.scenario.get("blank"))
        if self.uniform is None:
            self.uniform = self.pixels(_is_uniform, draft=True)
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
        width, height = self.size
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
            elif width * height <= KEPT_PIXELS:
                image.load()
                decoded = image
            else:  # a large image is decoded here only to know it is sound, then dropped
                with _BUDGET.hold(width * height * BYTES_PER_PIXEL):
                    image.load()
                image.close()
    except CVSError:
        raise
    except UNREADABLE as exc:
        raise CVSError("bad_image", "input:not-an-image", type(exc).__name__) from None
    return Picture(data, seed, found, problem, decoded, known_size=(width, height))


def _decode(data: bytes, draft: bool = False) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if draft and image.format == "JPEG":  # DCT scaling: a fraction of the raster, decoded as such
            width, height = image.size
            scale = max(1, min(width, height) // DRAFT_SIDE)
            image.draft("RGB", (max(1, width // scale), max(1, height // scale)))
        image.load()
    except UNREADABLE as exc:
        raise CVSError("bad_image", "input:not-an-image", type(exc).__name__) from None
    return image


def _is_uniform(image: Image.Image) -> bool:
    """A one-colour image has nothing in it: the natural 'no content' input. Read in the
    image's own mode: a converted copy would double the raster."""
    extrema: Any = image.getextrema()
    if image.mode in ("1", "L", "P", "I", "F", "I;16"):
        extrema = (extrema,)
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
