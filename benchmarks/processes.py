"""Start the servers a benchmark compares, as separate processes on loopback."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

URL = re.compile(r"(http://127\.0\.0\.1:\d+)")


@contextmanager
def process(command: list[str], ready_path: str = "/", timeout: float = 60) -> Iterator[tuple[str, int]]:
    """Run ``command`` until it prints its base URL; yield (base URL, pid)."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        deadline, base = time.monotonic() + timeout, None
        while base is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(f"{command[0]} exited before it served")
            match = URL.search(line)
            base = match.group(1) if match else None
        if base is None:
            raise RuntimeError(f"{command} did not start in {timeout} s")
        # Keep reading what it prints: a full pipe would block the server on its next log line.
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        requests.get(base + ready_path, timeout=30)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def cvs_mock(*args: str) -> list[str]:
    return [sys.executable, "-m", "mockserver.cli", "serve", "--port", "0", "--threads", "8", *args]


def bare(body_file: Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks.bare_server", "--body", str(body_file), "--threads", "8"]


def prism(spec: Path, port: int, prism_dir: Path) -> list[str] | None:
    binary = prism_dir / "node_modules" / ".bin" / "prism"
    if not binary.exists() or shutil.which("node") is None:
        return None
    return [str(binary), "mock", str(spec), "--host", "127.0.0.1", "--port", str(port), "--errors", "false"]


def peak_rss_reset(pid: int) -> None:
    """Reset the kernel's peak-RSS mark (VmHWM) of a process."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")
