"""Scenario images: ground truth a test image carries for the fake.

A PNG carries the scenario JSON in an iTXt chunk keyed ``cvs-scenario``; a JPEG in its
comment, prefixed ``cvs-scenario:``. The format is ``contracts/schemas/scenario.json``.
"""

from __future__ import annotations

import json
from typing import Any

from PIL import Image

from mockserver import limits
from mockserver.contract.loading import load_contract

KEY = "cvs-scenario"
PDF_PAGE_KEY = "/CVSScenario"  # a PDF page's scenario, in the page dictionary
JPEG_PREFIX = b"cvs-scenario:"


def encode(scenario: dict[str, Any]) -> str:
    return json.dumps(scenario, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read(image: Image.Image) -> tuple[dict[str, Any] | None, str | None]:
    """(scenario, problem): the image's scenario if any; a problem text when it is malformed."""
    raw: Any = image.info.get(KEY)
    comment = image.info.get("comment")
    if raw is None and isinstance(comment, bytes) and comment.startswith(JPEG_PREFIX):
        raw = comment[len(JPEG_PREFIX) :].decode("utf-8", "replace")
    if raw is None:
        return None, None
    try:
        scenario = limits.loads(raw)
    except ValueError as exc:
        return None, f"scenario is not JSON: {exc}"
    problem = check(scenario)
    return (None, problem) if problem else (scenario, None)


def check(scenario: Any) -> str | None:
    """Why a scenario breaks ``scenario.json``, or None."""
    errors = load_contract().errors(scenario, "scenario.json")
    if not errors:
        return None
    where = "/".join(str(p) for p in errors[0].absolute_path)
    return f"scenario invalid at /{where}: {errors[0].message}"
