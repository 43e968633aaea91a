"""The OpenAPI tools an integrator would pick, as the tests find them.

The npm ones are pinned in ``package.json`` beside this file (``npm ci`` here installs them;
``.ci/run`` does); the Python ones come with the ``test`` extra; Java is Debian's headless
JRE. Without one a test skips naming the package; under CI (``CI`` set) it fails instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from mockserver.contract.loading import contracts_dir
from tests.helpers.components import needs

HERE = Path(__file__).resolve().parent
BUNDLED = contracts_dir() / "openapi.bundled.json"
TOLERANT_BUNDLED = contracts_dir() / "openapi.tolerant.bundled.json"
RUN_TIMEOUT = 300


def npm_tool(name: str, package: str) -> str:
    """The path of an npm tool installed by ``npm ci`` in tests/toolchain."""
    found = HERE / "node_modules" / ".bin" / name
    if not found.exists() or shutil.which("node") is None:
        needs(f"the npm package {package} (run npm ci in tests/toolchain; Node.js from Debian's nodejs)")
    return str(found)


def python_tool(name: str, package: str) -> str:
    found = Path(sys.executable).parent / name
    if not found.exists():
        located = shutil.which(name)
        if located is None:
            needs(f"the PyPI package {package} (in the test extra)")
        return str(located)
    return str(found)


def java() -> str:
    found = shutil.which("java")
    if found is None:
        needs("Debian's default-jre-headless package (java not found)")
    return str(found)


def run(*args: str, cwd: Path | None = None, timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd or HERE, capture_output=True, text=True, timeout=timeout)
