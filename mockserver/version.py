"""The installed distribution's version, for ``--version`` of both commands. A leaf module."""

from __future__ import annotations

from importlib import metadata

__all__ = ["package_version"]


def package_version() -> str:
    try:
        return metadata.version("cvs-testkit")
    except metadata.PackageNotFoundError:  # a source tree on sys.path, not installed
        return "0+unknown"
