"""Start real ``cvs-mock serve`` processes on free loopback ports."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import requests

BANNER = re.compile(r"on (http://[0-9.]+:\d+)")


@contextmanager
def cvs_mock_process(
    *args: str,
    kill: bool = False,
    command: str = "serve",
    env: dict[str, str] | None = None,
    within: Sequence[str] = (),
    probe: bool = True,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run ``cvs-mock COMMAND --port 0 ARGS`` (under ``within``, e.g. ``ip netns exec NS``);
    yield its base URL and the process. ``probe=False``: the banner alone says it serves (a
    server on a namespace's own loopback cannot be reached from here)."""
    argv = [*within, sys.executable, "-m", "mockserver.cli", command, "--port", "0", *args]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
    )
    try:
        base_url, banner = _wait_for_banner(proc, probe)
        _keep_reading(proc, banner)
        yield base_url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()


def _keep_reading(proc: subprocess.Popen[str], banner: list[str]) -> None:
    """Read what the server prints from now on: a full pipe would block it on its next log line."""
    assert proc.stdout is not None
    stream, lines = proc.stdout, list(banner)
    reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
    reader.start()
    _READERS[proc.pid] = (reader, lines)


_READERS: dict[int, tuple[threading.Thread, list[str]]] = {}


def printed(proc: subprocess.Popen[str]) -> str:
    """Everything the server printed, once it has exited."""
    reader, lines = _READERS.pop(proc.pid)
    reader.join(timeout=10)
    return "".join(lines)


def _wait_for_banner(proc: subprocess.Popen[str], probe: bool = True) -> tuple[str, list[str]]:
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    seen = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"cvs-mock exited early: {''.join(seen)}")
        seen.append(line)
        match = BANNER.search(line)
        if match:
            url = match.group(1)
            if probe:
                requests.get(url + "/__mock__/health", timeout=10).raise_for_status()
            return url, seen
    raise RuntimeError(f"cvs-mock did not start: {''.join(seen)}")
