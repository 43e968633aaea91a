"""Scrubbing alone: any answer stays valid and keeps no personal value; what is not personal
(codes, confidences, boxes, order, shapes) is kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cvs_testkit import scrub
from cvs_testkit import strategies as cvs
from cvs_testkit.contract import contract, problems_for_schema
from mockserver.generation.people import unaccent

PERSONAL = {
    "name", "full_name", "id", "person_number", "document_number", "number_of_idcard", "dob", "address",
    "hometown", "sur_name", "given_name", "father_name", "mother_name", "father_dob", "mother_dob",
    "representative_name", "household_address", "representative_address", "plate", "image", "face1", "face2",
    "insure_name", "id_card_no", "family_member", "cellphone_no", "email", "certificate_no", "policy_no",
    "head_name", "id_card", "book_number", "ten", "so_cmt", "dia_chi", "dia_chi_thua_dat", "cic_code",
    "father_address", "mother_address", "image_front", "image_back", "image_member", "imgs", "list_img",
    "image_negative", "image_table", "image_0", "image_1",
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


def shape(node: Any, caller: bool = False) -> Any:
    """Field order, types and nesting; a caller's own keys (metadata) count by number alone,
    since each becomes a keyed placeholder."""
    if isinstance(node, dict):
        return [("*" if caller else k, shape(v, caller or k == "metadata")) for k, v in node.items()]
    if isinstance(node, list):
        return [shape(v, caller) for v in node]
    return type(node).__name__


@settings(max_examples=150)
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
    # the validity flag is kept; a Bảo Việt card's "valid" is a period of dates, scrubbed like one (D53)
    flag = lambda k, v: k == "valid" and v in (True, False, "True", "False")  # noqa: E731
    kept = lambda k, v: k.endswith(KEPT) or k in ("errorCode", "invalidCode", "status_code") or flag(k, v)  # noqa: E731
    assert values(scrubbed, kept) == values(body, kept)


@pytest.mark.parametrize("name", ["NGUYỄN VĂN AN", "NGUYEN THI MAI", "Nguyễn Thị Lan", "TRẦN VĂN HÙNG", "LÊ ANH"])
def test_a_replacement_name_keeps_neither_the_family_nor_the_given_name(name: str) -> None:
    for n in range(40):  # the most common surname must not survive by chance
        answer = scrub.Scrubber(key=b"key %d of the test....." % n).answer({"data": {"info": {"name": name}}})
        scrubbed = answer["data"]["info"]["name"]
        old, new = unaccent(name).upper().split(), unaccent(scrubbed).upper().split()
        assert new[0] != old[0] and new[-1] != old[-1], (n, scrubbed)


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
    key = b"a key shared by two runs"
    assert scrub.Scrubber(key=key).answer({"data": {"info": {"name": "TRAN VAN A"}}}) == scrub.Scrubber(key=key).answer(
        {"data": {"info": {"name": "TRAN VAN A"}}}
    )  # deterministic for a key


def planted_into(body: Any, person: dict[str, str], privacy: Any) -> Any:
    """``body`` with the planted person in every field whose kind carries a person, and in
    one field the contract does not know."""
    by_kind = {"name": person["name"], "date": person["dob"], "id_number": person["id"], "place": person["address"],
               "email": person["email"], "phone": person["phone"], "text": person["note"]}  # fmt: skip

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            out = {k: walk(v, k) for k, v in node.items()}
            if "info" in out or "metadata" in out:
                out["extra_holder"] = {"who": person["name"].lower(), "ids": [person["id"]]}
            return out
        if isinstance(node, list):
            return [walk(v, key) for v in node]
        if isinstance(node, str) and key not in privacy.message_fields and not privacy.keeps(key, node):
            return by_kind.get(privacy.kind(key), node)
        return node

    planted = walk(body)
    planted["extra_holder"] = {"who": person["name"].lower(), "ids": [person["id"]], "seen": person["note"]}
    return planted


PEOPLE = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Lý Thị Tuyết Nhung", "NGUYỄN VĂN KHẢI", "tran thi bich ngoc", "Hoàng Minh Quân"]),
        "dob": st.dates(dt.date(1950, 1, 1), dt.date(2006, 12, 31)).map(lambda d: f"{d:%d/%m/%Y}"),
        "id": st.from_regex(r"0(01|79|48)[0-3][0-9]{8}", fullmatch=True),
        "email": st.from_regex(r"[a-z]{4,8}\.[a-z]{3,6}@(gmail|yahoo)\.com", fullmatch=True),
        "phone": st.from_regex(r"09[0-9]{2} [0-9]{3} [0-9]{3}", fullmatch=True),
    }
).map(lambda p: {**p, "address": f"Số 7 ngõ 12 Phố Huế, {p['name']}", "note": f"KH {p['name']} CCCD {p['id']}"})


@settings(max_examples=60)
@given(
    st.sampled_from(cvs.OPERATIONS).flatmap(
        lambda op: st.tuples(st.just(op), cvs.from_contract(op, outcome="success", reading="tolerant"))
    ),
    PEOPLE,
)
def test_a_planted_person_leaves_no_trace_in_any_tolerant_answer(drawn: tuple[str, dict], person: dict) -> None:
    from mockserver.contract.privacy import load_privacy

    operation, body = drawn
    schema = next(op.schema for op in contract().operations if op.operation_id == operation)
    dirty = planted_into(body, person, load_privacy())
    assert person["id"] in json.dumps(dirty)  # the person is there to be found
    scrubbed = scrub.Scrubber().answer(dirty, schema)
    assert problems_for_schema(scrubbed, schema, "tolerant") == []
    text = json.dumps(scrubbed, ensure_ascii=False) + json.dumps(scrubbed)
    for value in (person["name"], person["id"], person["dob"], person["email"], person["phone"], person["id"][-9:]):
        for form in {
            value,
            value.upper(),
            value.lower(),
            unaccent(value),
            unaccent(value).upper(),
            unaccent(value).lower(),
        }:
            assert form not in text, (operation, value)


def test_two_runs_without_a_key_disagree_and_two_with_one_key_agree() -> None:
    answer = {"data": {"info": {"name": "LÝ THỊ TUYẾT NHUNG", "id": "001186012345", "dob": "14/03/1986"}}}
    unkeyed = [scrub.Scrubber().answer(answer)["data"]["info"] for _ in range(2)]
    assert all(unkeyed[0][k] != unkeyed[1][k] for k in ("name", "id", "dob"))
    key = b"one key for the whole team suite"
    keyed = [scrub.Scrubber(key=key).answer(answer) for _ in range(2)]
    assert keyed[0] == keyed[1] and keyed[0]["data"]["info"] != answer["data"]["info"]
    other = scrub.Scrubber(key=b"another key for another suite!!").answer(answer)
    assert other["data"]["info"]["name"] != keyed[0]["data"]["info"]["name"]


def test_the_key_is_never_in_a_scrubber_repr_or_its_output() -> None:
    key = b"never-printed-key-0123456789abcd"
    scrubber = scrub.Scrubber(key=key)
    out = json.dumps(scrubber.answer({"data": {"info": {"name": "TRAN VAN AN"}}}))
    assert key.decode() not in repr(scrubber) + repr(scrubber.pseudonyms) + out


def test_scrub_keep_keeps_a_named_path_and_lists_it() -> None:
    answer = {"data": {"type": "x", "info": {"issued_at": "CỤC CẢNH SÁT QLHC VỀ TTXH", "name": "TRAN VAN AN"}}}
    scrubber = scrub.Scrubber(keep=("/data/info/issued_at",))
    out = scrubber.answer(answer, where="#0 response")["data"]["info"]
    assert out["issued_at"] == "CỤC CẢNH SÁT QLHC VỀ TTXH" and out["name"] != "TRAN VAN AN"
    assert scrubber.kept == ["#0 response /data/info/issued_at"]
    default = scrub.Scrubber().answer(answer)["data"]["info"]
    assert default["issued_at"] != "CỤC CẢNH SÁT QLHC VỀ TTXH"  # nothing is kept by default


def test_a_kept_field_that_carries_a_person_is_replaced_anyway() -> None:
    answer = {"errorCode": "1", "errorMessage": "No card for NGUYEN VAN KHAI 079095001234"}
    out = scrub.Scrubber().answer(answer, "ocr_card_response.json")
    assert out["errorCode"] == "1" and "079095001234" not in out["errorMessage"] and "KHAI" not in out["errorMessage"]
    assert scrub.Scrubber().answer({"errorCode": "0", "errorMessage": "Success"}) == {
        "errorCode": "0", "errorMessage": "Success"
    }  # fmt: skip


def test_no_pseudonym_spells_another_original_of_the_same_answer() -> None:
    key = b"a team's key for this test"
    alone = scrub.Scrubber(key=key).answer({"data": {"info": {"name": "NGUYỄN VĂN AN", "dob": "12/03/1974"}}})
    taken_name, taken_day = alone["data"]["info"]["name"], alone["data"]["info"]["dob"]
    # the same person beside someone whose real name and birthday are the ones drawn above
    body = {
        "data": [
            {"info": {"name": "NGUYỄN VĂN AN", "dob": "12/03/1974"}},
            {"info": {"name": taken_name, "dob": taken_day}},
        ]
    }
    scrubbed = scrub.Scrubber(key=key).answer(body)
    names = [item["info"]["name"] for item in scrubbed["data"]]
    days = [item["info"]["dob"] for item in scrubbed["data"]]
    assert taken_name not in names and "NGUYỄN VĂN AN" not in names
    assert taken_day not in days and "12/03/1974" not in days
    assert all(day.endswith("/1974") for day in days)  # the year is kept all the same


def test_no_mrz_name_part_or_place_spells_another_original_of_the_same_answer() -> None:
    key = b"another team's key for this test"
    person = {"sur_name": "NGUYEN", "given_name": "VAN AN"}
    place = {"hometown": "Xã Lùng Phình, Huyện Bắc Hà, Tỉnh Lào Cai", "hometown_town": "Tỉnh Lào Cai"}
    alone = scrub.Scrubber(key=key).answer({"data": {"info": {**person, **place}}})["data"]["info"]
    # beside someone whose real surname, given names and hometown are the ones drawn above
    other = {"sur_name": alone["sur_name"], "given_name": alone["given_name"], "hometown": alone["hometown"]}
    other["hometown_town"] = alone["hometown_town"]
    scrubbed = scrub.Scrubber(key=key).answer({"data": [{"info": {**person, **place}}, {"info": other}]})["data"]
    towns = {place["hometown_town"], other["hometown_town"]}  # a province is no one's own
    originals = {*person.values(), place["hometown"], *other.values()} - towns
    written = {item["info"][k] for item in scrubbed for k in ("sur_name", "given_name", "hometown")}
    assert written & originals == set()
