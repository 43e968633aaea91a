"""A deterministic, internally consistent Vietnamese person for a seed.

Names come from Faker's ``vi_VN`` tables; places and their codes from ``vietnam-provinces``.
The 12-digit citizen number follows the real layout: birth-province code, a digit for
century and sex, the last two digits of the birth year, then six digits.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from .divisions import Place, random_place

NO_EXPIRY = "Không thời hạn"
ETHNICITIES = ("Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Hoa", "Khmer", "Nùng")
RELIGIONS = ("Không", "Không", "Không", "Phật giáo", "Công giáo", "Cao Đài")
MARKS = (
    "Nốt ruồi C:2cm trên sau đuôi mắt phải",
    "Sẹo chấm C:1cm dưới trước cánh mũi trái",
    "Nốt ruồi C:3cm dưới sau mép phải",
    "Sẹo chấm C:2cm trên trước đầu lông mày trái",
)


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
    card_issued: dt.date
    id9: str
    id12: str

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part).upper()

    @property
    def gender(self) -> str:
        return "Nữ" if self.female else "Nam"

    @property
    def mrz_surname(self) -> str:
        return unaccent(self.family).upper()

    @property
    def mrz_given(self) -> str:
        return unaccent(f"{self.middle} {self.given}".strip()).upper()

    def card_expiry(self) -> dt.date | None:
        """Cards expire at 25, 40 or 60; one issued within two years of an age lasts to the next."""
        for age in (25, 40, 60):
            if self.card_issued < add_years(self.dob, age - 2):
                return add_years(self.dob, age)
        return None


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


@lru_cache(maxsize=4096)  # one seed is one person: cache the draw
def person_for(seed: str) -> Person:
    rng = random.Random(seed)
    families, middles, males, females = _names()
    female = rng.random() < 0.5
    dob = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
    hometown, address = random_place(rng), random_place(rng)
    issued = max(dob + dt.timedelta(days=365 * 14 + 30), dt.date(2016, 1, 1)) + dt.timedelta(
        days=rng.randrange(0, 365 * 5)
    )
    century_sex = (0 if dob.year < 2000 else 2) + int(female)
    id12 = f"0{hometown.province_code}{century_sex}{dob.year % 100:02d}{rng.randrange(10**6):06d}"
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
        card_issued=min(issued, dt.date(2025, 6, 30)),
        id9=f"{hometown.province_code[-2:]}{rng.randrange(10**7):07d}",
        id12=id12,
    )
