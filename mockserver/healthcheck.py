"""``cvs-mock health``: ask a served fake whether it is healthy, for a container's HEALTHCHECK.

It needs no shell, curl or wget. Where to ask: ``--url``, else the address the server wrote
to ``$CVS_MOCK_RUN_FILE`` when it started (so the check follows whatever port it was given),
else ``http://127.0.0.1:$CVS_MOCK_PORT`` (8080 by default).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

RUN_FILE = "CVS_MOCK_RUN_FILE"


def write_run_file(base_url: str) -> None:
    """Where this server answers, for ``cvs-mock health`` (only when ``$CVS_MOCK_RUN_FILE`` is set)."""
    where = os.environ.get(RUN_FILE)
    if where:
        Path(where).write_text(base_url.replace("0.0.0.0", "127.0.0.1") + "\n", encoding="utf-8")


def target(url: str | None) -> str:
    if url:
        return url.rstrip("/")
    where = os.environ.get(RUN_FILE)
    if where and Path(where).is_file():
        written = Path(where).read_text(encoding="utf-8").strip()
        if written:
            return written
    return f"http://127.0.0.1:{os.environ.get('CVS_MOCK_PORT', '8080')}"


def check(url: str | None, timeout: float) -> tuple[bool, str]:
    """(healthy, one line saying so) for the server at ``url`` (see the module docstring)."""
    base = target(url)
    try:
        with urllib.request.urlopen(f"{base}/__mock__/health", timeout=timeout) as answer:  # noqa: S310 - http only
            return answer.status == 200, f"{base}: HTTP {answer.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{base}: HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return False, f"{base}: {getattr(exc, 'reason', exc)}"
