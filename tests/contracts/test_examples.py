"""Realistic examples validate; each kind of mutation fails, with a precise message."""

from __future__ import annotations

import pytest

from cvs_testkit.contract import ContractViolation, problems_for_schema
from tests.contracts.examples import EXAMPLES, example

NAMES = sorted(EXAMPLES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("level", ["strict", "tolerant"])
def test_example_conforms(name: str, level: str) -> None:
    schema, body = example(name)
    assert problems_for_schema(body, schema, level) == []  # type: ignore[arg-type]


def _first_item(body: dict) -> dict:
    data = body.get("data", body.get("result"))
    return data[0] if isinstance(data, list) else data


@pytest.mark.parametrize("name", NAMES)
def test_missing_required_field_fails(name: str) -> None:
    schema, body = example(name)
    code_field = "status_code" if "status_code" in body else "errorCode"
    del body[code_field]
    problems = {p.path: p.expected for p in problems_for_schema(body, schema)}
    assert problems[f"/{code_field}"] == "a required field"


@pytest.mark.parametrize("name", ["ekyc_cards", "ekyc_card_passport", "ocr_card_two"])
def test_missing_info_field_fails_with_its_path(name: str) -> None:
    schema, body = example(name)
    item = _first_item(body)
    missing = sorted(item["info"])[0]
    del item["info"][missing]
    problems = problems_for_schema(body, schema, "strict")
    assert [(p.path.rsplit("/info/", 1)[-1], p.expected) for p in problems] == [(missing, "a required field")]


@pytest.mark.parametrize("name", NAMES)
def test_wrong_type_fails(name: str) -> None:
    schema, body = example(name)
    field = "message" if "message" in body else "errorMessage"
    body[field] = 404
    problems = problems_for_schema(body, schema, "tolerant")
    assert any(p.path == f"/{field}" and "string" in p.expected and p.got == "404" for p in problems)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("level", ["strict", "tolerant"])
def test_unknown_code_fails(name: str, level: str) -> None:
    schema, body = example(name)
    field = "status_code" if "status_code" in body else "errorCode"
    body[field] = "42" if isinstance(body[field], str) else 42
    assert any(p.path == f"/{field}" for p in problems_for_schema(body, schema, level))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["ekyc_cards", "ekyc_card_passport", "ocr_card_two", "ekyc_card_licence"])
@pytest.mark.parametrize("level", ["strict", "tolerant"])
def test_unknown_document_type_fails(name: str, level: str) -> None:
    schema, body = example(name)
    _first_item(body)["type"] = "birth_certificate_front"
    problems = problems_for_schema(body, schema, level)  # type: ignore[arg-type]
    if level == "strict":
        assert any(p.path.endswith("/type") and "enum" in p.expected for p in problems)
    else:
        assert problems == []  # the tolerant reading lets a client meet new document types


@pytest.mark.parametrize("name", NAMES)
def test_undocumented_field_fails_strict_but_not_tolerant(name: str) -> None:
    schema, body = example(name)
    body["Exception"] = "Lỗi xử lý ảnh"
    strict = problems_for_schema(body, schema, "strict")
    assert [(p.path, p.undocumented_field) for p in strict] == [("/Exception", True)]
    assert problems_for_schema(body, schema, "tolerant") == []


def test_codes_of_the_other_type_pass_tolerant_only() -> None:
    schema, body = example("face_matching")
    body["errorCode"], body["data"]["invalidCode"], body["data"]["matching"] = 0, "0", 87.35
    assert problems_for_schema(body, schema, "tolerant") == []
    assert {p.path for p in problems_for_schema(body, schema, "strict")} == {
        "/errorCode",
        "/data/invalidCode",
        "/data/matching",
    }


def test_message_must_match_its_code_strictly() -> None:
    schema, body = example("ocr_error")
    body["errorMessage"] = "Out of requests"
    problems = problems_for_schema(body, schema)
    assert [(p.path, p.got) for p in problems] == [("/errorMessage", '"Out of requests"')]
    assert "Url is unavailable" in problems[0].expected


def test_validity_keys_must_agree() -> None:
    schema, body = example("ekyc_card_passport")
    body["data"]["valid"] = True
    assert [p.path for p in problems_for_schema(body, schema)] == ["/data/valid"]


def test_ocr_card_items_carry_no_validity_keys() -> None:
    schema, body = example("ocr_card_two")
    body["data"][0].update(valid=True, invalidCode=0, invalidMessage="Successful")
    assert {p.path for p in problems_for_schema(body, schema)} == {
        "/data/0/valid",
        "/data/0/invalidCode",
        "/data/0/invalidMessage",
    }


def test_assert_conforms_message_names_path_expected_and_got() -> None:
    from cvs_testkit.contract import assert_conforms

    _, body = example("ekyc_card_passport")
    body["data"]["info"]["dob"] = 19880101
    with pytest.raises(ContractViolation) as caught:
        assert_conforms(body, "https://cloud.computervision.com.vn/api/v2/ekyc/card?format_type=url", "GET")
    text = str(caught.value)
    assert "GET /api/v2/ekyc/card" in text
    assert 'at /data/info/dob: expected type "string", got 19880101' in text


@pytest.mark.parametrize(
    ("box", "expected"),
    [([10, 20, 30], "minItems"), ([10, 20, 30, 40, 50], "maxItems"), (["10", 20, 30, 40], "type"), ("10,20", "type")],
)
def test_a_box_that_is_not_four_numbers_fails_at_its_path(box: object, expected: str) -> None:
    schema, body = example("ekyc_cards_chip_rev_c")
    body["data"][1]["info"]["name_box"] = box
    problems = problems_for_schema(body, schema, "strict")
    assert problems and all(p.path.startswith("/data/1/info/name_box") for p in problems)
    assert any(p.expected.startswith(expected) for p in problems), problems


def test_a_confidence_outside_0_to_1_fails_strict_only() -> None:
    schema, body = example("ekyc_card_passport_rev_c")
    body["data"]["info"]["issue_date_confidence"] = 1.5
    assert [p.path for p in problems_for_schema(body, schema, "strict")] == ["/data/info/issue_date_confidence"]
    assert problems_for_schema(body, schema, "tolerant") == []
