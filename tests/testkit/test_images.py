"""Scenario images: real image bytes whose ground truth reads back and reaches the fake."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cvs_testkit import images


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_scenario_round_trips_in_both_formats(fmt: str) -> None:
    data = images.id_card("passport", format=fmt, identity="lan", id="C1234567", invalid_code=4)
    assert Image.open(io.BytesIO(data)).format == fmt
    scenario = images.read_scenario(data)
    assert scenario == {
        "cvs_scenario": 1,
        "documents": [{"type": "passport", "fields": {"id": "C1234567"}, "invalid_code": 4}],
        "faces": [{"identity": "lan", "box": [60, 120, 200, 300]}],
    }


def test_several_documents_and_no_document() -> None:
    many = images.scenario_image(documents=[images.document("9_id_card_front"), images.document("driving_license")])
    assert [d["type"] for d in images.read_scenario(many)["documents"]] == ["9_id_card_front", "driving_license"]
    assert images.read_scenario(images.no_document()) == {"cvs_scenario": 1, "documents": [], "faces": []}
    assert images.read_scenario(images.blank_image()) is None


def test_unknown_document_type_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown document type 'the_xe'.*passport"):
        images.document("the_xe")


def test_portrait_pins_similarity_and_warnings() -> None:
    scenario = images.read_scenario(images.portrait("an", similarity=66.6, face_warning=9, crop_warning=5))
    assert (scenario["similarity"], scenario["face_warning"], scenario["crop_warning"]) == (66.6, 9, 5)


def test_base64_with_line_breaks_matches_the_vendor_demos() -> None:
    import base64

    data = images.portrait("an")
    assert images.to_base64(data, line_breaks=True) == base64.encodebytes(data).decode()
