"""Bank statements and CIC credit reports (A.13.5, A.13.6), as tables of ``{value, box, score}``
cells that add up: each statement row's balance is the previous balance minus its debit plus
its credit; a report's total debt is the sum of its debts by type, per credit institution.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mockserver.generation.papers import money
from mockserver.generation.people import Person

Dates = Any  # the callable DD-MM-YYYY writer of documents.py
ROW_HEIGHT = 24
COLUMN_LEFTS = (8, 100, 430, 540, 650, 760)  # date, description, debit, credit, balance, edge
DESCRIPTIONS = (
    "CHUYEN KHOAN DEN",
    "THANH TOAN QR",
    "RUT TIEN ATM",
    "PHI DICH VU SMS",
    "TRA LAI TIEN GUI",
    "THANH TOAN HOA DON DIEN",
    "NHAN LUONG",
)
BANKS = (
    ("01201001", "NGÂN HÀNG TMCP NGOẠI THƯƠNG"),
    ("01202002", "NGÂN HÀNG TMCP CÔNG THƯƠNG"),
    ("01203003", "NGÂN HÀNG TMCP Á CHÂU"),
)
DEBT_TYPES = ("Nợ ngắn hạn", "Nợ trung hạn", "Nợ dài hạn")
PRODUCTS = ("Vay tiêu dùng", "Thẻ tín dụng", "Vay mua nhà")
RANKS = ("A", "AA", "AAA", "B", "BB")


def cell(rng: random.Random, value: str, box: list[int]) -> dict[str, Any]:
    return {"value": value, "box": box, "score": round(rng.uniform(0.85, 1.0), 4)}


def _amount(text: str) -> int:
    return int(text.replace(".", "").replace(",", "") or 0)


def statement_rows(seed: str, pinned: list[list[Any]] | None = None) -> list[list[dict[str, Any]]]:
    """One table of a statement page. ``pinned`` rows give [date, description, debit, credit];
    the balance column is computed from an opening balance drawn from the seed."""
    rng = random.Random(f"{seed}:statement")
    balance = rng.randrange(5, 200) * 1_000_000
    if pinned:
        lines = [[str(v) for v in (list(row) + ["", "", "", ""])[:4]] for row in pinned]
    else:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        lines = []
        for _ in range(rng.randint(3, 8)):
            day += dt.timedelta(days=rng.randrange(0, 4))
            amount = rng.randrange(1, 50) * 100_000
            incoming = rng.random() < 0.4
            lines.append(
                [
                    day.strftime("%d/%m/%Y"),
                    rng.choice(DESCRIPTIONS),
                    "" if incoming else money(amount),
                    money(amount) if incoming else "",
                ]
            )
    rows = []
    for n, (date, text, debit, credit) in enumerate(lines):
        balance += _amount(credit) - _amount(debit)
        top = n * ROW_HEIGHT
        values = (date, text, debit, credit, money(balance))
        rows.append(
            [
                cell(rng, v, [COLUMN_LEFTS[c], top, COLUMN_LEFTS[c + 1] - 4, top + ROW_HEIGHT - 4])
                for c, v in enumerate(values)
            ]
        )
    return rows


def _row(rng: random.Random, n: int, values: list[Any]) -> list[dict[str, Any]]:
    top = 120 + 28 * n
    width = 700 // max(1, len(values))
    return [
        value
        if isinstance(value, dict)
        else cell(rng, str(value), [20 + c * width, top, 16 + (c + 1) * width, top + 24])
        for c, value in enumerate(values)
    ]


def _debts(rng: random.Random, n: int) -> tuple[dict[str, Any], int]:
    kinds = rng.sample(DEBT_TYPES, rng.randint(1, 2))
    amounts = [rng.randrange(1, 80) * 10_000_000 for _ in kinds]
    top = 120 + 28 * n
    return {
        "value": [{"debt_name": k, "debt": money(a)} for k, a in zip(kinds, amounts, strict=True)],
        "box": [[300, top + 12 * k, 560, top + 12 * k + 10] for k in range(len(kinds))],
        "score": [round(rng.uniform(0.85, 1.0), 4) for _ in kinds],
    }, sum(amounts)


def credit_report(p: Person, d: Dates) -> dict[str, Any]:
    """The report of one borrower: the scalar fields, and eight tables whose totals agree."""
    rng = random.Random(f"{p.seed}:credit_report")
    lenders = rng.sample(BANKS, rng.randint(1, 3))
    loans, total = [], 0
    for n, (code, name) in enumerate(lenders):
        debts, amount = _debts(rng, n)
        total += amount
        loans.append(_row(rng, n, [n + 1, code, name, debts, money(amount)]))
    cards = rng.randint(0, 3)
    card_limit = cards * rng.randrange(1, 10) * 10_000_000
    card_debt = rng.randrange(0, max(1, card_limit // 1_000_000 + 1)) * 1_000_000 if cards else 0
    reported = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
    late = rng.random() < 0.3
    return {
        "report_time": f"{reported:%d/%m/%Y} 09:{rng.randrange(60):02d}",
        "cic_code": f"{rng.randrange(10**10):010d}",
        "id_card": p.id12,
        "address": f"{p.street}, {p.address.full}",
        "credit_score": str(rng.randint(400, 750)),
        "credit_rank": rng.choice(RANKS),
        "credit_ranking_date": d(reported),
        "debt_sold_to_vamc": "0",
        "loan_details": loans,
        "credit_card_info": [_row(rng, 0, [money(card_limit), money(card_debt), "0", cards])],
        "outstanding_loans": [_row(rng, 0, [money(total), money(card_debt), money(total + card_debt)])],
        "bad_debt": _bad_debt(rng, lenders, reported, d),
        "late_payments": [_row(rng, 0, ["Y", rng.randint(1, 30), rng.randint(1, 3)] if late else ["N", 0, 0])],
        "loan_guarantee": [_row(rng, 0, [len(lenders), len(lenders)])],
        "credit_contract": [_row(rng, 0, [d(reported - dt.timedelta(days=700)), d(reported + dt.timedelta(days=999))])],
        "customers_look_up": [
            _row(rng, n, [code, rng.choice(PRODUCTS), d(reported - dt.timedelta(days=rng.randrange(1, 360)))])
            for n, (code, _) in enumerate(lenders)
        ],
    }


def _bad_debt(rng: random.Random, lenders: list[tuple[str, str]], reported: dt.date, d: Dates) -> list[Any]:
    """Bad debt of the last five years at one borrower in four; none for the others."""
    if rng.random() >= 0.25:
        return []
    code, name = lenders[0]
    when = reported - dt.timedelta(days=rng.randrange(30, 1800))
    return [
        _row(rng, 0, [d(when), str(rng.randint(3, 5)), money(rng.randrange(1, 50) * 1_000_000), 1, f"{name} ({code})"])
    ]
