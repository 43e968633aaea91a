"""README.md, examples/README.md, CONTRIBUTING.md and every page of docs/ as scripts: every
``bash`` and ``python`` block runs, in order, against a served fake, or says why not.

Each block is preceded by ``<!-- doc-run: MODE -->``:

- ``shell``: run by ``bash -e`` in a temporary folder; a ``cvs-mock serve`` line starts that
  server in the background on a free port (stopped after the block), and ``127.0.0.1:8080`` /
  ``localhost:8080`` in the block mean the block's own server or else the suite's served fake;
- ``shell-repo``: the same, in the repository (for blocks about its files);
- ``python``: run as a script; ``pytest``: run as a test module with pytest;
- ``skip: REASON``: not run (it installs, or needs the real API, or is a fragment).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live.helpers import cvs_mock_process

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = (
    "README.md",
    "examples/README.md",
    "CONTRIBUTING.md",
    *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")),
)
FENCE = re.compile(r"(?:<!-- doc-run: (?P<mode>[^>]*?) -->\n)?```(?P<lang>bash|python)\n(?P<body>.*?)```", re.S)
LOCAL = re.compile(r"(127\.0\.0\.1|localhost):8080")


@dataclass(frozen=True)
class Block:
    document: str
    line: int
    lang: str
    mode: str
    body: str

    @property
    def name(self) -> str:
        return f"{self.document}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for document in DOCUMENTS:
        text = (ROOT / document).read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start("lang")) + 1
            found.append(Block(document, line, match["lang"], (match["mode"] or "").strip(), match["body"]))
    return found


BLOCKS = blocks()


def test_every_block_says_how_it_runs() -> None:
    assert len(BLOCKS) >= 18
    for block in BLOCKS:
        assert block.mode in ("shell", "shell-repo", "python", "pytest") or re.fullmatch(r"skip: .{8,}", block.mode), (
            f"{block.name}: precede the block with <!-- doc-run: shell|shell-repo|python|pytest|skip: why -->"
        )


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    with cvs_mock_process() as (base, _):
        yield base


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CVS_API_KEY", "CVS_API_SECRET")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_shell(body: str, folder: Path, served: str) -> None:
    with contextlib.ExitStack() as servers:
        started: list[str] = []
        script: list[str] = []
        for line in body.splitlines():
            words = shlex.split(line.rstrip("\\"), comments=True) if line.strip() else []  # a continued line too
            if words[:2] == ["cvs-mock", "serve"]:  # started aside on a free port, for the lines after it
                given = [w for w in words[2:] if w != "&"]  # the block may start it in the background itself
                args = [w for n, w in enumerate(given) if w != "--port" and given[n - 1 : n] != ["--port"]]
                started.append(servers.enter_context(cvs_mock_process(*args))[0])
                continue
            script.append(line)
        text = LOCAL.sub((started[0] if started else served).split("://", 1)[1], "\n".join(script))
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", text], cwd=folder, env=environment(),
                              capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, f"{text}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"


def _as_param(block: Block) -> object:
    # A shell block that runs a whole test suite is for the full run; the rest are fast.
    runs_a_suite = block.mode.startswith("shell") and re.search(r"^\s*pytest\b", block.body, re.M)
    return (
        pytest.param(block, marks=pytest.mark.slow, id=block.name)
        if runs_a_suite
        else pytest.param(block, id=block.name)
    )


@pytest.mark.parametrize("block", [_as_param(b) for b in BLOCKS if not b.mode.startswith("skip")])
def test_the_block_runs_as_written(block: Block, served: str, tmp_path: Path) -> None:
    if block.mode in ("shell", "shell-repo"):
        run_shell(block.body, ROOT if block.mode == "shell-repo" else tmp_path, served)
        return
    if block.mode == "python":
        command = [sys.executable, "-c", block.body]
    else:  # a test module: it must pass under every dialect too, as the README promises
        (tmp_path / "test_readme_block.py").write_text(block.body, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--cvs-dialects=all",
            "test_readme_block.py",
        ]
    done = subprocess.run(command, cwd=tmp_path, env=environment(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{block.body}\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
