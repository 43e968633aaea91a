"""Verify Liveness: /api/v2/ekyc/verify_liveness, multipart only (A.13.1)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from mockserver.exceptions import CVSError
from mockserver.generation.faces import identity, similarity
from mockserver.media.pictures import Picture
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import RequestRecord
from mockserver.pipeline.inputs import pictures

bp = Blueprint("liveness", __name__)
PARTS = ("portrait_left", "portrait_mid", "portrait_right")
# per part: the invalidCode for "no face" and for "not a live shot"
NO_FACE = {"portrait_mid": 1, "portrait_left": 2, "portrait_right": 3}
NOT_LIVE = {"portrait_mid": 6, "portrait_left": 7, "portrait_right": 8}
MISMATCH = {"portrait_left": 4, "portrait_right": 5}  # the side that differs from mid


def not_live(picture: Picture) -> bool:
    """A shot that is no live face: a pinned spoof, a document held up, several faces."""
    scenario = picture.scenario or {}
    return "spoof" in scenario or bool(scenario.get("documents")) or len(picture.faces) > 1


def warning_code(shots: dict[str, Picture]) -> int:
    """A scenario's pinned code, else the lowest code of every problem the three shots show
    (the docs give one code per answer and no precedence: LV7)."""
    for part in ("portrait_mid", "portrait_left", "portrait_right"):
        scenario = shots[part].scenario
        if scenario is not None and "liveness_warning" in scenario:
            return int(scenario["liveness_warning"])
    found = [NO_FACE[part] for part, shot in shots.items() if not shot.faces]
    mid = identity(shots["portrait_mid"])
    for part, code in MISMATCH.items():
        side = identity(shots[part])
        if mid is not None and side is not None and side != mid:
            found.append(code)
    found += [NOT_LIVE[part] for part, shot in shots.items() if shot.faces and not_live(shot)]
    return min(found, default=0)


@api_view("liveness", "ekyc/verify_liveness")
def verify_liveness(exchange: RequestRecord) -> dict[str, Any]:
    shots = dict(zip(PARTS, pictures(PARTS, "file"), strict=True))  # file mode only: no format_type
    exchange.picture_trigger = "scenario-image" if any(s.scenario for s in shots.values()) else "image-bytes"
    if all(shot.blank for shot in shots.values()):
        raise CVSError("no_content", f"{exchange.picture_trigger}:blank")
    cat = exchange.fake.catalogue
    code, message = cat.warning("liveness", warning_code(shots))
    mid = shots["portrait_mid"]
    data = {
        "invalidCode": code,
        "invalidMessage": message,
        "matching_mid_left": f"{similarity(mid, shots['portrait_left']):.2f}",
        "matching_mid_right": f"{similarity(mid, shots['portrait_right']):.2f}",
        "valid": "True" if code == "0" else "False",
    }
    return {"data": data}


bp.add_url_rule("/api/v2/ekyc/verify_liveness", view_func=verify_liveness, methods=["POST"])
