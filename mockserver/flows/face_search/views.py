"""Face Search: a gallery per key. list, search, add, update metadata, delete many.

Bodies are parsed as JSON whatever their Content-Type (the vendor's demos send none).
Every query is scoped by the caller's key: one key never sees another key's faces.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from mockserver.exceptions import CVSError
from mockserver.generation.faces import face_crop, identity
from mockserver.media.pictures import Picture, png_bytes
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import RequestRecord
from mockserver.pipeline.inputs import decode_base64, json_body, picture_from_bytes
from mockserver.state.store import Face

bp = Blueprint("face_search", __name__)
RESERVED_KEYS = ("user", "encoding", "_id")
MAX_LIMIT = 1000
SEARCH_LIMIT = 100


def _image_objects(faces: list[Face]) -> list[dict[str, Any]]:
    files = f"{request.host_url}__mock__/files/"
    return [{"id": face.id, "url": files + face.file_id, "metadata": face.metadata} for face in faces]


def _body() -> dict[str, Any]:
    body = json_body()
    if not isinstance(body, dict):
        raise CVSError("processing", "input:body-not-a-json-object")
    return body


def _probe(exchange: RequestRecord, body: dict[str, Any]) -> Picture:
    image = body.get("image")
    encoded = image.get("base64") if isinstance(image, dict) else None
    picture = picture_from_bytes(decode_base64(encoded))
    exchange.picture_trigger = picture.trigger
    if not picture.faces:
        raise CVSError("no_content", picture.trigger + ":no-face")
    return picture


def _metadata(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CVSError("processing", "input:metadata-not-an-object")
    reserved = [k for k in RESERVED_KEYS if k in value]
    if reserved:
        raise CVSError("processing", "input:reserved-metadata-key", ", ".join(reserved))
    return value


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise CVSError("processing", f"input:bad-{name}", raw)
    return int(raw)


@api_view("face_search", "face_search/list")
def list_images(exchange: RequestRecord) -> dict[str, Any]:
    offset, limit = _int_arg("offset", 0), min(_int_arg("limit", 50), MAX_LIMIT)
    faces = exchange.fake.store.galleries.page(_owner(exchange), offset, limit)
    return {"result": _image_objects(faces)}


@api_view("face_search", "face_search/add")
def add_image(exchange: RequestRecord) -> dict[str, Any]:
    body = _body()
    image = body.get("image")
    metadata = _metadata(image.get("metadata") if isinstance(image, dict) else None)
    picture = _probe(exchange, body)
    store = exchange.fake.store
    file_id = store.files.put(png_bytes(face_crop(picture)), "image/png", kind="face", owner=exchange.tenant)
    face = store.galleries.add(_owner(exchange), identity(picture) or "", file_id, metadata)
    return {"result": _image_objects([face])[0]}


@api_view("face_search", "face_search/search")
def search(exchange: RequestRecord) -> dict[str, Any]:
    picture = _probe(exchange, _body())
    faces = exchange.fake.store.galleries.find(_owner(exchange), identity(picture) or "", SEARCH_LIMIT)
    return {"result": _image_objects(faces)}


@api_view("face_search", "face_search/update")
def update_image(exchange: RequestRecord, image_id: str) -> dict[str, Any]:
    if not (image_id.isascii() and image_id.isdigit()) or len(image_id) > 18:
        raise CVSError("incorrect_id", "input:id-not-an-integer", image_id)
    metadata = _metadata(_body().get("metadata"))
    face = exchange.fake.store.galleries.update(_owner(exchange), int(image_id), metadata)
    if face is None:
        raise CVSError("incorrect_id", "store:unknown-id", image_id)
    return {"result": _image_objects([face])[0]}


@api_view("face_search", "face_search/delete")
def delete_images(exchange: RequestRecord) -> dict[str, Any]:
    ids = _body().get("ids")
    if not isinstance(ids, list) or not ids or not all(type(i) is int and abs(i) < 2**63 for i in ids):
        raise CVSError("processing", "input:ids-not-a-list-of-integers")
    if not exchange.fake.store.galleries.delete(_owner(exchange), ids):
        raise CVSError("incorrect_id", "store:unknown-id")
    return {"result": None}


bp.add_url_rule("/api/v2/face_search/images", view_func=list_images, methods=["GET"])
bp.add_url_rule("/api/v2/face_search/images", view_func=add_image, methods=["POST"], endpoint="add_image")
bp.add_url_rule("/api/v2/face_search/images", view_func=delete_images, methods=["DELETE"], endpoint="delete_images")
bp.add_url_rule("/api/v2/face_search/search", view_func=search, methods=["POST"])
bp.add_url_rule("/api/v2/face_search/images/<image_id>", view_func=update_image, methods=["PUT"])


def _owner(exchange: RequestRecord) -> str:
    """The key whose gallery this request reads and writes (galleries never cross keys)."""
    owner = exchange.api_key
    assert owner is not None  # the pipeline authenticated the request before the view
    return owner
