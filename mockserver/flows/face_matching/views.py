"""Face Matching: /api/v2/ekyc/face_matching in url, file and base64 modes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from mockserver.exceptions import CVSError
from mockserver.generation.faces import face_crop_base64, match_flag, similarity
from mockserver.media.pictures import Picture
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import RequestRecord
from mockserver.pipeline.inputs import pictures, request_mode

bp = Blueprint("face_matching", __name__)
TYPE1 = ("card", "portrait")


def warning_code(card: Picture, portrait: Picture, type1: str) -> int:
    """The invalidCode: a scenario's pinned warning, else what the faces in the images imply."""
    for picture in (card, portrait):
        if picture.scenario is not None and "face_warning" in picture.scenario:
            return int(picture.scenario["face_warning"])
    if type1 == "card" and card.scenario is not None and card.scenario.get("documents") == []:
        return 1
    if not card.faces:
        return 4 if type1 == "card" else 5
    if not portrait.faces:
        return 5
    if len(card.faces) > 1 or len(portrait.faces) > 1:
        return 6
    return 0


@api_view("face_matching", "ekyc/face_matching")
def face_matching(exchange: RequestRecord) -> dict[str, Any]:
    mode = request_mode()
    type1 = request.args.get("type1", "card")
    if type1 not in TYPE1:
        raise CVSError("format_type", "input:bad-type1", type1)
    card, portrait = pictures(("img1", "img2"), mode)
    exchange.picture_trigger = "scenario-image" if card.scenario or portrait.scenario else "image-bytes"
    if card.blank or portrait.blank:
        raise CVSError("no_content", (card if card.blank else portrait).trigger + ":blank")
    cat = exchange.fake.catalogue
    code, message = cat.warning("face_matching", warning_code(card, portrait, type1))
    percent = similarity(card, portrait)
    data = {
        "matching": f"{percent:.2f}",
        "match": match_flag(percent),
        "face1": face_crop_base64(card),
        "face2": face_crop_base64(portrait),
        "invalidCode": code,
        "invalidMessage": message,
    }
    return {"data": data}


bp.add_url_rule("/api/v2/ekyc/face_matching", view_func=face_matching, methods=["GET", "POST"])
