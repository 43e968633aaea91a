"""The scrubbing options every recording command takes (``cvs-mock proxy --record``,
``cvs-testkit conformance --record``), and the scrubber they configure."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

from mockserver.recording.pseudonyms import ScrubKeyError, key_from
from mockserver.recording.scrub import Scrubber

KEY_VARIABLE = "CVS_SCRUB_KEY"


def add_scrub_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scrub-key-file",
        type=Path,
        metavar="FILE",
        help=f"derive pseudonyms from the secret in FILE (or ${KEY_VARIABLE}), so several recordings "
        "agree; without one each run draws a fresh random key. The key is never written",
    )
    parser.add_argument(
        "--scrub-keep",
        action="append",
        default=[],
        metavar="PATH",
        help="keep the value at this JSON pointer verbatim (* matches one step, e.g. "
        "/data/*/info/issued_at); repeatable. Nothing is kept by default",
    )


def scrub_key(key_file: Path | None, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The key from ``key_file``, else from ``$CVS_SCRUB_KEY``, else None (a random one)."""
    environ = os.environ if environ is None else environ
    if key_file is not None:
        try:
            return key_from(key_file.read_bytes(), str(key_file))
        except OSError as exc:
            raise ScrubKeyError(f"--scrub-key-file {key_file}: {exc.strerror or exc}") from exc
    if environ.get(KEY_VARIABLE):
        return key_from(environ[KEY_VARIABLE], f"${KEY_VARIABLE}")
    return None


def scrubber_from(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Scrubber:
    """The scrubber the parsed options ask for; raises ValueError (:class:`ScrubKeyError` for a
    key) when an option is unusable."""
    for pattern in args.scrub_keep:
        if not pattern.startswith("/"):
            raise ValueError(f"--scrub-keep {pattern!r}: a JSON pointer starts with /")
    return Scrubber(key=scrub_key(args.scrub_key_file, environ), keep=tuple(args.scrub_keep))
