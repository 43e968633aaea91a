"""docs/reference.md names every option the command-line parsers declare and every admin
route the app serves, with each of its methods on the route's line."""

from __future__ import annotations

from pathlib import Path

from tests.docs.reference_items import admin_routes, command_options

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "reference.md").read_text(encoding="utf-8")


def test_every_option_of_every_subcommand_is_named() -> None:
    options = command_options()
    assert {"cvs-mock serve", "cvs-mock proxy", "cvs-testkit conformance", "cvs-testkit scrub-check"} <= set(options)
    missing = {command: [o for o in names if o not in PAGE] for command, names in options.items()}
    assert {command: names for command, names in missing.items() if names} == {}


def test_every_admin_route_is_a_row_with_its_methods() -> None:
    rows = [line for line in PAGE.splitlines() if line.startswith("| `")]
    missing = []
    for route in admin_routes():
        method, path = route.split(" ", 1)
        cell = f"{path}`"  # the path closes its code span: /__mock__/files is not /__mock__/files/<file_id>
        if not any(cell in row.split("|")[1] and f"`{method}" in row.split("|")[1] for row in rows):
            missing.append(route)
    assert len(admin_routes()) >= 15
    assert missing == []
