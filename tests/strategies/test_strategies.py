"""Everything the strategies generate validates against the contract; requests behave."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from cvs_testkit import strategies as cvs
from cvs_testkit.contract import contract, problems_for_schema
from mockserver import create_app

SCHEMA = {op.operation_id: op.schema for op in contract().operations}
EXAMPLES = settings(max_examples=200)


@pytest.mark.parametrize("operation_id", cvs.OPERATIONS)
# The tolerant reading is the strict one's superset: the fast subset draws the strict answers.
@pytest.mark.parametrize("reading", ["strict", pytest.param("tolerant", marks=pytest.mark.slow)])
def test_generated_answers_conform(operation_id: str, reading: str) -> None:
    @EXAMPLES
    @given(cvs.from_contract(operation_id, reading=reading))  # type: ignore[arg-type]
    def check(body: dict) -> None:
        assert problems_for_schema(body, SCHEMA[operation_id], reading) == []  # type: ignore[arg-type]

    check()


@pytest.mark.parametrize(
    "flow, field",
    [("ocr", "errorCode"), ("face_matching", "errorCode"), ("face_search", "status_code"), ("smart_crop", "errorCode")],
)
def test_every_error_code_is_generated(flow: str, field: str) -> None:
    expected = {str(e["code"]) for e in contract().catalogue["flows"][flow]["errors"] if e["message"] != "Success"}
    seen: set[str] = set()

    @settings(max_examples=300)
    @given(cvs.error_responses(flow))
    def collect(body: dict) -> None:
        seen.add(str(body[field]))

    collect()
    assert seen == expected


def test_every_document_type_and_warning_is_generated() -> None:
    types, warnings = set(), set()

    @settings(max_examples=400)
    @given(cvs.document_items())
    def collect(item: dict) -> None:
        types.add(item["type"])
        if "invalidCode" in item:
            warnings.add(item["invalidCode"])

    collect()
    assert types == set(contract().schemas["ocr_document.json"]["$defs"]["document_type"]["enum"])
    assert warnings == set(range(7))


@settings(max_examples=100)
@given(cvs.id_numbers("12"), cvs.vietnamese_names())
def test_values_are_vietnamese_realistic(number: str, name: str) -> None:
    assert re.fullmatch(r"0\d{2}[0-3]\d{8}", number)
    assert name == name.upper() and len(name.split()) >= 2


def _draw(strategy: st.SearchStrategy) -> None:
    @given(strategy)
    def use(value: object) -> None:
        pass

    use()


def test_bad_arguments_raise_invalid_argument_when_drawn() -> None:
    strategy = cvs.from_contract("no_such_operation")  # no error yet
    with pytest.raises(InvalidArgument, match="unknown operation"):
        _draw(strategy)
    with pytest.raises(InvalidArgument):
        _draw(cvs.document_infos("the_xe"))
    with pytest.raises(InvalidArgument):
        _draw(cvs.error_responses("iris_scan"))
    with pytest.raises(InvalidArgument):
        _draw(cvs.id_numbers("10"))  # type: ignore[arg-type]


def test_all_is_exported_and_complete() -> None:
    public = {
        n
        for n in dir(cvs)
        if not n.startswith("_")
        and callable(getattr(cvs, n))
        and getattr(getattr(cvs, n), "__module__", "") == cvs.__name__
    }
    assert public - {"b64"} <= set(cvs.__all__)
    assert all(hasattr(cvs, n) for n in cvs.__all__)


APP = create_app({"TESTING": True})


def _send(request: dict) -> dict:
    import io

    client = APP.test_client()
    auth = {"Authorization": "Basic ZGVtbzpwQDU1dzByZA=="}
    if request["files"]:
        data = {n: (io.BytesIO(b), f"{n}.png") for n, b in request["files"].items()}
        response = client.open(
            request["path"], method=request["method"], query_string=request["params"], data=data, headers=auth
        )
    else:
        response = client.open(
            request["path"],
            method=request["method"],
            query_string=request["params"],
            json=request["json"],
            headers=auth,
        )
    assert response.status_code == 200
    return dict(response.get_json())


@pytest.mark.parametrize("operation_id", cvs.OPERATIONS)
def test_valid_requests_succeed_and_broken_ones_fail(operation_id: str) -> None:
    from mockserver.contract.catalogue import Catalogue

    flow = next(op.flow for op in contract().operations if op.operation_id == operation_id)
    catalogue = Catalogue(contract())
    # a generated image may come out one colour (no content); an update may name an unknown id
    meanings = ("success", "no_content") + (("incorrect_id",) if flow == "face_search" else ())
    allowed = {str(catalogue.entry(flow, m)["code"]) for m in meanings}

    @settings(max_examples=25)
    @given(cvs.requests_for(operation_id), cvs.requests_for(operation_id, valid=False))
    def check(good: dict, bad: dict) -> None:
        body = _send(good)
        code = body.get("errorCode", body.get("status_code"))
        assert str(code) in allowed, body
        broken = _send(bad)
        assert str(broken.get("errorCode", broken.get("status_code"))) != "0", (bad, broken)

    check()


@settings(max_examples=40)
@given(st.integers(0, 8).flatmap(lambda code: st.tuples(st.just(code), cvs.liveness_requests(code))))
def test_liveness_requests_get_the_verdict_their_portraits_show(drawn: tuple[int, dict]) -> None:
    code, request = drawn
    body = _send(request)
    assert body["errorCode"] == "0"
    assert (body["data"]["invalidCode"], body["data"]["valid"]) == (str(code), "True" if code == 0 else "False")


def test_a_liveness_request_strategy_refuses_a_code_outside_the_table() -> None:
    with pytest.raises(InvalidArgument, match="0 to 8"):
        _draw(cvs.liveness_requests(9))
