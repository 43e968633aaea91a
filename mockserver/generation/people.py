"""One person model behind every identity document: a deterministic, internally consistent
Vietnamese person for a seed, fixed further by whatever a scenario pins.

Names come from Faker's ``vi_VN`` tables; places and their codes from ``vietnam-provinces``.
The 12-digit citizen number follows the real layout: birth-province code, a digit for
century and sex (0/1 born 1900-1999 man/woman, 2/3 born 2000-2099), the last two digits of the
birth year, then six digits. A pinned name, date of birth, sex, province or number fixes the
rest; sex follows, in order, a pinned gender, the number's digit, then the name's markers
(THỊ a woman, VĂN a man). Pins that contradict each other are all kept as pinned, and named
in ``Person.conflicts``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from mockserver.generation.divisions import Place, province_code, province_codes, random_place

NO_EXPIRY = "Không thời hạn"
ETHNICITIES = ("Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Hoa", "Khmer", "Nùng")
RELIGIONS = ("Không", "Không", "Không", "Phật giáo", "Công giáo", "Cao Đài")
MARKS = (
    "Nốt ruồi C:2cm trên sau đuôi mắt phải",
    "Sẹo chấm C:1cm dưới trước cánh mũi trái",
    "Nốt ruồi C:3cm dưới sau mép phải",
    "Sẹo chấm C:2cm trên trước đầu lông mày trái",
)
FEMALE_WORDS = {"nữ", "nu", "f", "female", "woman"}
MALE_WORDS = {"nam", "m", "male", "man"}
_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


@dataclass(frozen=True)
class Pins:
    """What a scenario fixes about the holder (from the document's pinned fields)."""

    name: str | None = None
    dob: dt.date | None = None
    female: bool | None = None
    id12: str | None = None
    id9: str | None = None
    province: str | None = None

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Pins:
        """Pins from info fields: name (or full_name), dob, gender, id (or person_number),
        hometown_town_code or hometown_town (a province code or name)."""
        if not fields or PIN_FIELDS.isdisjoint(fields):
            return NO_PINS
        name = _text(fields.get("name") or fields.get("full_name"))
        gender = (_text(fields.get("gender")) or "").strip().casefold()
        number = re.sub(r"\D", "", _text(fields.get("id")) or _text(fields.get("person_number")) or "")
        province = _text(fields.get("hometown_town_code")) or _text(fields.get("hometown_town"))
        return cls(
            name=name,
            dob=parse_date(_text(fields.get("dob"))),
            female=True if gender in FEMALE_WORDS else False if gender in MALE_WORDS else None,
            id12=number if len(number) == 12 else None,
            id9=number if len(number) == 9 else None,
            province=province_code(province) if province else None,
        )


PIN_FIELDS = frozenset(
    ("name", "full_name", "dob", "gender", "id", "person_number", "hometown_town_code", "hometown_town")
)
NO_PINS = Pins()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def parse_date(text: str | None) -> dt.date | None:
    found = _DATE.fullmatch(text.strip()) if text else None
    if found is None:
        return None
    day, month, year = map(int, found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Person:
    seed: str
    family: str
    middle: str
    given: str
    female: bool
    dob: dt.date
    hometown: Place
    address: Place
    street: str
    ethnicity: str
    religion: str
    mark: str
    id9: str
    id12: str
    pinned_name: str | None = None
    conflicts: tuple[str, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        if self.pinned_name:
            return self.pinned_name
        return " ".join(part for part in (self.family, self.middle, self.given) if part).upper()

    @property
    def gender(self) -> str:
        return "Nữ" if self.female else "Nam"

    @property
    def mrz_surname(self) -> str:
        return unaccent(self.name.split()[0]).upper() if self.name.split() else ""

    @property
    def mrz_given(self) -> str:
        return unaccent(" ".join(self.name.split()[1:])).upper()


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def unaccent(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@cache
def _names() -> tuple[list[str], list[str], list[str], list[str]]:
    # Imported on first use: Faker takes longer to import than the rest of the fake.
    from faker.providers.person.vi_VN import Provider as NameTables

    return (
        list(NameTables.last_names),
        list(NameTables.middle_names),
        list(NameTables.first_names_male),
        list(NameTables.first_names_female),
    )


def _middle(middle: str, female: bool) -> str:
    swaps = {"Văn": "Thị"} if female else {"Thị": "Văn"}
    return swaps.get(middle, middle)


def name_sex(name: str) -> bool | None:
    """True for a woman's name (THỊ), False for a man's (VĂN), None when the name does not say."""
    words = [unaccent(w).upper() for w in name.split()[1:-1]] or [unaccent(w).upper() for w in name.split()[1:]]
    if "THI" in words:
        return True
    if "VAN" in words:
        return False
    return None


def id_sex_and_century(id12: str) -> tuple[bool, int]:
    """(a woman, first year of the century) from the century-and-sex digit."""
    digit = int(id12[3])
    return digit % 2 == 1, 1900 + 100 * (digit // 2)


def century_sex_digit(dob: dt.date, female: bool) -> int:
    return 2 * ((dob.year - 1900) // 100) + int(female)


@lru_cache(maxsize=4096)  # one seed and one set of pins is one person: cache the draw
def person_for(seed: str, pins: Pins = Pins()) -> Person:
    rng = random.Random(seed)
    families, middles, males, females = _names()
    conflicts: list[str] = []
    female = _sex(rng, pins, conflicts)
    dob = _dob(rng, pins, conflicts)
    code = _province(pins, conflicts)
    hometown, address = random_place(rng, code), random_place(rng)
    serial = rng.randrange(10**6)
    id12 = pins.id12 or f"0{hometown.province_code}{century_sex_digit(dob, female)}{dob.year % 100:02d}{serial:06d}"
    street = rng.choice((f"Số {rng.randrange(1, 200)}, Tổ {rng.randrange(1, 30)}", f"Thôn {rng.randrange(1, 15)}"))
    return Person(
        seed=seed,
        family=rng.choice(families),
        middle=_middle(rng.choice(middles), female),
        given=rng.choice(females if female else males),
        female=female,
        dob=dob,
        hometown=hometown,
        address=address,
        street=street,
        ethnicity=rng.choice(ETHNICITIES),
        religion=rng.choice(RELIGIONS),
        mark=rng.choice(MARKS),
        id9=pins.id9 or f"{hometown.province_code[-2:]}{rng.randrange(10**7):07d}",
        id12=id12,
        pinned_name=pins.name,
        conflicts=tuple(conflicts),
    )


def _sex(rng: random.Random, pins: Pins, conflicts: list[str]) -> bool:
    by_id = id_sex_and_century(pins.id12)[0] if pins.id12 else None
    by_name = name_sex(pins.name) if pins.name else None
    female = next((s for s in (pins.female, by_id, by_name) if s is not None), None)
    if female is None:
        return rng.random() < 0.5
    said = {"gender": pins.female, "id": by_id, "name": by_name}
    differing = [k for k, v in said.items() if v is not None and v != female]
    if differing:
        winner = next(k for k, v in said.items() if v is not None)
        conflicts.append(f"{winner} says {'Nữ' if female else 'Nam'} but {' and '.join(differing)} says otherwise")
    return female


def _dob(rng: random.Random, pins: Pins, conflicts: list[str]) -> dt.date:
    if pins.id12:
        _, century = id_sex_and_century(pins.id12)
        year = century + int(pins.id12[4:6])
        if pins.dob is not None and pins.dob.year != year:
            conflicts.append(f"dob {pins.dob:%d-%m-%Y} but id {pins.id12} encodes a birth year of {year}")
        if pins.dob is None:
            start = dt.date(year, 1, 1)
            return start + dt.timedelta(days=rng.randrange(0, 365))
    if pins.dob is not None:
        return pins.dob
    return dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 51))


def _province(pins: Pins, conflicts: list[str]) -> str | None:
    by_id = pins.id12[1:3] if pins.id12 else None
    if by_id is not None and by_id not in province_codes():
        conflicts.append(f"id {pins.id12} names no province (code {by_id})")
        by_id = None
    if pins.province and by_id and pins.province != by_id:
        conflicts.append(f"hometown province {pins.province} but id {pins.id12} names province {by_id}")
    return pins.province or by_id
