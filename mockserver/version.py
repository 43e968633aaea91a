"""The installed distribution's version, for ``--version`` of both commands. A leaf module."""

from __future__ import annotations

from functools import cache
from importlib import metadata

__all__ = ["package_version"]


@cache  # the installed version does not change while a process runs
def package_version() -> str:
    try:
        return metadata.version("cvs-testkit")
    except metadata.PackageNotFoundError:  # a source tree on sys.path, not installed
        return "0+unknown"
