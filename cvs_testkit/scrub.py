"""Scrub personal data out of CVS API answers, and find what a cassette should not hold
(see :mod:`mockserver.recording.scrub` and :mod:`mockserver.recording.check`).

>>> from cvs_testkit.scrub import scrub, Scrubber, check_paths
>>> clean = scrub(answer)                          # one answer, a fresh random key
>>> same = Scrubber(key=team_key); [same.answer(a) for a in answers]   # one person stays one person
>>> check_paths(["tests/cassettes"])               # [] when nothing looks personal
"""

from __future__ import annotations

from mockserver.recording.check import Leak, check_paths
from mockserver.recording.scrub import Scrubber, known_fields, scrub

__all__ = ["Leak", "Scrubber", "check_paths", "known_fields", "scrub"]
