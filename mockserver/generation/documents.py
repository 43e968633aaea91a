"""The ``info`` of each document type, built from one Person so every field agrees."""

from __future__ import annotations

import base64
import datetime as dt
import random
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import orjson
from PIL import Image, ImageDraw

from mockserver.contract.loading import load_contract
from mockserver.generation import claim_files, finance, hr_files, land, papers
from mockserver.generation.cards import FRONTS, IDENTITY_TYPES, citizen_card_expiry, issued
from mockserver.generation.divisions import short_province
from mockserver.generation.layouts import boxes
from mockserver.generation.papers import CHIP_AUTHORITY
from mockserver.generation.people import NO_EXPIRY, Person, add_years
from mockserver.generation.regions import plate_number
from mockserver.media.pictures import png_bytes

SIDE_ORDER = {t: (1 if t in FRONTS else 0) for t in IDENTITY_TYPES}
CCCD_AUTHORITY = "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ"


class Dates:
    """Dates as the contract's default reading writes them, DD-MM-YYYY (the dialect option
    ocr.date_separator=slash rewrites them on the way out)."""

    def __init__(self, style: str = "DD-MM-YYYY") -> None:
        self.sep = "/" if style == "DD/MM/YYYY" else "-"

    def __call__(self, day: dt.date | None) -> str:
        return NO_EXPIRY if day is None else day.strftime(f"%d{self.sep}%m{self.sep}%Y")


def _places(p: Person) -> dict[str, str]:
    out: dict[str, str] = {}
    for prefix, place in (("address", p.address), ("hometown", p.hometown)):
        out[f"{prefix}_town"], out[f"{prefix}_town_code"] = place.province, place.province_code
        out[f"{prefix}_district"], out[f"{prefix}_district_code"] = place.district, place.district_code
        out[f"{prefix}_ward"], out[f"{prefix}_ward_code"] = place.ward, place.ward_code
    return out


def _front(p: Person, d: Dates, number: str, extra: dict[str, str]) -> dict[str, Any]:
    return {
        "id": number,
        "name": p.name,
        "dob": d(p.dob),
        "hometown": p.hometown.full,
        "address": f"{p.street}, {p.address.full}",
        **extra,
        **_places(p),
    }


def _citizen_extra(p: Person, d: Dates, kind: str) -> dict[str, str]:
    expiry = citizen_card_expiry(p, issued(p, kind))
    return {"gender": p.gender, "due_date": d(expiry), "nationality": "Việt Nam"}


def _chip_back(p: Person, d: Dates) -> dict[str, Any]:
    on = issued(p, "chip_id_card")
    return {
        "issue_date": d(on),
        "issued_at": CHIP_AUTHORITY,
        "country": "VNM",
        "document_number": p.id12[-9:],
        "person_number": p.id12,
        "dob": d(p.dob),
        "gender": "F" if p.female else "M",
        "due_date": d(citizen_card_expiry(p, on)),
        "nationality": "VNM",
        "sur_name": p.mrz_surname,
        "given_name": p.mrz_given,
        "identification_sign": p.mark,
    }


def _passport(p: Person, d: Dates) -> dict[str, Any]:
    on = issued(p, "passport")
    return {
        "id": f"C{p.id12[-7:]}",
        "sur_name": p.mrz_surname,
        "given_name": p.mrz_given,
        "full_name": f"{p.mrz_surname} {p.mrz_given}",
        "dob": d(p.dob),
        "gender": "F" if p.female else "M",
        "country": "VNM",
        "nationality": "VNM",
        "due_date": d(add_years(on, 10)),
        "person_number": p.id12,
        "issue_date": d(on),
        "issued_at": "Cục Quản lý xuất nhập cảnh",
        "place_of_birth": short_province(p.hometown.province),
    }


def _vehicle_front(p: Person, d: Dates) -> dict[str, Any]:
    return {
        "name": p.name,
        "address": p.address.full,
        "id": p.id9[-6:],
        "plate": _plate(p, motorbike=True),
        "issued_at": f"Công an {short_province(p.address.province)}",
    }


def _vehicle_back(p: Person, d: Dates) -> dict[str, Any]:
    return {
        "name": p.name,
        "address": p.address.full,
        "engine": f"JF83E-{p.id12[-7:]}",
        "chassis": vin(p, "RLHJF83"),
        "brand": "HONDA",
        "model": "WAVE ALPHA",
        "color": "Đỏ - Đen",
        "capacity": "110",
        "issued_at": f"Công an {short_province(p.address.province)}",
        "last_issue_date": d(issued(p, "vehicle")),
        "first_issue_date": d(issued(p, "vehicle")),
        "plate": _plate(p, motorbike=True),
        "pay_load": "",
    }


