"""Every start-up value is checked before anything is bound: one line naming the option and
the reason on stderr, exit 2, no traceback; a misspelt flag shows that subcommand's usage;
the admin token read from a file shows neither in ``ps`` nor in the banner."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.helpers import cvs_mock_process, printed


def _run(*args: str, program: str = "mockserver.cli", timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", program, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _refused_in_one_line(run: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--port", "99999"], ["--port 99999", "1 to 65535"]),
        (["--port", "-3"], ["--port -3"]),
        (["--threads", "0"], ["--threads 0", "1 or more"]),
        (["--max-body-mb", "-1"], ["--max-body-mb -1", "above 0"]),
        (["--max-body-mb", "nan"], ["--max-body-mb nan", "above 0"]),
        (["--workers", "0"], ["--workers 0", "1 or more"]),
        (["--workers", "2"], ["--workers 2 needs --state"]),
        (["--state", "/missing/dir/s.db"], ["--state /missing/dir/s.db", "folder /missing/dir does not exist"]),
        (["--state", "/tmp"], ["--state /tmp", "is a folder"]),
        (["--state", "mysql://x/y"], ["--state mysql://x/y", "unknown scheme 'mysql'"]),
        (["--tenant-quota", "-1", "--tenants", "open"], ["--tenant-quota -1"]),
        (["--tenant-quota", "3000000000", "--tenants", "open"], ["--tenant-quota 3000000000", "2147483647"]),
        (["--trusted-proxy", "balancer"], ["--trusted-proxy", "'balancer' is not an IP address"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) and v and v[0].startswith("-") else "",
)
def test_a_bad_serve_value_is_one_line_and_exit_2(args: list[str], fragments: list[str]) -> None:
    _refused_in_one_line(_run("serve", *args), *fragments)


def test_a_file_that_is_no_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database " * 40, encoding="utf-8")
    _refused_in_one_line(_run("serve", "--state", str(path)), f"--state {path}", "cannot open it as a SQLite database")


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--upstream", "not-a-url"], ["--upstream 'not-a-url'", "http:// or https://"]),
        (["--upstream", "http://up.example:99999"], ["--upstream", "port"]),
        (["--upstream", "http://up.example", "--timeout", "0"], ["--timeout 0"]),
    ],
)
def test_a_bad_proxy_value_is_one_line_and_exit_2(args: list[str], fragments: list[str]) -> None:
    _refused_in_one_line(_run("proxy", *args), *fragments)


def test_a_bad_conformance_url_is_one_line_and_exit_2() -> None:
    run = _run(
        "conformance", "--base-url", "not-a-url", "--api-key", "k", "--api-secret", "s", program="cvs_testkit.cli"
    )
    _refused_in_one_line(run, "--base-url 'not-a-url'")


def test_a_port_in_use_names_the_host_and_port() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        _refused_in_one_line(_run("serve", "--port", str(port)), f"cannot listen on 127.0.0.1:{port}", "in use")


def test_a_misspelt_flag_shows_that_subcommands_usage() -> None:
    run = _run("serve", "--prot", "8080")
    assert run.returncode == 2
    assert run.stderr.startswith("usage: cvs-mock serve ")
    assert run.stderr.strip().endswith("cvs-mock serve: error: unrecognized arguments: --prot 8080")


@pytest.mark.slow
@pytest.mark.components  # waits out the PostgreSQL connection budget
def test_an_unreachable_database_is_one_line_after_the_documented_wait() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = _run("serve", "--state", f"postgresql://cvs:secret@127.0.0.1:{port}/x", timeout=120)
    _refused_in_one_line(run, f"no PostgreSQL server answered at postgresql://cvs:***@127.0.0.1:{port}/x for 30 s")
    assert "secret" not in run.stderr


def test_the_admin_token_from_a_file_shows_neither_in_ps_nor_in_the_banner(tmp_path: Path) -> None:
    token = "tok-never-shown-51f0"
    path = tmp_path / "token"
    path.write_text(token + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    with cvs_mock_process("--admin-token-file", str(path)) as (_, proc):
        command_line = Path(f"/proc/{proc.pid}/cmdline").read_bytes().decode()
        assert token not in command_line and str(path) in command_line
    shown = printed(proc)
    assert token not in shown and "admin token: required for unscoped admin calls, from every client" in shown


def test_a_token_on_the_command_line_is_warned_of(tmp_path: Path) -> None:
    with cvs_mock_process("--admin-token", "tok-visible-0000") as (_, proc):
        pass
    shown = printed(proc)
    assert "--admin-token on the command line shows in ps; prefer --admin-token-file" in shown
    assert "tok-visible-0000" not in shown
