"""Load from ``wrk`` (Debian's C load generator), which leaves the servers most of the CPU.

Used for the live and peer rows when ``wrk`` is on PATH; the Python generator in ``load.py``
is the fallback. Bounded: one fixed-length run against a loopback address.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    rate: float
    p50: float
    p99: float
    errors: int


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua(method: str, body: bytes | None, headers: dict[str, str], folder: Path) -> Path:
    lines = [f'wrk.method = "{method}"']
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if body is not None:
        (folder / "body").write_bytes(body)
        lines.append(f'local f = io.open("{folder / "body"}", "rb"); wrk.body = f:read("*a"); f:close()')
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    script = folder / "request.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS_MS[unit]


def run_wrk(
    base_url: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    seconds: int = 5,
    threads: int = 2,
    connections: int = 8,
) -> WrkResult:
    """``wrk -tTHREADS -cCONNECTIONS -dSECONDS --latency`` on one request; rate, p50, p99, errors."""
    with tempfile.TemporaryDirectory() as folder:
        script = _lua(method, body, headers or {}, Path(folder))
        return _run(script, base_url + path, seconds, threads, connections)


def run_wrk_mix(
    base_url: str,
    calls: list[tuple[str, str, bytes]],
    headers: dict[str, str],
    seconds: int = 5,
    threads: int = 1,
    connections: int = 8,
) -> WrkResult:
    """wrk sending ``calls`` (method, path, JSON body) in turn on each connection."""
    with tempfile.TemporaryDirectory() as folder:
        lines = []
        for n, (_, _, body) in enumerate(calls):
            (Path(folder) / f"body{n}").write_bytes(body)
            lines.append(
                f'local f{n} = io.open("{Path(folder) / f"body{n}"}", "rb"); local b{n} = f{n}:read("*a"); f{n}:close()'
            )
        shown = ", ".join(f'["{name}"] = "{value}"' for name, value in headers.items())
        lines.append(f'local headers = {{{shown}, ["Content-Type"] = "application/json"}}')
        made = ", ".join(
            f'wrk.format("{method}", "{path}", headers, b{n})' for n, (method, path, _) in enumerate(calls)
        )
        lines.append(f"local calls = {{{made}}}")
        lines.append("local turn = 0")
        lines.append("request = function() turn = turn % #calls + 1; return calls[turn] end")
        script = Path(folder) / "mix.lua"
        script.write_text("\n".join(lines) + "\n")
        return _run(script, base_url, seconds, threads, connections)


def _run(script: Path, url: str, seconds: int, threads: int, connections: int) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return WrkResult(rate, p50, p99, errors)
