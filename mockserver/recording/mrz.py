"""Machine-readable zones (ICAO 9303) rewritten field by field: an ID card's three lines of
30 (TD1) and a passport's two lines of 44 (TD3) keep their layout, issuing state, nationality
and sex; the names, numbers and dates are replaced and every check digit is computed again,
so an MRZ parser still accepts the lines and they agree with the rest of the answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> str:
    total = 0
    for n, char in enumerate(field):
        value = int(char) if char.isdigit() else ord(char) - 55 if char.isalpha() else 0
        total += value * _WEIGHTS[n % 3]
    return str(total % 10)


@dataclass(frozen=True)
class Replacements:
    """How the parts of an MRZ are replaced: each takes and returns MRZ characters."""

    number: Callable[[str], str]  # a document or personal number, without its filler
    date: Callable[[str, str], str]  # (YYMMDD, "birth" | "expiry") -> YYMMDD
    name: Callable[[str, str], tuple[str, str]]  # (surname, given names) -> the same, replaced


def is_line(text: str) -> bool:
    return len(text) in (30, 44) and "<" in text and all(c.isdigit() or "A" <= c <= "Z" or c == "<" for c in text)


def rewrite(lines: list[str], replace: Replacements) -> list[str] | None:
    """The lines of one MRZ rewritten, or None when they are not a TD1 or TD3 zone."""
    if len(lines) == 3 and all(len(line) == 30 for line in lines):
        return _td1(lines, replace)
    if len(lines) == 2 and all(len(line) == 44 for line in lines):
        return _td3(lines, replace)
    return None


def _fit(text: str, width: int) -> str:
    return text[:width].ljust(width, "<")


def _number(raw: str, width: int, replace: Replacements) -> str:
    plain = raw.rstrip("<")
    return _fit(replace.number(plain) if plain else "", width)


def _names(raw: str, width: int, replace: Replacements) -> str:
    surname, _, given = raw.partition("<<")
    new_surname, new_given = replace.name(surname.replace("<", " ").strip(), given.replace("<", " ").strip())
    text = new_surname.replace(" ", "<") + ("<<" + new_given.replace(" ", "<") if new_given else "")
    return _fit(text, width)


def _td1(lines: list[str], replace: Replacements) -> list[str]:
    one, two, three = lines
    optional = _number(one[15:30], 15, replace)  # a Vietnamese card: the 12-digit number, first
    number = _number(one[5:14], 9, replace)
    one_new = one[:5] + number + check_digit(number) + optional
    birth, expiry = replace.date(two[0:6], "birth"), replace.date(two[8:14], "expiry")
    optional2 = two[18:29]
    two_new = birth + check_digit(birth) + two[7] + expiry + check_digit(expiry) + two[15:18] + optional2
    composite = one_new[5:30] + two_new[0:7] + two_new[8:15] + two_new[18:29]
    return [one_new, two_new + check_digit(composite), _names(three, 30, replace)]


def _td3(lines: list[str], replace: Replacements) -> list[str]:
    one, two = lines
    one_new = one[:5] + _names(one[5:44], 39, replace)
    personal = _number(two[28:42], 14, replace)
    number = _number(two[0:9], 9, replace)
    birth, expiry = replace.date(two[13:19], "birth"), replace.date(two[21:27], "expiry")
    head = number + check_digit(number) + two[10:13] + birth + check_digit(birth) + two[20]
    head += expiry + check_digit(expiry) + personal + check_digit(personal)
    composite = head[0:10] + head[13:20] + head[21:43]
    return [one_new, head + check_digit(composite)]
