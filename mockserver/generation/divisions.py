"""Administrative divisions with their official codes, from the ``vietnam-provinces`` package
(its 0.6 line: the three-level province/district/ward codes printed on pre-2025 cards)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from typing import Any

from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH


@dataclass(frozen=True)
class Place:
    province: str
    province_code: str
    district: str
    district_code: str
    ward: str
    ward_code: str

    @property
    def full(self) -> str:
        return f"{self.ward}, {self.district}, {self.province}"


@cache
def _tree() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    return [p for p in data if any(d.get("wards") for d in p.get("districts", []))]


def province_codes() -> dict[str, str]:
    """Two-digit province code -> official name."""
    return {f"{p['code']:02d}": p["name"] for p in _tree()}


def province_code(text: str) -> str | None:
    """The code of a province given by code ("79", "079") or name ("Hồ Chí Minh", with or
    without its "Thành phố"/"Tỉnh" prefix); None when there is no such province."""
    codes = province_codes()
    digits = text.strip().lstrip("0").zfill(2)
    if digits.isdigit():
        return digits if digits in codes else None
    wanted = short_province(text.strip()).casefold()
    return next((code for code, name in codes.items() if short_province(name).casefold() == wanted), None)


def random_place(rng: random.Random, code: str | None = None) -> Place:
    """A ward of the province ``code``, or of any province."""
    tree = _tree()
    province = next((p for p in tree if f"{p['code']:02d}" == code), None) or rng.choice(tree)
    district = rng.choice([d for d in province["districts"] if d.get("wards")])
    ward = rng.choice(district["wards"])
    return Place(
        province["name"],
        f"{province['code']:02d}",
        district["name"],
        f"{district['code']:03d}",
        ward["name"],
        f"{ward['code']:05d}",
    )


def short_province(name: str) -> str:
    """'Thành phố Hà Nội' -> 'Hà Nội', 'Tỉnh Nghệ An' -> 'Nghệ An'."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
