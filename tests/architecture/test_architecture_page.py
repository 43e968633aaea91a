"""ARCHITECTURE.md names every layer and package that pyproject's import-linter contracts
declare, so the page cannot drift from the rule the suite enforces."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> set[str]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    names: set[str] = set(contracts["root_packages"])
    for contract in contracts["contracts"]:
        for layer in contract.get("layers", []):
            names.update(part.strip() for part in layer.split("|"))
        for module in contract.get("modules", []) + contract.get("source_modules", []):
            names.add(module.rsplit(".", 1)[-1])
    return names


def test_every_declared_layer_and_package_is_on_the_page() -> None:
    page = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", page))
    declared = _declared()
    assert len(declared) > 20
    assert sorted(declared - named) == []


def test_every_subpackage_of_the_fake_is_on_the_page() -> None:
    page = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    packages = {p.parent.name for p in (ROOT / "mockserver").glob("*/__init__.py")}
    assert {"pipeline", "recording", "state"} <= packages
    assert sorted(p for p in packages if f"`{p}`" not in page) == []


def test_the_readme_points_to_the_page_instead_of_keeping_a_map() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "ARCHITECTURE.md" in readme
    assert "| layer |" not in readme
