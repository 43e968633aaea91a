"""One image per test run: the base made with mmdebstrap and imported, the project's wheel and
its dependencies from a wheelhouse (``$CVS_TEST_WHEELHOUSE``, made by ``.ci/run``), built once
under a lock every xdist worker shares."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.components import missing, needs

ROOT = Path(__file__).resolve().parents[2]
# Here podman needs runc (crun refuses the machine's hybrid cgroups) and explicit ulimits.
PODMAN = ["podman", "--runtime", "runc"]
ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
BASE_PACKAGES = "python3"


def podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*PODMAN, *args], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


# What a Python server never runs, left out of the base: perl, apt and the libraries only they
# use, documentation, locales and glibc's character-set modules (Python has its own codecs).
NOT_NEEDED = (
    "perl perl-modules-5.36 libperl5.36 apt libapt-pkg6.0 libgnutls30 libp11-kit0 libdb5.3 libidn2-0 "
    "libunistring2 libhogweed6 libnettle8 libtasn1-6 libseccomp2 libgdbm6 libgdbm-compat4"
)

LEFT_OUT = ("var/lib/apt", "var/cache/apt", "usr/lib/x86_64-linux-gnu/gconv", "var/log/*")


def _base(folder: Path, tag: str) -> None:
    """Debian's python3 on a minimal Debian, imported as ``tag``."""
    tar = folder / "base.tar"
    subprocess.run(
        ["mmdebstrap", "--variant=minbase", f"--include={BASE_PACKAGES}", "--quiet",
         *(f"--dpkgopt=path-exclude=/usr/share/{d}/*" for d in ("doc", "man", "locale", "info")),
         f'--customize-hook=chroot "$1" dpkg --purge --force-depends --force-remove-essential {NOT_NEEDED} || true',
         "--customize-hook=rm -rf " + " ".join(f'"$1"/{p}' for p in LEFT_OUT),
         "bookworm", str(tar)],
        check=True, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    podman("import", str(tar), tag, timeout=300)
    tar.unlink()


def _context(folder: Path, wheelhouse: Path) -> Path:
    context = folder / "context"
    shutil.copytree(wheelhouse, context / "wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index", "--find-links", str(wheelhouse),
         "--wheel-dir", str(context / "wheelhouse"), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    shutil.copy(ROOT / "Containerfile", context / "Containerfile")
    return context


@pytest.fixture(scope="session")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for program, package in (("podman", "podman"), ("mmdebstrap", "mmdebstrap"), ("runc", "runc")):
        if shutil.which(program) is None:
            missing(package, program)
    wheelhouse = Path(os.environ.get("CVS_TEST_WHEELHOUSE", ROOT / ".ci-wheelhouse"))
    if not any(wheelhouse.glob("pip-*.whl")):
        needs(
            f"a wheelhouse at {wheelhouse} (python -m pip wheel --wheel-dir {wheelhouse} pip hatchling '.[postgres]')"
        )
    # This run's folder, the same for every xdist worker of it (each worker has a folder inside it).
    basetemp = tmp_path_factory.getbasetemp()
    shared = basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp
    run = f"{shared.parent.name}-{shared.name}"
    tag, base = f"localhost/cvs-mock-test:{run}", f"localhost/cvs-mock-test-base:{run}"
    with open(shared / "container.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = shared / "container.built"
        if not built.exists():
            folder = shared / "container"
            folder.mkdir(exist_ok=True)
            started = time.monotonic()
            _base(folder, base)
            context = _context(folder, wheelhouse)
            podman("build", "--format", "docker", *ULIMITS, "--build-arg", f"BASE={base}", "-t", tag, str(context),
                   timeout=900)  # fmt: skip
            built.write_text(f"{time.monotonic() - started:.0f}", encoding="utf-8")
    yield tag
