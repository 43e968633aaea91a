"""Dialects in a test run: the ``cvs_dialect`` marker and fixture, ``--cvs-dialects`` runs
(one per dialect), and the summary of which dialects failed."""

from __future__ import annotations

from typing import Any

import pytest

CVS_FIXTURES = ("cvs_app", "cvs_server", "cvs_mock", "cvs_httpx")


def run_per_dialect(metafunc: pytest.Metafunc) -> None:
    """Under ``--cvs-dialects``, each test that uses a cvs fixture runs once per dialect."""
    chosen = metafunc.config.getoption("--cvs-dialects")
    if not chosen or not set(CVS_FIXTURES) & set(metafunc.fixturenames):
        return
    if metafunc.definition.get_closest_marker("cvs_dialect"):
        return  # the test asks for one reading; it is not run under the others
    names = dialect_names(str(chosen))
    metafunc.parametrize("cvs_dialect", names, ids=[f"dialect={n}" for n in names])


def dialect_names(chosen: str) -> list[str]:
    if chosen.strip() == "all":
        from mockserver.contract.loading import load_contract

        return sorted(load_contract().dialects["dialects"])
    return [name.strip() for name in chosen.split(",") if name.strip()]


@pytest.fixture
def cvs_dialect(request: pytest.FixtureRequest) -> Any:
    """The dialect the cvs fixtures speak in this test: the ``cvs_dialect`` marker's, else the
    ``--cvs-dialects`` run's, else None (the contract's default reading)."""
    marker = request.node.get_closest_marker("cvs_dialect")
    if marker is None:
        return None
    request.node.user_properties.append(("cvs_dialect", str(marker.args[0] if marker.args else "custom")))
    name = marker.args[0] if marker.args else marker.kwargs.get("name")
    options = marker.args[1] if len(marker.args) > 1 else marker.kwargs.get("options")
    if isinstance(name, dict) and options is None:
        name, options = None, name
    return {"name": name, "options": dict(options or {})}


def dialect_parts(dialect: Any) -> tuple[Any, dict[str, str]]:
    """(name or file, options) of a cvs_dialect value."""
    if dialect is None:
        return None, {}
    if isinstance(dialect, dict):
        return dialect.get("name"), {str(k): str(v) for k, v in dialect.get("options", {}).items()}
    return dialect, {}


def apply_dialect(fake: Any, dialect: Any) -> None:
    name, options = dialect_parts(dialect)
    if name is None and not options:
        return
    if name is not None and name not in named_dialects():
        from mockserver.contract.dialects import resolve_dialect
        from mockserver.contract.loading import load_contract

        options = {**resolve_dialect(load_contract().dialects, name).changed(load_contract().dialects), **options}
        name = None
    fake.use_dialect(name, **options)


def named_dialects() -> set[str]:
    from mockserver.contract.loading import load_contract

    return set(load_contract().dialects["dialects"])


def dialect_summary(terminalreporter: Any) -> None:
    failed: dict[str, list[str]] = {}
    for report in terminalreporter.stats.get("failed", []):
        dialect = dict(getattr(report, "user_properties", [])).get("cvs_dialect")
        if dialect is not None:
            failed.setdefault(str(dialect), []).append(report.nodeid.split("[")[0])
    terminalreporter.section("cvs dialects")
    if not failed:
        terminalreporter.write_line("every test passed under every dialect it ran in")
    for dialect, tests in sorted(failed.items()):
        terminalreporter.write_line(f"failed under {dialect}: {len(tests)} test(s): {', '.join(sorted(set(tests)))}")


def note_dialect(item: pytest.Item) -> None:
    """A test run under a dialect carries its name, for the summary."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "cvs_dialect" in callspec.params:
        item.user_properties.append(("cvs_dialect", str(callspec.params["cvs_dialect"])))
