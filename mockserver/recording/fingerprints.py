"""What a cassette lists of the personal-looking values its recorder generated, so that the
leak check tells them from leaks.

Each listed value is bound to where it stands (interaction, part, JSON pointer) and salted per
cassette, and the recorder lists a value only when it is nowhere in what it was given: an
original left in place is never listed, so it can never excuse itself, and a pseudonym listed in
one place excuses nothing in another.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from mockserver.recording import suspects

NUMBER_KINDS = frozenset({"id12", "id9", "phone", "card", "number", "date", "passport", "plate"})
_NUMBER = re.compile(r"\d[\d ./()+-]*\d")  # one number in any grouping, never two across a letter or comma
_OPAQUE_RUN = re.compile(r"[A-Za-z0-9+/=_-]{64,}")  # images and digests: replaced whatever they hold


def legacy(text: str) -> str:
    """What a cassette of an older recorder lists of one of its replacements."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def located(salt: str, place: str, text: str) -> str:
    """What a cassette lists of a value it generated at ``place``."""
    return hashlib.sha256(f"{salt}\x00{place}\x00{text}".encode()).hexdigest()[:16]


def place(n: int | None, where: str, pointer: str) -> str:
    return f"{'' if n is None else n}|{where}|{pointer}"


class Given:
    """What a recorder was given for one interaction (answer, path, query, body), in the forms
    a value kept from it could take: its words in any case, with and without diacritics, and
    the digits of each of its numbers in any grouping."""

    def __init__(self, texts: Iterable[str]) -> None:
        spelled = _OPAQUE_RUN.sub(" ", suspects.normalise("\n".join(texts)))
        self._words = _words(spelled.casefold())
        self._plain_words = _words(suspects.plain(spelled).casefold())
        self._numbers = [_digits(number) for number in _NUMBER.findall(spelled)]

    def holds(self, kind: str, text: str) -> bool:
        """Whether the value ``text`` (of the kind found) was in what was given."""
        # With its diacritics when it has them: "Phụ Quốc" drawn from ordinary words is not the
        # place "Phú Quốc"; a value without them may be an original with them dropped.
        plain = suspects.plain(text)
        words = _words(text.casefold()) if plain != text else _words(plain.casefold())
        if words.strip() and words in (self._words if plain != text else self._plain_words):
            return True
        digits = _digits(text)
        return kind in NUMBER_KINDS and len(digits) >= 6 and any(digits in number for number in self._numbers)


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(text)) + " "


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
