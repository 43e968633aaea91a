"""The papers of a health-insurance claim file (A.13.2, A.13.3): the insurer's member card,
the claim form, and which of the 17 page labels each kind of page carries.

The claim form describes the insured person of the file, the same person as the file's
identity card, so a client that cross-checks the form against the card sees them agree.
"""

from __future__ import annotations

import random
from typing import Any

from mockserver.generation.cards import IDENTITY_TYPES
from mockserver.generation.people import Person, person_for, unaccent

Dates = Any  # the callable DD-MM-YYYY writer of documents.py
CLAIM_TYPES = ("claim_form", "bvcard", *IDENTITY_TYPES)  # what ocr/claims reads; the first two lead
# the label each readable kind of page gets from get_label_claim (a member card identifies
# the insured, so it is an identity document too); other pages carry a pinned label or none
LABEL_OF = {
    "claim_form": "claim_form",
    "bvcard": "id_doc",
    "invoice": "invoice",
    **dict.fromkeys(IDENTITY_TYPES, "id_doc"),
}
PLANS = ("ĐỒNG", "BẠC", "VÀNG", "BẠCH KIM", "KIM CƯƠNG")
INSURED_BY = ("CÔNG TY CỔ PHẦN", "CÔNG TY TNHH", "NGÂN HÀNG TMCP")
COMPANY_WORDS = ("Phát Đạt", "Thành Công", "Minh Long", "An Khang", "Việt Tiến", "Hòa Bình")


def _rng(p: Person, kind: str) -> random.Random:
    return random.Random(f"{p.seed}:{kind}")


def _employer(rng: random.Random) -> str:
    return f"{rng.choice(INSURED_BY)} {rng.choice(COMPANY_WORDS).upper()}"


def bvcard(p: Person, d: Dates) -> dict[str, Any]:
    """The member card of the insured: its holder, programme, employer, validity period."""
    rng = _rng(p, "bvcard")
    year = 2024 + rng.randrange(3)
    return {
        "name": p.name,
        "plan": rng.choice(PLANS),
        "company": _employer(rng),
        "valid": f"01/01/{year} - 31/12/{year}",
        "policy_no": f"BV{rng.randrange(10**9):09d}",
    }


def claim_form(p: Person, d: Dates) -> dict[str, Any]:
    """The claim request: the insured person, a relative, the policy holder (the employer)."""
    rng = _rng(p, "claim_form")
    relative = person_for(f"{p.seed}:relative")
    login = unaccent(p.given or p.name.split()[-1]).lower()
    return {
        "insure_name": p.name,
        "dob": d(p.dob),
        "gender": p.gender,
        "certificate_no": f"BV{rng.randrange(10**9):09d}",
        "id_card_no": p.id12,
        "family_member": relative.name,
        "policy_holder": _employer(rng),
        "cellphone_no": f"09{rng.randrange(10**8):08d}",
        "email": f"{login}{p.dob.year % 100:02d}@example.vn",
    }
