"""The ``cvs_cassette`` marker: the cassette beside the test, leak-checked, answered from."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest


def marked_cassette(request: pytest.FixtureRequest) -> tuple[Path, bool] | None:
    """(cassettes/NAME.yaml or .yml beside the test, strict) of a ``cvs_cassette`` marker, or None."""
    marker = request.node.get_closest_marker("cvs_cassette")
    if marker is None:
        return None
    name = marker.args[0] if marker.args else marker.kwargs["name"]
    from mockserver.recording.persister import named_cassette

    folder = request.path.parent / "cassettes"
    path = named_cassette(folder, str(name))
    if path is None:
        pytest.fail(f"cvs_cassette: no cassette {folder / name}.yaml (record one with cvs-mock proxy --record)")
    leaks = cassette_leaks(path, path.stat().st_mtime_ns)
    if leaks:
        shown = "\n  ".join(leaks[:10]) + (f"\n  ... and {len(leaks) - 10} more" if len(leaks) > 10 else "")
        pytest.fail(
            f"cvs_cassette: {path} carries what looks like personal data; re-record it with "
            f"cvs-mock proxy --record (or see cvs-testkit scrub-check):\n  {shown}",
            pytrace=False,
        )
    return path, bool(marker.kwargs.get("strict", False))


@functools.lru_cache(maxsize=64)
def cassette_leaks(path: Path, mtime_ns: int) -> tuple[str, ...]:
    """The leak check of a cassette, once per version of the file."""
    from mockserver.recording.check import check_file

    return tuple(str(leak) for leak in check_file(path))


def replay_marked_cassette(request: pytest.FixtureRequest, fake: Any) -> None:
    """The ``cvs_cassette`` marker: the fake answers from the cassette beside the test."""
    cassette = marked_cassette(request)
    if cassette is not None:
        fake.use_cassette(str(cassette[0]), strict=cassette[1])
