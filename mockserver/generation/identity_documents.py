"""The ``info`` builders of the identity family and the vehicle papers: cards front and back,
passport, driving licence, vehicle registration and inspection, all from one Person."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mockserver.generation.cards import citizen_card_expiry, issued
from mockserver.generation.divisions import short_province
from mockserver.generation.papers import CHIP_AUTHORITY
from mockserver.generation.people import NO_EXPIRY, Person, add_years
from mockserver.generation.regions import plate_number

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


def card_front(p: Person, d: Dates, number: str, extra: dict[str, str]) -> dict[str, Any]:
    return {
        "id": number,
        "name": p.name,
        "dob": d(p.dob),
        "hometown": p.hometown.full,
        "address": f"{p.street}, {p.address.full}",
        **extra,
        **_places(p),
    }


def citizen_extra(p: Person, d: Dates, kind: str) -> dict[str, str]:
    expiry = citizen_card_expiry(p, issued(p, kind))
    return {"gender": p.gender, "due_date": d(expiry), "nationality": "Việt Nam"}


def chip_card_back(p: Person, d: Dates) -> dict[str, Any]:
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


def passport(p: Person, d: Dates) -> dict[str, Any]:
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


def vehicle_front(p: Person, d: Dates) -> dict[str, Any]:
    return {
        "name": p.name,
        "address": p.address.full,
        "id": p.id9[-6:],
        "plate": _plate(p, motorbike=True),
        "issued_at": f"Công an {short_province(p.address.province)}",
    }


def vehicle_back(p: Person, d: Dates) -> dict[str, Any]:
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


def inspection(p: Person, d: Dates) -> dict[str, Any]:
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


def driving_licence(p: Person, d: Dates) -> dict[str, Any]:
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
