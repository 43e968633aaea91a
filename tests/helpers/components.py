"""Real components the shared-deployment tests start: a PostgreSQL cluster made with initdb in
a temporary folder and run by a non-root user, and haproxy balancing round robin over
replicas. Everything listens on 127.0.0.1 only. Without the Debian package a test skips
naming it; under CI (``CI`` set) it fails instead, so CI always runs them."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

START_TIMEOUT = 60.0


def needs(what: str) -> None:
    """Skip naming what is missing; under CI fail instead, since .ci/run installs it."""
    message = f"needs {what}"
    if os.environ.get("CI"):
        pytest.fail(f"{message}: CI installs it in .ci/run, so this must run there")
    pytest.skip(message)


def needs_module(module: str, extra: str = "test") -> None:
    """Skip (or fail under CI) when a Python tool the ``extra`` installs is not importable."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        needs(f"the {module} package (pip install -e '.[{extra}]')")


def missing(package: str, program: str) -> None:
    needs(f"Debian's {package} package ({program} not found)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(proc: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """Ask a started program to end, and kill it if it has not after ``grace`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)


def wait_for_port(port: int, timeout: float = START_TIMEOUT, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on {host}:{port} within {timeout:.0f} s")


def _postgres_bin(program: str) -> str | None:
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{program}"))
    return candidates[-1] if candidates else None


def _runner() -> str | None:
    """The user PostgreSQL runs as: ourselves, or when we are root (it refuses root) nobody."""
    return "nobody" if os.geteuid() == 0 else None


@dataclass
class Cluster:
    folder: Path
    port: int
    pg_ctl: str
    user: str | None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://cvs@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [self.pg_ctl, "-D", str(self.folder / "data"), "-w", "-t", "60", *args],
            check=True, user=self.user, capture_output=True, timeout=90,
        )  # fmt: skip

    def start(self) -> None:
        log = str(self.folder / "postgres.log")
        self._ctl("-l", log, "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    pytest.importorskip("psycopg", reason="needs the postgres extra: pip install 'cvs-testkit[postgres]'")
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        missing("postgresql", "initdb")
    assert initdb is not None and pg_ctl is not None
    user = _runner()
    folder = Path(tempfile.mkdtemp(prefix="cvs-pg-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    cluster = Cluster(folder, free_port(), pg_ctl, user)
    try:
        subprocess.run(
            [initdb, "-D", str(folder / "data"), "-U", "cvs", "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True, user=user, capture_output=True, timeout=120,
        )  # fmt: skip
        with open(folder / "data" / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("fsync = off\nmax_connections = 200\nshared_buffers = 64MB\n")
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop("immediate")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def haproxy(
    backends: list[int],
    bind: str = "127.0.0.1",
    within: list[str] | None = None,
    forwardfor: bool = False,
    health_path: str | None = None,
    per_backend: int | None = None,
) -> Iterator[int]:
    """haproxy on a free port of ``bind``, round robin over 127.0.0.1:PORT for each backend;
    its port. ``within`` runs it in a network namespace (``ip netns exec NS``);
    ``forwardfor`` adds X-Forwarded-For; ``health_path`` checks each backend with haproxy's
    own HTTP/1.0 check (no Host header), instead of a TCP connect; ``per_backend`` caps the
    requests each backend is given at once, the rest waiting in haproxy's queue for the
    first backend free (as docs/shared-deployments.md advises)."""
    program = shutil.which("haproxy") or (os.path.exists("/usr/sbin/haproxy") and "/usr/sbin/haproxy") or None
    if not program:
        missing("haproxy", "haproxy")
    assert isinstance(program, str)
    port = free_port()
    cap = f" maxconn {per_backend}" if per_backend else ""
    servers = "\n".join(
        f"    server r{n} 127.0.0.1:{p} check inter 500ms fall 2 rise 1{cap}" for n, p in enumerate(backends)
    )
    options = ("    option forwardfor\n" if forwardfor else "") + (
        f"    option httpchk GET {health_path}\n" if health_path else ""
    )
    config = f"""global
    maxconn 512
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    option http-server-close
    retries 0
frontend fake
    bind {bind}:{port}
    default_backend replicas
backend replicas
    balance roundrobin
{options}{servers}
"""
    with tempfile.TemporaryDirectory(prefix="cvs-haproxy-") as folder:
        path = Path(folder) / "haproxy.cfg"
        path.write_text(config, encoding="utf-8")
        check = subprocess.run([program, "-c", "-f", str(path)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stdout + check.stderr
        proc = subprocess.Popen(
            [*(within or []), program, "-db", "-f", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            wait_for_port(port, host=bind)
            yield port
        finally:
            stop(proc)
            if proc.stdout:
                proc.stdout.close()


@dataclass(frozen=True)
class Namespace:
    name: str
    inside: str  # the namespace's address: a server there sees our requests from ``outside``
    outside: str

    @property
    def within(self) -> list[str]:
        return [shutil.which("ip") or "/usr/sbin/ip", "netns", "exec", self.name]


@contextmanager
def network_namespace() -> Iterator[Namespace]:
    """A network namespace of this test's own, joined to ours by a veth pair on 10.213.0.0/30:
    traffic to its address is non-loopback for a server inside it, and goes nowhere else."""
    ip = shutil.which("ip") or "/usr/sbin/ip"
    if not os.path.exists(ip) or os.geteuid() != 0:
        pytest.skip("needs a network namespace: root and Debian's iproute2 package")
    name = f"cvs{os.getpid() % 100000}"
    outer, inner = f"{name}o", f"{name}i"
    subnet = 4 * (os.getpid() % 60)  # a /30 of its own, so namespaces of parallel workers never share one
    outside, inside = f"10.213.0.{subnet + 1}", f"10.213.0.{subnet + 2}"
    steps = [
        ["netns", "add", name],
        ["link", "add", outer, "type", "veth", "peer", "name", inner],
        ["link", "set", inner, "netns", name],
        ["addr", "add", f"{outside}/30", "dev", outer],
        ["link", "set", outer, "up"],
        ["-n", name, "addr", "add", f"{inside}/30", "dev", inner],
        ["-n", name, "link", "set", inner, "up"],
        ["-n", name, "link", "set", "lo", "up"],
    ]
    try:
        for step in steps:
            done = subprocess.run([ip, *step], capture_output=True, text=True, timeout=20)
            if done.returncode != 0:
                pytest.skip(f"cannot make a network namespace here: ip {' '.join(step)}: {done.stderr.strip()}")
        yield Namespace(name, inside, outside)
    finally:
        subprocess.run([ip, "link", "del", outer], capture_output=True, timeout=20)
        subprocess.run([ip, "netns", "del", name], capture_output=True, timeout=20)


@contextmanager
def loopback_namespace() -> Iterator[list[str]]:
    """A network namespace with nothing but its own loopback: what runs in it can reach no
    other machine, whatever it tries. Yields the command prefix that runs a program in it."""
    ip = shutil.which("ip") or "/usr/sbin/ip"
    if not os.path.exists(ip) or os.geteuid() != 0:
        pytest.skip("needs a network namespace: root and Debian's iproute2 package")
    name = f"cvslo{os.getpid() % 100000}"
    try:
        for step in (["netns", "add", name], ["-n", name, "link", "set", "lo", "up"]):
            done = subprocess.run([ip, *step], capture_output=True, text=True, timeout=20)
            if done.returncode != 0:
                pytest.skip(f"cannot make a network namespace here: ip {' '.join(step)}: {done.stderr.strip()}")
        yield [ip, "netns", "exec", name]
    finally:
        subprocess.run([ip, "netns", "del", name], capture_output=True, timeout=20)
