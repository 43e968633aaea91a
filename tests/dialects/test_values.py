"""Values that let thresholds be tested, pinned fields of the contract's types, strategies that
draw from every dialect, and the tolerant schemas shipped as files."""

from __future__ import annotations

import io
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from cvs_testkit import images
from cvs_testkit import strategies as cvs
from cvs_testkit.contract import contract, problems_for_schema
from mockserver import create_app
from mockserver.contract.tolerant import FOLDER, tolerant_files
from mockserver.generation.documents import confidence
from mockserver.generation.faces import similarity
from mockserver.media.pictures import Picture
from tests.conftest import Api

SEEDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)


@settings(max_examples=60)
@given(st.lists(st.integers(0, 2**32), min_size=400, max_size=400, unique=True))
def test_confidences_cover_the_whole_range_and_lean_high(seeds: list[int]) -> None:
    values = [confidence(random.Random(seed)) for seed in seeds]
    assert all(0 <= v <= 1 for v in values)
    assert min(values) < 0.15 and max(values) > 0.97
    below = sum(v < 0.85 for v in values) / len(values)
    assert 0.1 < below < 0.32  # a client's 0.85 threshold meets both sides


@settings(max_examples=40)
@given(st.lists(st.tuples(SEEDS, SEEDS), min_size=300, max_size=300, unique=True))
def test_similarities_cover_0_to_100_and_keep_one_identity_a_match(pairs: list[tuple[str, str]]) -> None:
    def pic(identity: str) -> Picture:
        return Picture(b"", "s", {"faces": [{"identity": identity}]})

    same = [similarity(pic(a), pic(a)) for a, _ in pairs]
    different = [similarity(pic(a), pic(b)) for a, b in pairs if a != b]
    assert all(75 < s <= 100 for s in same) and all(0 <= s <= 75 for s in different)
    assert min(different) < 8 and max(same) > 97
    assert any(65 <= s <= 75 for s in different)  # the doubtful band is met


def test_a_pinned_field_of_the_wrong_type_is_refused_where_it_is_made() -> None:
    with pytest.raises(ValueError, match="chip_id_card_front field 'id_confidence' cannot be '0.5'"):
        images.id_card("chip_id_card_front", id_confidence="0.5")
    with pytest.raises(ValueError, match="field 'name_box' cannot be"):
        images.id_card("12_id_card_front", name_box=[1, 2, 3])


def test_pinned_numbers_and_boxes_come_back_as_pinned(api: Api) -> None:
    card = images.id_card("chip_id_card_front", id_confidence=0.5, name_box=[10, 20, 300, 40])
    info = api.post("/api/v2/ekyc/card?format_type=base64", json={"img": images.to_base64(card)}).get_json()
    assert (info["data"]["info"]["id_confidence"], info["data"]["info"]["name_box"]) == (0.5, [10, 20, 300, 40])


def _hand_made(fields: dict) -> bytes:
    """A scenario PNG written by hand, without cvs_testkit's checks."""
    scenario = {"cvs_scenario": 1, "documents": [{"type": "chip_id_card_front", "fields": fields}]}
    meta = PngImagePlugin.PngInfo()
    meta.add_itxt("cvs-scenario", json.dumps(scenario))
    out = io.BytesIO()
    Image.new("RGB", (64, 40), "teal").save(out, "PNG", pnginfo=meta)
    return out.getvalue()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-2, 2, allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=6,
)
FIELDS = st.sampled_from(["id", "name", "dob", "id_confidence", "name_box", "gender", "no_such_field"])


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(FIELDS, JSON_VALUES, min_size=1, max_size=4))
def test_a_hand_made_scenario_of_any_types_never_makes_the_fake_break_its_contract(fields: dict) -> None:
    api = Api(create_app({"TESTING": True}).test_client())  # TESTING: a self-check violation raises
    answer = api.post("/api/v2/ekyc/card?format_type=base64", json={"img": images.to_base64(_hand_made(fields))})
    body = answer.get_json()
    assert problems_for_schema(body, "ocr_ekyc_card_response.json", "strict") == []
    info = body["data"]["info"]
    for field, value in fields.items():
        if info.get(field) != value:
            assert field in answer.headers["X-CVS-Mock-Note"]


@settings(max_examples=60)
@given(
    st.sampled_from(cvs.OPERATIONS).flatmap(
        lambda op: st.tuples(st.just(op), cvs.from_contract(op, reading="tolerant"))
    )
)
def test_tolerant_strategies_draw_from_every_dialect_and_validate_tolerant(drawn: tuple[str, dict]) -> None:
    operation, body = drawn
    schema = next(op.schema for op in contract().operations if op.operation_id == operation)
    assert problems_for_schema(body, schema, "tolerant") == []


@pytest.mark.parametrize("name", sorted(contract().dialects["dialects"]))
@settings(max_examples=25)
@given(data=st.data())
def test_strategies_answer_in_a_dialect_that_validates_its_strict_schemas(name: str, data: st.DataObject) -> None:
    operation = data.draw(st.sampled_from(cvs.OPERATIONS))
    body = data.draw(cvs.from_contract(operation, dialect=name))
    schema = next(op.schema for op in contract().operations if op.operation_id == operation)
    assert problems_for_schema(body, schema, "strict", dialect=name) == []


def test_the_tolerant_schemas_shipped_as_files_are_in_step_with_the_strict_ones() -> None:
    folder = contract().root / FOLDER
    expected = tolerant_files(contract())
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(expected)
    for name, text in expected.items():
        hint = f"run python -m mockserver.contract.tolerant ({name})"
        assert (folder / name).read_text(encoding="utf-8") == text, hint
