"""Generators of the business and civil papers the OCR endpoints read: birth certificates,
invoices, business registration certificates and repair price quotations.

Each is internally consistent: parents older than their child, invoice amounts that add up
(goods to sub_total, sub_total + vat_amount = total_amount), a company representative whose
identity card the fake could also issue.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mockserver.generation.cards import issued
from mockserver.generation.divisions import short_province
from mockserver.generation.people import Person, Pins, add_years, person_for, unaccent

Dates = Any  # the callable DD-MM-YYYY writer of documents.py
CHIP_AUTHORITY = "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
GOODS = (
    ("Bánh chưng", 85_000),
    ("Gạo ST25 túi 5kg", 180_000),
    ("Nước mắm Phú Quốc 500ml", 65_000),
    ("Cà phê rang xay 500g", 150_000),
    ("Giấy in A4 (ram)", 72_000),
    ("Mực in laser", 650_000),
    ("Dầu nhớt xe máy 1L", 110_000),
    ("Lốp xe 90/90-14", 420_000),
)
REPAIRS = (
    ("Thay má phanh trước", 850_000),
    ("Sơn lại cản sau", 1_200_000),
    ("Thay dầu động cơ", 450_000),
    ("Gò nắn cửa trái", 1_500_000),
    ("Thay đèn pha phải", 2_300_000),
)
WORDS = ("Phát Đạt", "Thành Công", "Minh Long", "An Khang", "Việt Tiến", "Hòa Bình", "Sao Mai")


def money(amount: int) -> str:
    """1250000 -> '1.250.000', as Vietnamese documents print amounts."""
    return f"{amount:,}".replace(",", ".")


def _rng(p: Person, kind: str) -> random.Random:
    return random.Random(f"{p.seed}:{kind}")


def _company(rng: random.Random, p: Person) -> str:
    return f"CÔNG TY TNHH {rng.choice(WORDS).upper()} {p.family.upper()}"


def parents(p: Person, rng: random.Random | None = None) -> tuple[Person, Person, str]:
    """Father, mother and the father's printed name: generated older than the person, the father
    with the person's family name; the same people on every paper of the person."""
    rng = rng or _rng(p, "birth")
    father = person_for(f"{p.seed}:father", Pins(female=False, dob=add_years(p.dob, -rng.randint(22, 40))))
    mother = person_for(f"{p.seed}:mother", Pins(female=True, dob=add_years(p.dob, -rng.randint(20, 38))))
    return father, mother, " ".join([p.family, *father.name.split()[1:]]).upper()


def birth_certificate(p: Person, d: Dates) -> dict[str, Any]:
    """The child is the person; the parents are generated older, the father with the same family name."""
    rng = _rng(p, "birth")
    father, mother, father_name = parents(p, rng)
    registered = p.dob + dt.timedelta(days=rng.randint(3, 60))
    return {
        "name": p.name,
        "dob": d(p.dob),
        "gender": p.gender,
        "number": f"{rng.randint(1, 400)}",
        "number_book": f"{rng.randint(1, 12):02d}/{registered.year}",
        "regis_date": d(registered),
        "father_name": father_name,
        "father_dob": d(father.dob),
        "mother_name": mother.name,
        "mother_dob": d(mother.dob),
    }


def _goods(rng: random.Random, catalogue: tuple[tuple[str, int], ...]) -> list[tuple[str, int, int]]:
    """(name, quantity, unit price) for 1 to 4 lines."""
    return [(name, rng.randint(1, 5), price) for name, price in rng.sample(catalogue, rng.randint(1, 4))]


def _invoice_basic(p: Person, d: Dates, rng: random.Random, lines: list[tuple[str, int, int]]) -> dict[str, Any]:
    sub_total = sum(q * price for _, q, price in lines)
    rate = rng.choice((8, 10))
    vat = round(sub_total * rate / 100)
    on = issued(p, "vehicle")
    return {
        "date": d(on),
        "form": "01GTKT0/001",
        "invoice_no": f"{rng.randint(1, 9_999_999):07d}",
        "serial_no": f"AA/{on.year % 100}E",
        "supplier": _company(rng, p),
        "tax_code": f"0{rng.randint(100_000_000, 399_999_999)}",
        "total_amount": money(sub_total + vat),
        "info_goods": [{"name": name, "coin": money(q * price)} for name, q, price in lines],
        "_sub_total": sub_total,
        "_vat": (rate, vat),
    }


def invoice(p: Person, d: Dates) -> dict[str, Any]:
    rng = _rng(p, "invoice")
    lines = _goods(rng, GOODS)
    info = _invoice_basic(p, d, rng, lines)
    sub_total, (rate, vat) = info.pop("_sub_total"), info.pop("_vat")
    info.update(
        payment_method="TM/CK",
        sub_total=money(sub_total),
        vat_amount=money(vat),
        vat_rate=f"{rate}%",
        purchaser_name=p.name,
        buyer_name=p.name,
        lookup_website="https://tracuu.hoadon.example.vn",
        lookup_code=f"{rng.randint(10**9, 10**10 - 1)}",
        supplier_address=f"Số {rng.randint(1, 300)}, {p.address.full}",
        account_bank=[
            _with_companions(
                rng, {"account_no": f"{rng.randint(10**11, 10**12 - 1)}", "bank": "Vietcombank - CN Hà Nội"}, top=520
            )
        ],
        table=_invoice_table(rng, lines, rate),
    )
    return info


