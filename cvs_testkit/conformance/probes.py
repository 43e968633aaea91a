"""The battery: what the conformance runner sends per flow, what it expects, and which
assumption of contracts/ASSUMPTIONS.md each answer confirms or contradicts."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockserver.contract.catalogue import data_items

from .. import images
from .checks import Exchange

Check = Callable[[Exchange], bool]
UNREACHABLE = "https://cvs-conformance.invalid/anh.jpg"


@dataclass(frozen=True)
class Samples:
    """Images for success probes: real samples for the real API, scenario images by default."""

    front: bytes
    back: bytes
    selfie: bytes

    @classmethod
    def scenario(cls) -> Samples:
        return cls(
            images.id_card("chip_id_card_front", identity="kiem-tra"),
            images.id_card("chip_id_card_back"),
            images.portrait("kiem-tra"),
        )

    @classmethod
    def from_dir(cls, folder: Path) -> Samples:
        if not folder.is_dir():
            raise FileNotFoundError(f"--images {folder}: no such folder (it needs front.*, back.* and selfie.* images)")
        found = {}
        for role in ("front", "back", "selfie"):
            matches = sorted(p for p in folder.iterdir() if p.stem.lower() == role)
            if not matches:
                raise FileNotFoundError(f"{folder} needs front.*, back.* and selfie.* images (missing {role})")
            found[role] = matches[0].read_bytes()
        return cls(**found)


@dataclass
class Probe:
    name: str
    flow: str
    method: str
    path: str
    schema: str
    meaning: str | None
    may_bill: bool = False
    auth: str = "good"  # good | wrong | none
    kwargs: dict[str, Any] = field(default_factory=dict)
    assumptions: dict[str, Check] = field(default_factory=dict)


def b64(data: bytes, line_breaks: bool = False) -> str:
    return (base64.encodebytes(data) if line_breaks else base64.b64encode(data)).decode("ascii")


def _front_at_1(ex: Exchange) -> bool:
    data = (ex.body or {}).get("data") or []
    return len(data) == 2 and str(data[1].get("type", "")).endswith("_front")


def _is(field: str, kind: type | tuple[type, ...]) -> Check:
    return lambda ex: isinstance((ex.body or {}).get(field), kind)


def _status_200(ex: Exchange) -> bool:
    return ex.status == 200


def _items(ex: Exchange) -> list[dict[str, Any]]:
    return data_items(ex.body)


def _dates_hyphenated(ex: Exchange) -> bool:
    import re

    dates = [i["info"].get("dob") for i in _items(ex) if isinstance(i.get("info"), dict) and i["info"].get("dob")]
    return bool(dates) and all(re.fullmatch(r"\d{2}-\d{2}-\d{4}", str(d)) for d in dates)


def _match_agrees(ex: Exchange) -> bool:
    data = (ex.body or {}).get("data") or {}
    try:
        percent = float(data["matching"])
    except (KeyError, TypeError, ValueError):
        return False
    expected = "1" if percent > 75 else "0" if percent >= 65 else "-1"
    return str(data.get("match")) == expected


def ocr_probes(s: Samples) -> list[Probe]:
    card_url = "/api/v2/ekyc/card"
    good_url = f"{card_url}?img=https://cdn.example.vn/the-cccd.jpg&format_type=url"
    schema = "ocr_ekyc_card_response.json"
    return [
        Probe(
            "ocr wrong secret",
            "ocr",
            "GET",
            good_url,
            schema,
            "auth",
            auth="wrong",
            assumptions={
                "D11": _status_200,
                "D1": _is("errorCode", str),
                "D2": lambda ex: ex.code == "5",
                "D41": lambda ex: "data" not in (ex.body or {}),
            },
        ),
        Probe("ocr missing Authorization", "ocr", "GET", good_url, schema, "auth", auth="none"),
        Probe(
            "ocr unknown path",
            "ocr",
            "GET",
            "/api/v2/ocr/khong-ton-tai?img=https://cdn.example.vn/a.jpg",
            "not_served.json",
            None,
            assumptions={
                "D44": lambda ex: ex.status == 404 and (ex.body or {}).get("path") == "/api/v2/ocr/khong-ton-tai"
            },
        ),
        Probe(
            "ocr format_type mismatch",
            "ocr",
            "POST",
            f"{card_url}?format_type=file",
            schema,
            "format_type",
            kwargs={"json": {"img": b64(s.front)}},
            assumptions={
                "D30": lambda ex: ex.code == "6",
                "D4": lambda ex: (ex.body or {}).get("errorMessage") == "Incorrect format type",
            },
        ),
        Probe(
            "ocr claims format_type mismatch",
            "ocr",
            "POST",
            "/api/v2/ocr/claims?format_type=file",
            "ocr_claims_response.json",
            "format_type",
            kwargs={"json": {"img": b64(s.front)}},
            assumptions={"D58": lambda ex: (ex.body or {}).get("errorMessage") == "Incorrect format type"},
        ),
        Probe(
            "ocr get_thumb neither true nor false",
            "ocr",
            "GET",
            f"{good_url}&get_thumb=yes",
            schema,
            "format_type",
            assumptions={"D49": lambda ex: ex.code == "6"},
        ),
        Probe(
            "ocr corrupt image",
            "ocr",
            "POST",
            f"{card_url}?format_type=base64",
            schema,
            "bad_image",
            kwargs={"json": {"img": b64(images.corrupt_image())}},
            assumptions={"D2": lambda ex: ex.code == "3"},
        ),
        Probe(
            "ocr unreachable URL",
            "ocr",
            "GET",
            f"{card_url}?img={UNREACHABLE}&format_type=url",
            schema,
            "url_unavailable",
        ),
        Probe(
            "ocr blank image",
            "ocr",
            "POST",
            f"{card_url}?format_type=base64",
            schema,
            "no_content",
            kwargs={"json": {"img": b64(images.blank_image())}},
        ),
        Probe(
            "ocr url mode without img",
            "ocr",
            "GET",
            f"{card_url}?format_type=url",
            schema,
            "url_unavailable",
            assumptions={"D31": lambda ex: ex.code == "2"},
        ),
        Probe(
            "ocr ekyc/cards success",
            "ocr",
            "POST",
            "/api/v2/ekyc/cards?format_type=base64&get_thumb=false",
            "ocr_ekyc_cards_response.json",
            "success",
            may_bill=True,
            kwargs={"json": {"img1": b64(s.front, True), "img2": b64(s.back, True)}},
            assumptions={
                "D6": _front_at_1,
                "D5": _is("data", list),
                "D37": lambda ex: ex.code == "0",
                "D8": lambda ex: all(isinstance(i.get("valid"), bool) for i in _items(ex)),
                "D9": lambda ex: all("invalidCode" in i for i in _items(ex)),
                "D22": lambda ex: all("image" not in (i.get("info") or {}) for i in _items(ex)),
                "D33": _dates_hyphenated,
            },
        ),
        Probe(
            "ocr ekyc/card success",
            "ocr",
            "POST",
            f"{card_url}?format_type=file&get_thumb=true",
            schema,
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("front.jpg", s.front)}},
            assumptions={
                "D7": _is("data", dict),
                "D22": lambda ex: all("image" in (i.get("info") or {}) for i in _items(ex)),
            },
        ),
        Probe(
            "ocr ocr/card success",
            "ocr",
            "POST",
            "/api/v2/ocr/card?format_type=file",
            "ocr_card_response.json",
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("front.jpg", s.front)}},
            assumptions={
                "D10": lambda ex: all("valid" not in i for i in _items(ex)),
                "D12": lambda ex: isinstance((ex.body or {}).get("data"), list),
            },
        ),
    ]


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
            assumptions={"D11": _status_200, "D1": _is("errorCode", str)},
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
            assumptions={"D11": _status_200, "D1": _is("errorCode", str)},
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


def face_search_probes(s: Samples) -> list[Probe]:
    images_path = "/api/v2/face_search/images"
    return [
        Probe(
            "face_search wrong secret",
            "face_search",
            "GET",
            images_path,
            "face_search_list_response.json",
            "auth",
            auth="wrong",
            assumptions={
                "D2": lambda ex: ex.code == "4",
                "D11": _status_200,
                "D19": lambda ex: set(ex.body or {}) >= {"result", "status_code", "message"},
            },
        ),
        Probe(
            "face_search missing Authorization",
            "face_search",
            "GET",
            images_path,
            "face_search_list_response.json",
            "auth",
            auth="none",
        ),
        Probe(
            "face_search corrupt base64",
            "face_search",
            "POST",
            "/api/v2/face_search/search",
            "face_search_search_response.json",
            "bad_image",
            kwargs={"json": {"image": {"base64": "%%%"}}},
        ),
        Probe(
            "face_search image without a face",
            "face_search",
            "POST",
            "/api/v2/face_search/search",
            "face_search_search_response.json",
            "no_content",
            kwargs={"json": {"image": {"base64": b64(images.blank_image())}}},
        ),
        Probe(
            "face_search negative limit",
            "face_search",
            "GET",
            f"{images_path}?limit=-1",
            "face_search_list_response.json",
            "processing",
            assumptions={"D17": lambda ex: ex.code == "6"},
        ),
        Probe(
            "face_search delete posted to the add path",
            "face_search",
            "POST",
            images_path,
            "face_search_add_response.json",
            "bad_image",
            kwargs={"json": {"ids": [987654321]}},
            assumptions={"D14": lambda ex: ex.code == "1"},
        ),
        Probe(
            "face_search update of an unknown id",
            "face_search",
            "PUT",
            f"{images_path}/987654321",
            "face_search_update_response.json",
            "incorrect_id",
            kwargs={"json": {"metadata": {"a": "b"}}},
            assumptions={"D13": lambda ex: ex.code == "7"},
        ),
    ]


def smart_crop_probes(s: Samples) -> list[Probe]:
    crop = "/api/v2/smartcrop/crop_image"
    schema = "smart_crop_crop_image_response.json"
    return [
        Probe(
            "smart_crop wrong secret",
            "smart_crop",
            "GET",
            f"{crop}?url=https://cdn.example.vn/a.jpg&width=8&height=8",
            schema,
            "auth",
            auth="wrong",
            assumptions={"D3": lambda ex: ex.code == "4", "D1": _is("errorCode", int)},
        ),
        Probe(
            "smart_crop missing Authorization",
            "smart_crop",
            "GET",
            f"{crop}?url=https://cdn.example.vn/a.jpg&width=8&height=8",
            schema,
            "auth",
            auth="none",
        ),
        Probe(
            "smart_crop missing width",
            "smart_crop",
            "GET",
            f"{crop}?url=https://cdn.example.vn/a.jpg&height=8",
            schema,
            "processing",
            assumptions={"D20": lambda ex: ex.code == "6"},
        ),
        Probe(
            "smart_crop corrupt image",
            "smart_crop",
            "POST",
            f"{crop}?width=8&height=8",
            schema,
            "bad_image",
            kwargs={"files": {"img": ("a.png", images.corrupt_image())}},
        ),
        Probe(
            "smart_crop blank image",
            "smart_crop",
            "POST",
            f"{crop}?width=8&height=8",
            schema,
            "no_content",
            kwargs={"files": {"img": ("blank.png", images.blank_image())}},
        ),
        Probe(
            "smart_crop unreachable URL",
            "smart_crop",
            "GET",
            f"{crop}?url={UNREACHABLE}&width=8&height=8",
            schema,
            "url_unavailable",
        ),
        Probe(
            "smart_crop crop_image success",
            "smart_crop",
            "POST",
            f"{crop}?width=120&height=80",
            schema,
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("selfie.jpg", s.selfie)}},
            assumptions={"D21": lambda ex: "invalidCode" not in (ex.body or {})},
        ),
        Probe(
            "smart_crop crop_person success",
            "smart_crop",
            "POST",
            "/api/v2/smartcrop/crop_person?width=96&height=128",
            "smart_crop_crop_person_response.json",
            "success",
            may_bill=True,
            kwargs={"files": {"img": ("selfie.jpg", s.selfie)}},
            assumptions={"D21": lambda ex: "invalidCode" in (ex.body or {})},
        ),
    ]


BATTERIES = {
    "ocr": ocr_probes,
    "face_matching": face_matching_probes,
    "liveness": liveness_probes,
    "face_search": face_search_probes,
    "smart_crop": smart_crop_probes,
}
LIFECYCLE_BILLABLE = 5  # add, list, search, update, delete


def document_probes(s: Samples, names: tuple[str, ...]) -> list[Probe]:
    """One probe per OCR document endpoint named (``--endpoints``): a base64 request with the
    front sample, whose answer is checked against the endpoint's schema, whatever it reads."""
    from mockserver.contract.loading import load_contract

    ops = {op.path: op for op in load_contract().operations if op.operation_id.endswith("_upload")}
    probes = []
    for name in names:
        path = f"/api/v2/{name}"
        op = ops[path]
        if name.endswith("invoice-xml"):
            body: dict[str, Any] = {"files": {"img": ("hoa-don.xml", XML_INVOICE)}}
            url = f"{path}?format_type=file"
        else:
            pairs = ("img1", "img2") if name.endswith("vehicle_registrations") else ("img",)
            body = {"json": {n: b64(s.front) for n in pairs}}
            url = f"{path}?format_type=base64"
        checks: dict[str, Check] = {"D24": _inspection_keys} if name.endswith("vehicle_inspection") else {}
        probes.append(
            Probe(f"ocr {name}", "ocr", "POST", url, op.schema, None, may_bill=True, kwargs=body, assumptions=checks)
        )
    return probes


XML_INVOICE = b'<?xml version="1.0" encoding="UTF-8"?><HDon><DLHDon><TTChung><SHDon>1</SHDon></TTChung></DLHDon></HDon>'


def _inspection_keys(ex: Exchange) -> bool:
    info = next(iter(_items(ex)), {}).get("info") or {}
    return ex.code != "0" or ("design_pay_load" in info and "type" in info)


def document_endpoints() -> tuple[str, ...]:
    """The OCR document endpoints a conformance run may probe, by name."""
    from mockserver.flows.ocr.document_views import ENDPOINTS

    return tuple(e.name for e in ENDPOINTS)
