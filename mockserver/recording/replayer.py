"""Replay: the recorded answer to a request, from the cassettes' interactions.

Which interaction answers is the matchers' business (:mod:`.matchers`); which of several
matching ones is next is the positions' (kept by the caller: ``mockserver.state.positions``
in one process, the store's replay table across replicas).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from mockserver.recording.matchers import MATCHERS, checked_match_on, features
from mockserver.recording.persister import cassette_files, read_yaml
from mockserver.recording.pseudonyms import KEYED_DIGEST, Pseudonyms
from mockserver.recording.request import KeptRequest
from mockserver.recording.serializer import Recorded, interactions_of

AFTER_LAST = ("cycle", "repeat", "exhausted")


def load(paths: Iterable[str | Path]) -> list[Recorded]:
    """Every interaction of the cassettes at ``paths`` (files, or folders of ``.yaml`` and
    ``.yml`` files, searched as the leak check searches them); a cassette that cannot be
    used raises :class:`~mockserver.recording.persister.CassetteError`."""
    return [entry for file in cassette_files(paths) for entry in interactions_of(file, read_yaml(file))]


class Positions(Protocol):
    """Which of a replayer's interactions were used, and the next one of those that match."""

    def claim(self, matching: list[int], after_last: str) -> int | None: ...

    def rewind(self) -> None: ...


class Replayer:
    """Answers from cassettes: the first unused interaction whose request shares every
    feature of ``match_on`` (by default method, operation, mode and images), in recorded
    order. Images are compared by their keyed digests when the replayer holds the
    recording's key (``key``: the ``--scrub-key-file`` it was recorded with); without it,
    by their number alone, so the recorded order decides. Once a request's matches are all
    used, ``after_last`` decides: ``cycle`` starts them over (a second pass of a flow replays
    as the first did), ``repeat`` answers the last one again (VCR.py's
    ``allow_playback_repeats``), ``exhausted`` answers none (strict replay then says 501)."""

    def __init__(
        self,
        recorded: list[Recorded],
        strict: bool = False,
        after_last: str = "cycle",
        key: bytes | None = None,
        match_on: Sequence[str] | str | None = None,
    ) -> None:
        if after_last not in AFTER_LAST:
            raise ValueError(f"after the last interaction: one of {', '.join(AFTER_LAST)}, not {after_last!r}")
        self.recorded, self.strict, self.after_last = recorded, strict, after_last
        self.match_on = checked_match_on(match_on)
        self._others = tuple(name for name in self.match_on if name != "images")
        self._keyed = Pseudonyms(key) if key is not None else None
        self._check = self._keyed.key_check() if self._keyed is not None else None
        # Each recorded interaction's form and identity, worked out once: match() runs per request.
        self._identities = [(self._form(entry), self._identity(entry)) for entry in recorded]

    def candidates(self, request: KeptRequest) -> list[int]:
        """The indices of every interaction that matches ``request``, in recorded order."""
        forms = self._forms(request)
        return [n for n, (form, identity) in enumerate(self._identities) if identity == forms[form]]

    def match(self, request: KeptRequest, positions: Positions) -> Recorded | None:
        """The recorded answer to ``request``, its position claimed in ``positions``."""
        found = positions.claim(self.candidates(request), self.after_last)
        return None if found is None else self.recorded[found]

    def closest(self, request: KeptRequest) -> str:
        """The recorded interaction nearest to a request that matched none, and the matchers
        it fails, each saying how the two differ."""
        if not self.recorded:
            return "the cassette is empty"
        failed = [self._reasons(n, request) for n in range(len(self.recorded))]
        best = min(range(len(failed)), key=lambda n: (len(failed[n]), -n))  # the fewest; the latest of equals
        return f"closest: {self.recorded[best].label}: " + "; ".join(failed[best] or ["already replayed"])

    def _reasons(self, n: int, request: KeptRequest) -> list[str]:
        entry, (form, _) = self.recorded[n], self._identities[n]
        found = []
        for name in self.match_on:
            if name == "images":  # compared in the interaction's own form (keyed, plain or by count)
                mine, theirs = self._images(request, form), self._images_recorded(entry, form)
            else:
                mine, theirs = MATCHERS[name](request), MATCHERS[name](entry.sent)
            if mine != theirs:
                found.append(f"{name} {mine!r} vs recorded {theirs!r}")
        return found

    def _form(self, entry: Recorded) -> str:
        """How an interaction's images are compared: by keyed digest (with the right key), by
        plain digest (a cassette from before keyed digests), or by count."""
        images = entry.sent.images
        if images and images[0].startswith(KEYED_DIGEST):
            return "keyed" if self._check is not None and entry.key_check == self._check else "count"
        return "plain"

    def _images_recorded(self, entry: Recorded, form: str) -> Any:
        return len(entry.sent.images) if form == "count" else entry.sent.images

    def _images(self, request: KeptRequest, form: str) -> Any:
        if form == "count":
            return len(request.images)
        if form == "keyed":
            assert self._keyed is not None  # a keyed form needs the key
            return tuple(self._keyed.image_digest(d) for d in request.images)
        return request.images

    def _identity(self, entry: Recorded) -> tuple[Any, ...]:
        images = self._images_recorded(entry, self._form(entry)) if "images" in self.match_on else None
        return (*features(entry.sent, self._others), images)

    def _forms(self, request: KeptRequest) -> dict[str, tuple[Any, ...]]:
        base = features(request, self._others)
        wanted = "images" in self.match_on
        forms = {}
        for form in ("plain", "count") + (("keyed",) if self._keyed is not None else ()):
            forms[form] = (*base, self._images(request, form) if wanted else None)
        return forms
