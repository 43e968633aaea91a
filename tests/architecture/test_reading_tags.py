"""A reading tag in the code (``D44``) names a section of ``contracts/ASSUMPTIONS.md``, where
the reading and its evidence are written down."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAG = re.compile(r"\bD(\d{1,3})\b")


def test_every_tag_the_code_cites_is_a_section_of_the_assumptions() -> None:
    sections = set(
        re.findall(r"^#+ D(\d{1,3}) ", (ROOT / "contracts/ASSUMPTIONS.md").read_text(encoding="utf-8"), re.M)
    )
    cited: dict[str, set[str]] = {}
    for package in ("mockserver", "cvs_testkit"):
        for path in (ROOT / package).rglob("*.py"):
            for number in TAG.findall(path.read_text(encoding="utf-8")):
                cited.setdefault(number, set()).add(path.relative_to(ROOT).as_posix())
    assert len(cited) >= 30  # the code leans on the readings throughout
    missing = {f"D{n}": sorted(files) for n, files in cited.items() if n not in sections}
    assert missing == {}
