"""The scrub options of both recording commands: a key from a file or $CVS_SCRUB_KEY, too
short a key refused with exit 2, a --scrub-keep that is no JSON pointer refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mockserver.recording.options import scrub_key
from mockserver.recording.pseudonyms import ScrubKeyError


def test_the_key_comes_from_the_file_then_the_variable_then_nowhere(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_bytes(b"  sixteen bytes or more, from a file\n")
    env = {"CVS_SCRUB_KEY": "another key, from the environment"}
    assert scrub_key(key_file, env) == b"sixteen bytes or more, from a file"
    assert scrub_key(None, env) == b"another key, from the environment"
    assert scrub_key(None, {}) is None
    with pytest.raises(ScrubKeyError, match=r"\$CVS_SCRUB_KEY: a scrub key needs at least 16 bytes, got 5"):
        scrub_key(None, {"CVS_SCRUB_KEY": "short"})
    with pytest.raises(ScrubKeyError, match="--scrub-key-file .*missing"):
        scrub_key(tmp_path / "missing", {})


PROXY = ["mockserver.cli", "proxy", "--upstream", "http://127.0.0.1:9", "--record", "{dir}"]


@pytest.mark.parametrize(
    ("command", "extra", "message"),
    [
        (PROXY, ["--scrub-key-file", "{short}"], "a scrub key needs at least 16 bytes"),
        (PROXY, ["--scrub-keep", "data/x"], "--scrub-keep 'data/x': a JSON pointer starts with /"),
        (["cvs_testkit.cli", "conformance", "--base-url", "http://127.0.0.1:9", "--api-key", "k", "--api-secret", "s",
          "--record", "{dir}"], ["--scrub-key-file", "{short}"], "a scrub key needs at least 16 bytes"),
    ],
)  # fmt: skip
def test_a_bad_scrub_option_is_a_usage_error(
    tmp_path: Path, command: list[str], extra: list[str], message: str
) -> None:
    short = tmp_path / "short.key"
    short.write_bytes(b"tiny")
    argv = [a.format(dir=tmp_path / "cassettes", short=short) for a in command + extra]
    done = subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert "tiny" not in done.stderr


def test_both_commands_document_the_options_in_help() -> None:
    for module, command in (("mockserver.cli", "proxy"), ("cvs_testkit.cli", "conformance")):
        shown = subprocess.run(
            [sys.executable, "-m", module, command, "--help"], capture_output=True, text=True, timeout=60
        )
        assert shown.returncode == 0, shown.stderr
        assert "--scrub-key-file FILE" in shown.stdout and "--scrub-keep PATH" in shown.stdout
        assert "CVS_SCRUB_KEY" in shown.stdout
