"""Both commands say which cvs-testkit they belong to, the version the installed package declares."""

from __future__ import annotations

from importlib import metadata

import pytest

from cvs_testkit import cli as testkit_cli
from mockserver import cli as mock_cli


@pytest.mark.parametrize(("main", "prog"), [(mock_cli.main, "cvs-mock"), (testkit_cli.main, "cvs-testkit")])
def test_version_names_the_command_and_the_package_version(main, prog, capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"{prog} {metadata.version('cvs-testkit')}\n"