def _invoice_table(rng: random.Random, lines: list[tuple[str, int, int]], rate: int) -> list[list[dict[str, Any]]]:
    rows = []
    for n, (name, quantity, price) in enumerate(lines, start=1):
        before = quantity * price
        values = {
            "number": str(n),
            "description": name,
            "unit": "Cái",
            "quantity": str(quantity),
            "unit_price": money(price),
            "amount_before_tax": money(before),
            "tax": f"{rate}%",
            "tax_amount": money(round(before * rate / 100)),
            "amount_total": money(before + round(before * rate / 100)),
        }
        top = 200 + 40 * n
        rows.append(
            [
                {
                    "value": v,
                    "label": label,
                    "score": round(rng.uniform(0.85, 1.0), 4),
                    "box": [40 + 70 * c, top, 100 + 70 * c, top + 30],
                }
                for c, (label, v) in enumerate(values.items())
            ]
        )
    return rows


def _with_companions(rng: random.Random, row: dict[str, str], top: int) -> dict[str, Any]:
    """A table row's or a bank line's fields, each with its confidence and its box on one line."""
    out: dict[str, Any] = {}
    for c, (field, value) in enumerate(row.items()):
        out.update(
            {
                field: value,
                f"{field}_confidence": round(rng.uniform(0.85, 1.0), 4),
                f"{field}_box": [40 + 110 * c, top, 140 + 110 * c, top + 30],
            }
        )
    return out


def invoice_vehicle(p: Person, d: Dates) -> dict[str, Any]:
    rng = _rng(p, "invoice_vehicle")
    lines = [
        (
            rng.choice(("Xe máy Honda Wave Alpha 110cc", "Xe máy Yamaha Sirius 110cc", "Ô tô Toyota Vios 1.5G")),
            1,
            rng.choice((18_500_000, 21_300_000, 458_000_000)),
        )
    ]
    info = _invoice_basic(p, d, rng, lines)
    info.pop("_sub_total"), info.pop("_vat")
    return info


def business_registration(p: Person, d: Dates) -> dict[str, Any]:
    """The representative is the person: the identity card fields are the chip card the fake
    issues for them (number, issue date, authority)."""
    rng = _rng(p, "business")
    name = _company(rng, p)
    capital = rng.choice((1_000_000_000, 2_500_000_000, 10_000_000_000))
    founded = issued(p, "vehicle")
    card_issued = issued(p, "chip_id_card")
    short = unaccent(name.removeprefix("CÔNG TY TNHH ")).replace(" ", "")
    return {
        "company_name": name,
        "english_name": f"{unaccent(name.removeprefix('CÔNG TY TNHH ')).title()} Company Limited",
        "short_name": short[:12].upper(),
        "business_code": f"0{p.hometown.province_code[-1]}{rng.randint(10**7, 10**8 - 1)}",
        "regis_date": d(founded),
        "date_of_change": d(founded + dt.timedelta(days=rng.randint(100, 1500))),
        "address": f"Số {rng.randint(1, 300)}, {p.address.full}",
        "company_phone": f"02{rng.randint(10, 99)}{rng.randint(10**6, 10**7 - 1)}",
        "fax": "",
        "email": f"lienhe@{short.lower()[:10]}.vn",
        "website": f"www.{short.lower()[:10]}.vn",
        "authorized_capital": f"{money(capital)} đồng",
        "par_value": "10.000 đồng",
        "total_shares": money(capital // 10_000),
        "representative_name": p.name,
        "representative_title": "Giám đốc",
        "gender": p.gender,
        "dob": d(p.dob),
        "ethnicity": p.ethnicity,
        "nationality": "Việt Nam",
        "document_type": "Căn cước công dân",
        "number_of_idcard": p.id12,
        "issue_date": d(card_issued),
        "issued_at": CHIP_AUTHORITY,
        "household_address": p.hometown.full,
        "representative_address": f"{p.street}, {p.address.full}",
    }


def price_quotation(p: Person, d: Dates) -> dict[str, Any]:
    rng = _rng(p, "quotation")
    quoted = issued(p, "vehicle")
    rows: list[dict[str, Any]] = []
    sub_total = 0
    for name, price in rng.sample(REPAIRS, rng.randint(1, 4)):
        quantity, percent = rng.randint(1, 2), rng.choice((0, 0, 5, 10))
        discount = quantity * price * percent // 100
        sub_total += quantity * price - discount
        row = {
            "description": name,
            "quantity": str(quantity),
            "unit_price": money(price),
            "percent_discount": f"{percent}%",
            "discount": money(discount),
        }
        rows.append(_with_companions(rng, row, top=220 + 40 * len(rows)))
    vat = sub_total // 10
    return {
        "name_of_garage": f"GARA Ô TÔ {rng.choice(WORDS).upper()} {short_province(p.address.province).upper()}",
        "quotation_date": d(quoted),
        "estimated_delivery_date": d(quoted + dt.timedelta(days=rng.randint(2, 14))),
        "sub_total": money(sub_total),
        "vat_amount": money(vat),
        "total_amount": money(sub_total + vat),
        "table": rows,
    }
