"""Land-use-right certificates (A.13.7), three forms. The owners are the person and, on some
certificates, their spouse: each owner's address is the plot's own address, their ID numbers
are the ones the fake's ID cards of them carry, and the notes name the same owners.
"""

from __future__ import annotations

import random
from typing import Any

from mockserver.generation.divisions import short_province
from mockserver.generation.people import Person, Pins, add_years, person_for

Dates = Any  # the callable DD-MM-YYYY writer of documents.py
LAND_TYPES = ("giay_cnqshdd_mau_1", "giay_cnqshdd_mau_2", "giay_cnqshdd_mau_3")
SERIES = "ABCDEGHK"


def owners(p: Person) -> list[Person]:
    rng = random.Random(f"{p.seed}:land:owners")
    if rng.random() < 0.5:
        return [p]
    spouse = person_for(f"{p.seed}:spouse", Pins(female=not p.female))
    return [p, spouse]


def _certificate(p: Person, d: Dates, form: str) -> dict[str, Any]:
    rng = random.Random(f"{p.seed}:land:{form}")
    people = owners(p)
    plot = f"{p.street}, {p.address.full}"
    issued_on = add_years(p.dob, min(2024 - p.dob.year, 30 + rng.randrange(10)))
    area = rng.randrange(40, 400)
    info: dict[str, Any] = {
        "so_so": f"{rng.choice(SERIES)}{rng.choice(SERIES)} {rng.randrange(10**6):06d}",
        "noi_cap": f"UBND {short_province(p.address.province)}",
        "ngay_cap": d(issued_on),
        "so_vao_so": f"CH{rng.randrange(10**5):05d}",
        "thong_tin_thua_dat": f"Thửa đất số {rng.randrange(1, 900)}, tờ bản đồ số {rng.randrange(1, 60)}, "
        f"diện tích {area} m², sử dụng riêng, đất ở tại đô thị",
        "noi_dung_chu_dat": [
            {"ten": o.name, "nam_sinh": str(o.dob.year), "so_cmt": o.id12, "dia_chi": plot} for o in people
        ],
    }
    if form == "giay_cnqshdd_mau_1":
        info["thong_tin_nha_o"] = f"Nhà ở riêng lẻ, diện tích xây dựng {area * 7 // 10} m², {rng.randint(1, 4)} tầng"
        info["thong_tin_ghi_chu"] = "Chủ sở hữu: " + "; ".join(o.name for o in people)
    if form == "giay_cnqshdd_mau_2":
        info["dia_chi_thua_dat"] = plot
    return info


BUILDERS = {form: (lambda p, d, form=form: _certificate(p, d, form)) for form in LAND_TYPES}