def _inspection(p: Person, d: Dates) -> dict[str, Any]:
    on = issued(p, "vehicle")
    return {
        "chassis_number": vin(p, "RL4B"),
        "commercial_use": "Không",
        "design_pay_load": "1250 kg",
        "design_towed_mass": "",
        "engine_number": f"1NZ-{p.id12[-7:]}",
        "inside_cargo_container_dimension": "3100 x 1700 x 380 mm",
        "issued_on": "Trung tâm Đăng kiểm 29-01V",
        "life_time_limit": "2045",
        "manufactured_country": "Việt Nam",
        "manufactured_year": str(on.year - 3),
        "mark": "TOYOTA",
        "model_code": "HILUX",
        "modification": "Không",
        "permissible_no": "5",
        "regis_date": d(on),
        "registration_number": _plate(p),
        "seri": f"KC-{p.id9[-7:]}",
        "tire_size": "265/65R17",
        "type": "Ô tô tải (pick up cabin kép)",
        "valid_until": d(add_years(on, 2)),
        "wheel_form": "4x4",
        "capacity": "2393",
        "report_number": f"2901V-{p.id9[-5:]}",
        "authorized_pay_load": "1250 kg",
    }


def _licence(p: Person, d: Dates) -> dict[str, Any]:
    on = issued(p, "driving_license")
    return {
        "id": p.id12,
        "name": p.name,
        "dob": d(p.dob),
        "class": "B2",
        "nationality": "Việt Nam",
        "issue_date": d(on),
        "due_date": d(add_years(on, 10)),
        "address": f"{p.street}, {p.address.full}",
    }


VIN_CHARACTERS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O or Q


def vin(p: Person, maker: str) -> str:
    """A 17-character chassis number: the maker's prefix, then characters a VIN may hold."""
    rng = random.Random(f"{p.seed}:vin:{maker}")
    return maker + "".join(rng.choice(VIN_CHARACTERS) for _ in range(17 - len(maker)))


def _plate(p: Person, motorbike: bool = False) -> str:
    return plate_number(random.Random(f"{p.seed}:plate"), motorbike)


BUILDERS: dict[str, Callable[[Person, Dates], dict[str, Any]]] = {
    "9_id_card_front": lambda p, d: _front(p, d, p.id9, {}),
    "12_id_card_front": lambda p, d: _front(
        p, d, p.id12, {**_citizen_extra(p, d, "12_id_card"), "ethnicity": p.ethnicity}
    ),
    "chip_id_card_front": lambda p, d: _front(p, d, p.id12, _citizen_extra(p, d, "chip_id_card")),
    "9_id_card_back": lambda p, d: {
        "ethnicity": p.ethnicity,
        "issue_date": d(issued(p, "9_id_card")),
        "religious": p.religion,
        "issued_at": f"CA {short_province(p.hometown.province)}",
        "issued_at_town": p.hometown.province,
        "issued_at_code": p.hometown.province_code,
        "identification_sign": p.mark,
    },
    "12_id_card_back": lambda p, d: {
        "issue_date": d(issued(p, "12_id_card")),
        "issued_at": CCCD_AUTHORITY,
        "identification_sign": p.mark,
    },
    "chip_id_card_back": _chip_back,
    "passport": _passport,
    "driving_license": _licence,
    "vehicle_registration_front": _vehicle_front,
    "vehicle_registration_back": _vehicle_back,
    "picertificate": _inspection,
    "birth_certificate": papers.birth_certificate,
    "invoice": papers.invoice,
    "invoice_vehicle": papers.invoice_vehicle,
    "business_registration": papers.business_registration,
    "price_quotation": papers.price_quotation,
    "bvcard": claim_files.bvcard,
    "claim_form": claim_files.claim_form,
    "credit_report": finance.credit_report,
    **land.BUILDERS,
    **hr_files.BUILDERS,  # an HR file's own field lists, under their family's prefix
}
FAMILY_PREFIXES = ("hr_", "claims_")  # an endpoint's own field lists: info_hr_*, info_claims_*
DOCUMENT_TYPES = tuple(t for t in BUILDERS if not t.startswith(FAMILY_PREFIXES))
IMAGE = {"$ref": "#/$defs/image"}
IMAGE_LIST = {"$ref": "#/$defs/image_list"}
PAGE_INDEX = {"$ref": "#/$defs/page_index"}


def schema_type_of(doc_type: str, family: str = "") -> str:
    """The info schema an endpoint family reads a type with: the family's own where its page
    lists other fields (``claims_passport``), else the type's."""
    own = family + doc_type
    return own if f"info_{own}" in load_contract().schemas["ocr_document.json"]["$defs"] else doc_type


