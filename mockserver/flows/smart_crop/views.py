"""Smart Crop: crop_image and crop_person, url (GET ?url=) and file (POST multipart img) modes.

The result is a real PNG of exactly width x height, hosted by the fake under /__mock__/files/.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from PIL import Image, ImageOps

from mockserver.exceptions import CVSError
from mockserver.media.pictures import Picture, png_bytes
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import RequestRecord
from mockserver.pipeline.inputs import picture_from_bytes, picture_from_url

bp = Blueprint("smart_crop", __name__)
MAX_SIDE = 4096


def _side(name: str) -> int:
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not 0 < int(raw) <= MAX_SIDE:
        raise CVSError("processing", f"input:bad-{name}", raw[:20])
    return int(raw)


def _picture(exchange: RequestRecord) -> Picture:
    if request.method == "GET":
        picture = picture_from_url(request.args.get("url"))
    else:
        part = request.files.get("img")
        if part is None:
            raise CVSError("bad_image", "input:missing-part", "img")
        picture = picture_from_bytes(part.read())
    exchange.picture_trigger = picture.trigger
    if picture.blank:
        raise CVSError("no_content", picture.trigger + ":blank")
    return picture


def _crop(
    exchange: RequestRecord, picture: Picture, size: tuple[int, int], centre: tuple[float, float] = (0.5, 0.5)
) -> str:
    cropped = picture.pixels(lambda image: ImageOps.fit(_rgb(image), size, centering=centre).convert("RGB"))
    file_id = exchange.fake.store.files.put(png_bytes(cropped), "image/png", kind="crop", owner=exchange.tenant)
    return f"{request.host_url}__mock__/files/{file_id}"


def _rgb(image: Image.Image) -> Image.Image:
    """Modes ``ImageOps.fit`` resizes as they are stay so (no full-size copy); others convert."""
    return image if image.mode in ("RGB", "RGBA", "L") else image.convert("RGB")


def _face_centre(picture: Picture) -> tuple[float, float]:
    faces = picture.faces
    if not faces:
        return 0.5, 0.5
    left, top, right, bottom = picture.face_box(faces[0])
    width, height = picture.size
    return (left + right) / 2 / width, (top + bottom) / 2 / height


def _person_warning(picture: Picture) -> int:
    if picture.scenario is not None and "crop_warning" in picture.scenario:
        return int(picture.scenario["crop_warning"])
    faces = len(picture.faces)
    return 1 if faces == 0 else 2 if faces > 1 else 0


@api_view("smart_crop", "smartcrop/crop_image")
def crop_image(exchange: RequestRecord) -> dict[str, Any]:
    size = _side("width"), _side("height")
    return {"url": _crop(exchange, _picture(exchange), size)}


@api_view("smart_crop", "smartcrop/crop_person")
def crop_person(exchange: RequestRecord) -> dict[str, Any]:
    size = _side("width"), _side("height")
    picture = _picture(exchange)
    url = _crop(exchange, picture, size, _face_centre(picture))
    code, message = exchange.fake.catalogue.warning("smart_crop", _person_warning(picture))
    return {"url": url, "invalidCode": code, "invalidMessage": message}


bp.add_url_rule("/api/v2/smartcrop/crop_image", view_func=crop_image, methods=["GET", "POST"])
bp.add_url_rule("/api/v2/smartcrop/crop_person", view_func=crop_person, methods=["GET", "POST"])
