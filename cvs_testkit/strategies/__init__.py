"""Hypothesis strategies for the CVS API v2: every answer of every flow, requests, images.

>>> from hypothesis import given
>>> from cvs_testkit import strategies as cvs
>>> @given(cvs.from_contract("ekyc_card_upload"))
... def test_my_parser(body): ...

Everything generated is checked by this package's tests against the contract (the strict
reading unless ``reading="tolerant"`` asks for the looser shapes a real server may send).
Values are Vietnamese-realistic: names with diacritics from Faker's ``vi_VN`` tables, real
province/district/ward codes, 9- and 12-digit ids that agree with the birth date and sex.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as missing:  # pragma: no cover - exercised in a venv without the extra
    raise ImportError("cvs_testkit.strategies needs Hypothesis: pip install 'cvs-testkit[strategies]'") from missing

from cvs_testkit.strategies.answers import (
    OPERATIONS,
    dialects,
    document_infos,
    document_items,
    error_responses,
    face_search_images,
    from_contract,
)
from cvs_testkit.strategies.requests_catalogue import liveness_requests, requests_for
from cvs_testkit.strategies.values import id_numbers, images, metadata, people, scenario_images, vietnamese_names

__all__ = [
    "OPERATIONS",
    "dialects",
    "document_infos",
    "document_items",
    "error_responses",
    "face_search_images",
    "from_contract",
    "id_numbers",
    "images",
    "liveness_requests",
    "metadata",
    "people",
    "requests_for",
    "scenario_images",
    "vietnamese_names",
]
