"""Durations as people write them on a command line: ``3s``, ``30m``, ``12h``, ``7d`` (or a
plain number of seconds)."""

from __future__ import annotations

import re

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(value: str | float | int) -> float:
    """``value`` in seconds; ValueError naming the accepted forms for anything else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        found: float = float(value)
    else:
        match = _DURATION.fullmatch(str(value).strip().lower())
        if match is None:
            raise ValueError(f"{value!r} is not a duration: write a number with s, m, h or d (3s, 30m, 7d)")
        found = float(match[1]) * _UNIT[match[2]]
    if found <= 0:
        raise ValueError(f"{value!r} is not a duration: it must be more than 0 seconds")
    return found
