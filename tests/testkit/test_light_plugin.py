"""The plugin costs a suite that never uses a cvs fixture nothing heavy: Flask, the fake,
jsonschema and Hypothesis load on a fixture's first use, not when pytest starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("flask", "werkzeug", "mockserver", "jsonschema", "jsonschema_rs", "hypothesis", "faker", "PIL", "yaml")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    return sorted(loaded & set(HEAVY))


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    assert _loaded_after("import cvs_testkit.plugin") == []


def test_importing_either_package_loads_nothing_heavy() -> None:
    assert _loaded_after("import cvs_testkit, mockserver") == ["mockserver"]


def test_a_run_without_cvs_fixtures_never_loads_the_fake(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="""
        import sys

        def test_nothing_heavy_was_loaded():
            heavy = {m.split(".")[0] for m in sys.modules} & {"flask", "mockserver", "jsonschema", "hypothesis"}
            assert heavy == set()
        """
    )
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "cvs_testkit.plugin", "-p", "no:cacheprovider", "-q"],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_names_of_the_package_still_resolve() -> None:
    import cvs_testkit
    import mockserver

    assert callable(mockserver.create_app) and isinstance(mockserver.DEFAULTS, dict)
    assert callable(cvs_testkit.assert_conforms) and issubclass(cvs_testkit.ContractError, Exception)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = cvs_testkit.nothing_here
