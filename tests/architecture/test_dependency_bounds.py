"""Dependencies take lower bounds only; the one cap the project keeps is named here with its
reason, so a new cap fails the suite until someone writes down why."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
# its 2025 releases carry the post-reform divisions; answers draw the pre-2025 codes from 0.6
CAPPED = {"vietnam-provinces"}


def _requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        found += extra
    return found


def test_only_the_named_dependency_has_an_upper_bound() -> None:
    requirements = _requirements()
    assert len(requirements) > 15
    capped = {
        re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0] for r in requirements if re.search(r"<|==|~=", r.split(";")[0])
    }
    assert capped == CAPPED
