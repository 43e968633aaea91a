"""Onboard a customer: OCR both card sides, check three portraits are one live person, match
the frontal one against the card, enrol the face, crop an avatar."""

from __future__ import annotations

import base64
import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Any

import requests

# The flows number the same problems differently (OCR 4 = quota, Smart Crop 5 = quota).
QUOTA = {"ocr": "4", "face_matching": "4", "liveness": "4", "face_search": "5", "smart_crop": "5"}
BAD_IMAGE = {flow: {"1", "3"} for flow in QUOTA}
# which shot to take again for each liveness warning; None: the three shots are not one person
RETAKE = {"1": "mid", "2": "left", "3": "right", "4": "left", "5": "right", "6": "mid", "7": "left", "8": "right"}


class OnboardingError(Exception):
    """The customer cannot be onboarded; ``code`` is the API's own code."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class QuotaExhausted(OnboardingError):
    pass


class BadImage(OnboardingError):
    pass


class NotSamePerson(OnboardingError):
    pass


class ServiceUnavailable(OnboardingError):
    pass


class NotLive(OnboardingError):
    """The portraits are not one live person; ``retake`` names the shot to take again
    ("left", "mid" or "right") and ``code`` is the API's invalidCode."""

    def __init__(self, message: str, code: str, retake: str) -> None:
        super().__init__(message, code)
        self.retake = retake


@dataclass(frozen=True)
class Onboarded:
    id_number: str
    full_name: str
    date_of_birth: dt.date
    address: str
    similarity: float
    face_id: int
    avatar_url: str


class EkycClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        retries: int = 2,
        backoff: float = 0.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.auth = (api_key, api_secret)
        self.retries, self.backoff = retries, backoff

    # -- one call, retried only when the answer never arrived (never billed) --------
    def _call(self, flow: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        for attempt in range(self.retries + 1):
            try:
                response = self.session.request(method, self.base_url + path, timeout=30, **kwargs)
                if response.status_code in (502, 503, 504):
                    raise ServiceUnavailable(f"gateway answered {response.status_code}")
                body = response.json()
                if not isinstance(body, dict):
                    raise ServiceUnavailable("the API answered something that is not a JSON object")
                return self._checked(flow, body)
            except (requests.ConnectionError, requests.Timeout, ValueError, ServiceUnavailable) as exc:
                if attempt == self.retries:
                    raise ServiceUnavailable(f"{flow} unavailable after {attempt + 1} attempts: {exc}") from exc
                time.sleep(self.backoff * (attempt + 1))
        raise AssertionError("unreachable")

    @staticmethod
    def _checked(flow: str, body: dict[str, Any]) -> dict[str, Any]:
        # Face Search may name its code the v1 way (errorCode, error_message): read either.
        if flow == "face_search" and "status_code" in body:
            code, message = str(body["status_code"]), str(body.get("message", ""))
        else:
            code = str(body.get("errorCode"))
            message = str(body.get("errorMessage", body.get("error_message", "")))
        if code == "0":
            return body
        if code == QUOTA[flow]:
            raise QuotaExhausted(message, code)
        if code in BAD_IMAGE[flow]:
            raise BadImage(message, code)
        raise OnboardingError(message, code)

    # -- the four steps ---------------------------------------------------------------
    def read_card(self, front: bytes, back: bytes) -> dict[str, Any]:
        body = self._call(
            "ocr",
            "POST",
            "/api/v2/ekyc/cards?format_type=base64&get_thumb=false",
            json={"img1": _b64(front), "img2": _b64(back)},
        )
        return parse_card(body)

    def check_liveness(self, left: bytes, mid: bytes, right: bytes) -> float:
        """The three shots are one live person: the lower of the side similarities, else NotLive."""
        body = self._call(
            "liveness",
            "POST",
            "/api/v2/ekyc/verify_liveness",
            files={
                "portrait_left": ("left.jpg", left),
                "portrait_mid": ("mid.jpg", mid),
                "portrait_right": ("right.jpg", right),
            },
        )
        data = body.get("data") or {}
        code = str(data.get("invalidCode"))
        live = str(data.get("valid")).lower() == "true" and code == "0"  # "True" or true: either way
        if not live:
            raise NotLive(str(data.get("invalidMessage", "not a live person")), code, RETAKE.get(code, "mid"))
        return min(float(data["matching_mid_left"]), float(data["matching_mid_right"]))

    def match(self, card: bytes, selfie: bytes) -> float:
        body = self._call(
            "face_matching",
            "POST",
            "/api/v2/ekyc/face_matching?type1=card&format_type=base64",
            json={"img1": _b64(card), "img2": _b64(selfie)},
        )
        data = body["data"]
        if str(data["match"]) != "1":
            raise NotSamePerson(f"similarity {data['matching']}%: {data['invalidMessage']}", str(data["invalidCode"]))
        return float(data["matching"])

    def enrol(self, selfie: bytes, metadata: dict[str, Any]) -> int:
        body = self._call(
            "face_search",
            "POST",
            "/api/v2/face_search/images",
            json={"image": {"base64": _b64(selfie), "metadata": metadata}},
        )
        return int(body["result"]["id"])

    def avatar(self, selfie: bytes, size: int = 256) -> str:
        body = self._call(
            "smart_crop",
            "POST",
            f"/api/v2/smartcrop/crop_person?width={size}&height={size}",
            files={"img": ("selfie.jpg", selfie)},
        )
        return str(body["url"])

    def onboard(
        self, front: bytes, back: bytes, selfie: bytes, *, turned_left: bytes, turned_right: bytes
    ) -> Onboarded:
        """``selfie`` is the frontal shot; the customer also turns left and right for liveness."""
        card = self.read_card(front, back)
        self.check_liveness(turned_left, selfie, turned_right)
        similarity = self.match(front, selfie)
        face_id = self.enrol(selfie, {"soCCCD": card["id"], "hoTen": card["name"]})
        return Onboarded(
            card["id"], card["name"], birth_date(card["dob"]), card["address"], similarity, face_id, self.avatar(selfie)
        )


def parse_card(body: dict[str, Any]) -> dict[str, Any]:
    """The front's fields, picked by type (the order of the two items is not promised)."""
    items = body.get("data")
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise OnboardingError("the OCR answer has no document")
    fronts = [i for i in items if isinstance(i, dict) and str(i.get("type", "")).endswith("_front")]
    if not fronts:
        raise BadImage("no card front was recognised")
    front = fronts[0]
    if str(front.get("valid", True)).lower() in ("false", "0"):
        raise BadImage(f"card rejected: {front.get('invalidMessage')}", str(front.get("invalidCode")))
    info = front.get("info") or {}
    return {key: str(info.get(key, "")) for key in ("id", "name", "dob", "address")}


def birth_date(text: str) -> dt.date:
    """DD-MM-YYYY or DD/MM/YYYY: the API's separator is not promised."""
    found = re.fullmatch(r"(\d{2})[-/.](\d{2})[-/.](\d{4})", text.strip())
    if found is None:
        raise OnboardingError(f"unreadable date of birth {text!r}")
    day, month, year = map(int, found.groups())
    return dt.date(year, month, day)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
