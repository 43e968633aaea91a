"""Scrubbing alone: any answer stays valid and keeps no personal value; what is not personal
(codes, confidences, boxes, order, shapes) is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvs_testkit import scrub
from cvs_testkit import strategies as cvs
from cvs_testkit.contract import contract, problems_for_schema
from mockserver.generation.people import unaccent

PERSONAL = {
    "name", "full_name", "id", "person_number", "document_number", "number_of_idcard", "dob", "address",
    "hometown", "sur_name", "given_name", "father_name", "mother_name", "father_dob", "mother_dob",
    "representative_name", "household_address", "representative_address", "plate", "image", "face1", "face2",
}  # fmt: skip
KEPT = ("_confidence", "_box")


def values(node: Any, keep: Any, skip: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in skip:
                continue
            if keep(key, value):
                out.append((key, value))
            out += values(value, keep, skip)
    elif isinstance(node, list):
        for value in node:
            out += values(value, keep, skip)
    return out


def shape(node: Any) -> Any:
    if isinstance(node, dict):
        return [(k, shape(v)) for k, v in node.items()]
    if isinstance(node, list):
        return [shape(v) for v in node]
    return type(node).__name__


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(cvs.OPERATIONS).flatmap(lambda op: st.tuples(st.just(op), cvs.from_contract(op, outcome="success")))
)
def test_scrubbing_any_answer_keeps_it_valid_and_shares_no_personal_value(drawn: tuple[str, dict]) -> None:
    operation, body = drawn
    schema = next(op.schema for op in contract().operations if op.operation_id == operation)
    scrubbed = scrub.scrub(body)
    assert problems_for_schema(scrubbed, schema, "strict") == []
    assert shape(scrubbed) == shape(body)  # field order, types and shapes kept
    goods = ("info_goods", "table")  # products and their prices are not personal
    personal = {v for k, v in values(body, lambda k, v: k in PERSONAL and isinstance(v, str) and len(v) >= 6, goods)}
    left = {v for _, v in values(scrubbed, lambda k, v: isinstance(v, str))} & personal
    assert left == set()
    kept = lambda k, v: k.endswith(KEPT) or k in ("errorCode", "invalidCode", "status_code", "valid")  # noqa: E731
    assert values(scrubbed, kept) == values(body, kept)


@pytest.mark.parametrize("name", ["NGUYỄN VĂN AN", "NGUYEN THI MAI", "Nguyễn Thị Lan", "TRẦN VĂN HÙNG", "LÊ ANH"])
def test_a_replacement_name_keeps_neither_the_family_nor_the_given_name(name: str) -> None:
    for salt in map(str, range(40)):  # the most common surname must not survive by chance
        scrubbed = scrub.Scrubber(salt=salt).answer({"data": {"info": {"name": name}}})["data"]["info"]["name"]
        old, new = unaccent(name).upper().split(), unaccent(scrubbed).upper().split()
        assert new[0] != old[0] and new[-1] != old[-1], (salt, scrubbed)


def test_a_scrubbed_date_is_another_day_of_the_same_year() -> None:
    days = [dt.date(1990, 1, 1) + dt.timedelta(days=n) for n in range(3 * 365)]
    for day in days:
        text = f"{day:%d-%m-%Y}"
        scrubbed = scrub.Scrubber().answer({"data": {"info": {"dob": text}}})["data"]["info"]["dob"]
        assert scrubbed != text and scrubbed[2] == "-" and scrubbed[-4:] == text[-4:]


def test_one_scrubber_maps_one_person_to_one_person() -> None:
    scrubber = scrub.Scrubber()
    first = scrubber.answer(
        {"data": {"type": "passport", "info": {"full_name": "TRAN VAN A", "person_number": "079095001234"}}}
    )
    again = scrubber.answer({"data": [{"type": "x", "info": {"name": "Trần Văn A", "id": "079095001234"}}]})
    assert again["data"][0]["info"]["name"].upper() != "TRẦN VĂN A"
    assert first["data"]["info"]["person_number"] == again["data"][0]["info"]["id"]
    assert scrub.Scrubber().answer({"data": {"info": {"name": "TRAN VAN A"}}}) == scrub.Scrubber().answer(
        {"data": {"info": {"name": "TRAN VAN A"}}}
    )  # deterministic for a salt
