"""What the pytest plugin, and everything this package installs, costs a suite at start-up.

Every figure is the median of several runs of ``pytest`` on a one-test file, the variants
interleaved so that a machine's drift hits them alike.
"""

from __future__ import annotations

import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

Row = tuple[str, str, str, str, str, str]
ONE_TEST = "def test_one():\n    assert 1 + 1 == 2\n"
# The pytest plugins that installing cvs-testkit brings: its own and those of its run-time
# dependencies (entry-point name, module, the dependency it comes with).
INSTALLED_PLUGINS = (
    ("cvs_testkit", "cvs_testkit.plugin", "cvs-testkit"),
    ("faker", "faker.contrib.pytest.plugin", "faker"),
    ("hypothesispytest", "_hypothesis_pytestplugin", "hypothesis, extra [strategies]"),
    ("anyio", "anyio.pytest_plugin", "httpx's anyio, extra [httpx]"),
)
DEFAULT_INSTALL = ("cvs_testkit", "faker")  # what `pip install cvs-testkit` brings without extras


def _pytest_seconds(folder: Path, args: list[str], no_autoload: bool = False) -> float:
    env = dict(os.environ)
    if no_autoload:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, "test_one.py"],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return time.perf_counter() - started


def _medians(folder: Path, variants: dict[str, tuple[list[str], bool]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, (args, no_autoload) in variants.items():
            times[name].append(_pytest_seconds(folder, args, no_autoload))
    return {name: statistics.median(values) for name, values in times.items()}


def plugin_import_ms() -> float:
    """The plugin's own import, cumulative, with pytest already imported (as in a pytest run)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pytest; import cvs_testkit.plugin"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for line in result.stderr.splitlines():
        found = re.match(r"import time:\s+\d+ \|\s+(\d+) \| cvs_testkit\.plugin$", line)
        if found:
            return int(found.group(1)) / 1000
    raise RuntimeError("cvs_testkit.plugin not in the import-time report")


def startup(runs: int) -> list[Row]:
    present = [p for p in INSTALLED_PLUGINS if importlib.util.find_spec(p[1].split(".")[0]) is not None]
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        (where / "test_one.py").write_text(ONE_TEST)
        variants: dict[str, tuple[list[str], bool]] = {
            "as installed": ([], False),
            "without ours": (["-p", "no:cvs_testkit"], False),
            "none": ([], True),
            "all of ours": ([arg for _, module, _ in present for arg in ("-p", module)], True),
            "default install": ([a for n, m, _ in present if n in DEFAULT_INSTALL for a in ("-p", m)], True),
            "default without ours": ([a for n, m, _ in present if n in DEFAULT_INSTALL[1:] for a in ("-p", m)], True),
        }
        for name, module, _ in present:
            variants[f"only {name}"] = (["-p", module], True)
        seconds = _medians(where, variants, runs)
    own_import = plugin_import_ms()
    rows: list[Row] = [
        (
            "startup",
            f"pytest, one test, median of {runs}: default install, plugin on vs off, s",
            f"{seconds['default install']:.2f}",
            f"{seconds['default without ours']:.2f}",
            f"{seconds['default install'] / seconds['default without ours']:.2f}x",
            "<= 1.1x",
        ),
        (
            "startup",
            "pytest, one test: this environment as installed vs -p no:cvs_testkit, s",
            f"{seconds['as installed']:.2f}",
            f"{seconds['without ours']:.2f}",
            f"{seconds['as installed'] / seconds['without ours']:.2f}x",
            "<= 1.1x",
        ),
        ("startup", "import cvs_testkit.plugin (pytest imported first), ms", f"{own_import:.1f}", "", "", "< 50"),
        (
            "startup",
            "pytest, one test: plugins of the default install vs none, s",
            f"{seconds['default install']:.2f}",
            f"{seconds['none']:.2f}",
            f"{seconds['default install'] / seconds['none']:.2f}x",
            "",
        ),
        (
            "startup",
            "pytest, one test: plugins of the install with both extras vs none, s",
            f"{seconds['all of ours']:.2f}",
            f"{seconds['none']:.2f}",
            f"{seconds['all of ours'] / seconds['none']:.2f}x",
            "",
        ),
    ]
    for name, _, brought_by in present:
        rows.append(
            (
                "startup",
                f"  of which {name} (from {brought_by}) alone vs none, s",
                f"{seconds[f'only {name}']:.2f}",
                f"{seconds['none']:.2f}",
                f"+{seconds[f'only {name}'] - seconds['none']:.2f} s",
                "",
            )
        )
    return rows
