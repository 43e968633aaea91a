"""When each kind of card was issued and when it expires.

- 9-digit CMND (``9_id_card``): issued up to 2020 (from 1999 here), from age 14; no expiry is
  printed (it was valid 15 years).
- 12-digit CCCD with a barcode (``12_id_card``): issued 2016 to January 2021.
- chip CCCD (``chip_id_card``): issued from 2021 to June 2024 (later cards are the new
  "căn cước", outside these types).
- CCCD expiry by age: a card is renewed at 25, 40 and 60; one issued within two years before
  such an age lasts to the next; one issued at 58 or later does not expire.
- passport: issued 2012 to mid-2025, valid 10 years; driving licence class B2: issued from 18,
  valid 10 years.

Issue dates are deterministic per person and card kind, so a card's front and back agree.
"""

from __future__ import annotations

import datetime as dt
import random

from mockserver.generation.people import Person, add_years

ISSUE_WINDOWS: dict[str, tuple[dt.date, dt.date, int]] = {
    # card kind: (first issue, last issue, youngest age at issue)
    "9_id_card": (dt.date(1999, 1, 1), dt.date(2020, 12, 31), 14),
    "12_id_card": (dt.date(2016, 1, 1), dt.date(2021, 1, 31), 14),
    "chip_id_card": (dt.date(2021, 1, 1), dt.date(2024, 6, 30), 14),
    "passport": (dt.date(2012, 1, 1), dt.date(2025, 6, 30), 14),
    "driving_license": (dt.date(2010, 1, 1), dt.date(2025, 6, 30), 18),
    "vehicle": (dt.date(2010, 1, 1), dt.date(2025, 6, 30), 18),
}
FRONTS = ("9_id_card_front", "12_id_card_front", "chip_id_card_front")
BACK_OF = {
    "9_id_card_front": "9_id_card_back",
    "12_id_card_front": "12_id_card_back",
    "chip_id_card_front": "chip_id_card_back",
}
IDENTITY_TYPES = (*FRONTS, *BACK_OF.values(), "passport")
RENEWAL_AGES = (25, 40, 60)


def kind_of(doc_type: str) -> str:
    """The card kind a document type belongs to ("chip_id_card_back" -> "chip_id_card")."""
    for kind in ISSUE_WINDOWS:
        if doc_type.startswith(kind):
            return kind
    return "vehicle"


def issued(person: Person, kind: str) -> dt.date:
    """The card's issue date: inside the kind's years and after the holder's youngest age at
    issue; as close as possible when no date can satisfy both (``too_young`` says so)."""
    first, last, age = ISSUE_WINDOWS[kind]
    start = max(first, add_years(person.dob, age))
    if start > last:
        return last
    span = (last - start).days
    return start + dt.timedelta(days=random.Random(f"{person.seed}:{kind}:issued").randrange(span + 1))


def too_young(person: Person, kind: str) -> bool:
    first, last, age = ISSUE_WINDOWS[kind]
    return add_years(person.dob, age) > last


def citizen_card_expiry(person: Person, issued_on: dt.date) -> dt.date | None:
    """The age rule of CCCD cards: the next renewal age not within two years of the issue."""
    for age in RENEWAL_AGES:
        if issued_on < add_years(person.dob, age - 2):
            return add_years(person.dob, age)
    return None
