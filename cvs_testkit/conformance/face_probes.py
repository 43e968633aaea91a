"""The face batteries: Face Matching (a card and a portrait) and Verify Liveness (three portraits)."""

from __future__ import annotations

from .. import images
from .checks import Exchange
from .probe import UNREACHABLE, Probe, Samples, b64, is_a, status_200


def _match_agrees(ex: Exchange) -> bool:
    data = (ex.body or {}).get("data") or {}
    try:
        percent = float(data["matching"])
    except (KeyError, TypeError, ValueError):
        return False
    expected = "1" if percent > 75 else "0" if percent >= 65 else "-1"
    return str(data.get("match")) == expected


def face_matching_probes(s: Samples) -> list[Probe]:
    path, schema = "/api/v2/ekyc/face_matching", "face_matching_response.json"
    urls = "img1=https://cdn.example.vn/the.jpg&img2=https://cdn.example.vn/selfie.jpg"
    pair = {"img1": b64(s.front), "img2": b64(s.selfie)}
    return [
        Probe(
            "face_matching wrong secret",
            "face_matching",
            "GET",
            f"{path}?{urls}&format_type=url",
            schema,
            "auth",
            auth="wrong",
            assumptions={"D11": status_200, "D1": is_a("errorCode", str)},
        ),
        Probe(
            "face_matching missing Authorization", "face_matching", "GET", f"{path}?{urls}", schema, "auth", auth="none"
        ),
        Probe(
            "face_matching format_type mismatch",
            "face_matching",
            "POST",
            f"{path}?format_type=file",
            schema,
            "format_type",
            kwargs={"json": pair},
        ),
        Probe(
            "face_matching corrupt image",
            "face_matching",
            "POST",
            f"{path}?format_type=base64",
            schema,
            "bad_image",
            kwargs={"json": {"img1": b64(images.corrupt_image()), "img2": b64(s.selfie)}},
            assumptions={"D32": lambda ex: ex.code == "3"},
        ),
        Probe(
            "face_matching blank image",
            "face_matching",
            "POST",
            f"{path}?format_type=base64",
            schema,
            "no_content",
            kwargs={"json": {"img1": b64(images.blank_image()), "img2": b64(s.selfie)}},
        ),
        Probe(
            "face_matching unreachable URL",
            "face_matching",
            "GET",
            f"{path}?img1={UNREACHABLE}&img2={UNREACHABLE}&format_type=url",
            schema,
            "url_unavailable",
        ),
        Probe(
            "face_matching unknown type1",
            "face_matching",
            "GET",
            f"{path}?{urls}&type1=selfie&format_type=url",
            schema,
            "format_type",
            assumptions={"D36": lambda ex: ex.code == "6"},
        ),
        Probe(
            "face_matching success",
            "face_matching",
            "POST",
            f"{path}?type1=card&format_type=base64",
            schema,
            "success",
            may_bill=True,
            kwargs={"json": pair},
            assumptions={
                "D35": _match_agrees,
                "D1": lambda ex: isinstance(((ex.body or {}).get("data") or {}).get("matching"), str),
            },
        ),
    ]


def _liveness_types(ex: Exchange) -> bool:
    data = (ex.body or {}).get("data") or {}
    return isinstance(data.get("invalidCode"), str) and data.get("valid") in ("True", "False")


def liveness_probes(s: Samples) -> list[Probe]:
    """Verify Liveness takes three multipart portraits and nothing else; the selfie sample
    stands for all three shots (one person, so a live answer is the expected one)."""
    path, schema = "/api/v2/ekyc/verify_liveness", "liveness_response.json"
    shots = {part: (f"{part}.jpg", s.selfie) for part in images.LIVENESS_PARTS}
    return [
        Probe(
            "liveness wrong secret",
            "liveness",
            "POST",
            path,
            schema,
            "auth",
            auth="wrong",
            kwargs={"files": shots},
            assumptions={"D11": status_200, "D1": is_a("errorCode", str)},
        ),
        Probe("liveness missing Authorization", "liveness", "POST", path, schema, "auth", auth="none"),
        Probe(
            "liveness a portrait missing",
            "liveness",
            "POST",
            path,
            schema,
            "bad_image",
            kwargs={"files": {"portrait_mid": shots["portrait_mid"]}},
            assumptions={"D50": lambda ex: ex.code == "3"},
        ),
        Probe(
            "liveness corrupt portrait",
            "liveness",
            "POST",
            path,
            schema,
            "bad_image",
            kwargs={"files": {**shots, "portrait_left": ("left.jpg", images.corrupt_image())}},
        ),
        Probe(
            "liveness success",
            "liveness",
            "POST",
            path,
            schema,
            "success",
            may_bill=True,
            kwargs={"files": shots},
            assumptions={"D51": _liveness_types},
        ),
    ]
