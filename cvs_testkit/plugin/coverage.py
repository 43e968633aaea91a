"""Error-path coverage across a run: outcomes collected from each fake's journal after each
test, gathered from xdist workers, reported and held against ``--cvs-min-coverage``."""

from __future__ import annotations

from typing import Any

import pytest

COVERAGE_KEY = "cvs_coverage"


SEEN: pytest.StashKey[set[tuple[str, str, str]]] = pytest.StashKey()


def counting(config: pytest.Config) -> bool:
    return bool(config.getoption("--cvs-coverage") or config.getoption("--cvs-min-coverage") is not None)


def collect_outcomes(request: pytest.FixtureRequest, fake: Any) -> None:
    if not counting(request.config):
        return
    from cvs_testkit.coverage import met

    try:
        request.config.stash[SEEN].update(met(fake.journal))
    except Exception:  # the fake may be remote without an admin API
        pass


def gather_from_worker(output: dict[str, Any], config: pytest.Config) -> None:
    seen = output.get(COVERAGE_KEY)
    if seen:
        config.stash[SEEN].update(tuple(o) for o in seen)


def hand_to_controller(config: Any) -> None:
    config.workeroutput[COVERAGE_KEY] = sorted(config.stash[SEEN])


def hold_threshold(session: pytest.Session) -> None:
    threshold = session.config.getoption("--cvs-min-coverage")
    if threshold is None:
        return
    from cvs_testkit.coverage import report

    percent, _ = report(session.config.stash[SEEN])
    if percent < threshold and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def coverage_summary(terminalreporter: Any, config: pytest.Config) -> None:
    threshold = config.getoption("--cvs-min-coverage")
    if not config.getoption("--cvs-coverage") and threshold is None:
        return
    from cvs_testkit.coverage import report

    percent, lines = report(config.stash[SEEN])
    for line in lines:
        terminalreporter.write_line(line)
    if threshold is not None and percent < threshold:
        terminalreporter.write_line(
            f"FAIL: cvs error-path coverage {percent:.1f}% is below --cvs-min-coverage {threshold}%", red=True
        )