def _builder(schema_type: str) -> Callable[[Person, Dates], dict[str, Any]]:
    """A family's own builder, else the type's own: the schema then picks the fields."""
    if schema_type in BUILDERS:
        return BUILDERS[schema_type]
    prefix = next(p for p in FAMILY_PREFIXES if schema_type.startswith(p))
    return BUILDERS[schema_type.removeprefix(prefix)]


def info_properties(doc_type: str) -> dict[str, Any]:
    """The properties of ``info_<doc_type>``; a family's types carry their prefix (``hr_id_card``)."""
    properties: dict[str, Any] = load_contract().schemas["ocr_document.json"]["$defs"][f"info_{doc_type}"]["properties"]
    return properties


def _declared(doc_type: str, suffix: str) -> list[str]:
    """The fields the contract gives a ``_confidence`` or ``_box`` companion, for a type."""
    return [name[: -len(suffix)] for name in info_properties(doc_type) if name.endswith(suffix)]


def build_info(
    doc_type: str,
    person: Person,
    dates: Dates,
    overrides: dict[str, Any],
    thumb: bool,
    size: tuple[int, int] = (640, 400),
    pages: int = 1,
) -> dict[str, Any]:
    """The info object of one document: every field the contract declares for its type, each
    confidence and box (inside ``size``, the image's own), the page each value was read from
    (of ``pages``, for documents that span pages), the scenario's overrides and, on request,
    the aligned images. A pure function of its inputs, so answers are kept: a client sends
    the same test image again and again."""
    key = (doc_type, person, dates.sep, orjson.dumps(overrides, option=orjson.OPT_SORT_KEYS), thumb, size, pages)
    known = _INFOS.get(key)
    if known is None:
        known = orjson.dumps(_build_info(doc_type, person, dates, overrides, thumb, size, pages))
        if len(_INFOS) >= INFOS_KEPT:
            _INFOS.clear()
        _INFOS[key] = known
    info: dict[str, Any] = orjson.loads(known)  # each answer its own copy
    return info


def confidence(rng: random.Random) -> float:
    """A field's confidence over the whole documented range 0 to 1, so a client's threshold
    meets both sides: four fields in five read confidently (0.85 to 1), one anywhere below."""
    if rng.random() < 0.8:
        return round(rng.uniform(0.85, 1.0), 4)
    return round(rng.uniform(0.0, 0.85), 4)


INFOS_KEPT = 1024
_INFOS: dict[tuple[Any, ...], bytes] = {}


def _build_info(
    doc_type: str,
    person: Person,
    dates: Dates,
    overrides: dict[str, Any],
    thumb: bool,
    size: tuple[int, int],
    pages: int,
) -> dict[str, Any]:
    pages = max(1, pages)
    properties = info_properties(doc_type)
    info = {k: v for k, v in _builder(doc_type)(person, dates).items() if k in properties}
    rng = random.Random(f"{person.seed}:{doc_type}")
    for name in _declared(doc_type, "_confidence"):
        info[f"{name}_confidence"] = confidence(rng)
    if "confidence" in properties:  # a passport's one MRZ confidence
        info["confidence"] = confidence(rng)
    for name, box in boxes(doc_type, _declared(doc_type, "_box"), size).items():
        info[f"{name}_box"] = box
    for name in (n for n, p in properties.items() if p == PAGE_INDEX):
        info[name] = rng.randrange(pages)
    info.update(overrides)
    if thumb:
        info.update(_images(doc_type, properties, pages))
    return info


def _images(doc_type: str, properties: dict[str, Any], pages: int) -> dict[str, Any]:
    """Every image the type declares: one per page for a page list, ``image_<k>`` for the
    document's first pages only, table crops drawn as tables."""
    out: dict[str, Any] = {}
    for name, prop in properties.items():
        page = name.removeprefix("image_")
        if prop == IMAGE_LIST:
            out[name] = [thumbnail(doc_type)] * pages
        elif prop == IMAGE and not (page.isdigit() and int(page) >= pages):
            out[name] = thumbnail("table" if name == "image_table" or name.endswith("_image") else doc_type)
    return out


@lru_cache(maxsize=16)
def thumbnail(doc_type: str) -> str:
    """A real small PNG standing for the aligned document image."""
    tint = {"passport": "#7a1f2b", "driving_license": "#f2c6d0"}.get(doc_type, "#cfe3f1")
    image = Image.new("RGB", (172, 108), tint)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 30, 52, 86), fill="#d8b89c", outline="#333333")
    for row in range(5):
        draw.line((62, 34 + row * 12, 160, 34 + row * 12), fill="#333333", width=2)
    draw.text((10, 8), doc_type[:24], fill="#111111")
    return base64.b64encode(png_bytes(image)).decode("ascii")
