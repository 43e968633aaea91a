"""The papers of an HR file (A.13.4), each with the HR file's own field list. One person is
the employee of the whole file: the ID card, CV, degree, birth certificate and health
certificate all describe them, and the parents named in the CV are those of the birth
certificate (``papers.parents``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mockserver.generation.cards import issued
from mockserver.generation.divisions import short_province
from mockserver.generation.papers import CHIP_AUTHORITY, parents
from mockserver.generation.people import Person, person_for

Dates = Any  # the callable DD-MM-YYYY writer of documents.py
HR_TYPES = (
    "id_card",
    "registration_book",
    "curriculum_vitae",
    "academic_degree",
    "birth_certificate",
    "health_certification",
)
ONE_PER_FILE = ("registration_book", "curriculum_vitae", "health_certification")  # "exactly one" (HR3)
SCHOOLS = ("Đại học Bách khoa Hà Nội", "Đại học Kinh tế Quốc dân", "Đại học Quốc gia TP. Hồ Chí Minh")
MAJORS = ("Kế toán", "Công nghệ thông tin", "Quản trị kinh doanh", "Tài chính - Ngân hàng")
CLASSES = ("Giỏi", "Khá", "Trung bình khá")
RELATIONS = ("Vợ", "Chồng", "Con", "Mẹ")


def _rng(p: Person, kind: str) -> random.Random:
    return random.Random(f"{p.seed}:hr:{kind}")


def id_card(p: Person, d: Dates) -> dict[str, Any]:
    return {
        "name": p.name,
        "dob": d(p.dob),
        "gender": p.gender,
        "address": f"{p.street}, {p.address.full}",
        "hometown": p.hometown.full,
        "id": p.id12,
        "issue_date": d(issued(p, "chip_id_card")),
        "issued_at": CHIP_AUTHORITY,
    }


def registration_book(p: Person, d: Dates) -> dict[str, Any]:
    """The household register of the employee's address; the employee is a member."""
    rng = _rng(p, "book")
    father, _, father_name = parents(p)
    members = [(p.name, p.dob, p.id12, "Con")]
    for k in range(rng.randint(0, 2)):
        other = person_for(f"{p.seed}:member:{k}")
        members.append((other.name, other.dob, other.id12, rng.choice(RELATIONS)))
    member = []
    for n, (name, dob, number, relation) in enumerate(members):
        top = 200 + 60 * n
        values = {"relationship_to_head": relation, "name": name, "dob": d(dob), "id_card": number}
        entry: dict[str, Any] = {}
        for c, (field, value) in enumerate(values.items()):
            entry[field] = value
            entry[f"{field}_box"] = [40 + 150 * c, top, 180 + 150 * c, top + 28]
            entry[f"{field}_confidence"] = round(rng.uniform(0.85, 1.0), 4)
        member.append(entry)
    return {
        "book_number": f"{rng.randrange(10**9):09d}",
        "address": f"{p.street}, {p.address.full}",
        "head_name": father_name,
        "member": member,
    }


def curriculum_vitae(p: Person, d: Dates) -> dict[str, Any]:
    _, mother, father_name = parents(p)
    rng = _rng(p, "cv")
    start = max(p.dob.year + 22, 2000)
    return {
        "name": p.name,
        "dob": d(p.dob),
        "work_experience": f"{start} - nay: nhân viên {rng.choice(MAJORS).lower()}",
        "father_name": father_name,
        "mother_name": mother.name,
        "academic_level": "Đại học",
    }


def academic_degree(p: Person, d: Dates) -> dict[str, Any]:
    rng = _rng(p, "degree")
    return {
        "name": p.name,
        "dob": d(p.dob),
        "school": rng.choice(SCHOOLS),
        "major": rng.choice(MAJORS),
        "graduation_year": str(p.dob.year + 22),
        "award_classification": rng.choice(CLASSES),
        "academic_level": "Đại học",
    }


def birth_certificate(p: Person, d: Dates) -> dict[str, Any]:
    father, mother, father_name = parents(p)
    rng = random.Random(f"{p.seed}:birth")
    registered = p.dob + dt.timedelta(days=rng.randint(3, 60))
    return {
        "name": p.name,
        "dob": d(p.dob),
        "regis_place": f"UBND {p.hometown.ward}, {p.hometown.district}",
        "number": f"{rng.randint(1, 400)}",
        "number_book": f"{rng.randint(1, 12):02d}/{registered.year}",
        "father_name": father_name,
        "father_dob": d(father.dob),
        "father_address": p.hometown.full,
        "mother_name": mother.name,
        "mother_dob": d(mother.dob),
        "mother_address": p.hometown.full,
        "place_of_birth": f"Bệnh viện Đa khoa {short_province(p.hometown.province)}",
    }


def health_certification(p: Person, d: Dates) -> dict[str, Any]:
    rng = _rng(p, "health")
    height = rng.randint(150, 185) if not p.female else rng.randint(145, 172)
    return {
        "name": p.name,
        "dob": d(p.dob),
        "height": f"{height} cm",
        "weight": f"{rng.randint(42, 85)} kg",
        "health_condition": rng.choice(("Loại I", "Loại II")),
    }


BUILDERS = {
    "hr_id_card": id_card,
    "hr_registration_book": registration_book,
    "hr_curriculum_vitae": curriculum_vitae,
    "hr_academic_degree": academic_degree,
    "hr_birth_certificate": birth_certificate,
    "hr_health_certification": health_certification,
}
