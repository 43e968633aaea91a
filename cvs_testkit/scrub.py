"""Scrub personal data out of CVS API answers (see :mod:`mockserver.scrub`).

>>> from cvs_testkit.scrub import scrub, Scrubber
>>> clean = scrub(answer)              # one answer
>>> same = Scrubber(); [same.answer(a) for a in answers]   # one person stays one person
"""

from __future__ import annotations

from mockserver.recording.scrub import Scrubber, known_fields, scrub

__all__ = ["Scrubber", "known_fields", "scrub"]
