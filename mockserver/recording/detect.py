"""Find what looks like a person's data in a text: identity and passport numbers, dates,
Vietnamese full names (any case, with or without diacritics), phones, e-mails, MRZ lines,
the tokens of presigned URLs and embedded images.

The scrubber uses it to choose the shape of a replacement it makes in any case; the leak
check's stricter detector (:mod:`.suspects`) builds on its patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mockserver.generation.people import unaccent
from mockserver.recording.vocabulary import name_syllables, surnames

KINDS = {
    "image": "an embedded image",
    "url_token": "a presigned-URL token",
    "email": "an e-mail address",
    "mrz": "an MRZ line",
    "date": "a date (of birth?)",
    "phone": "a phone number",
    "id12": "a 12-digit identity number",
    "id9": "a 9-digit identity number",
    "passport": "a passport number",
    "name": "a Vietnamese full name",
}
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
PATTERNS = {  # in order of precedence: an earlier kind's span hides a later one's
    "image": re.compile(r"data:image/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+|[A-Za-z0-9+/]{200,}={0,2}"),
    "url_token": re.compile(
        r"(?i)[?&;](?:x-amz-[a-z-]+|x-goog-[a-z-]+|signature|sig|token|access_token|credential|policy|"
        r"key-pair-id|awsaccesskeyid|googleaccessid|se|sp|sv|sr|skoid|sktid)=([^&#\s\"']+)"
    ),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "mrz": re.compile(r"(?<![A-Z0-9<])(?=[A-Z0-9<]*<)[A-Z0-9<]{30}(?:[A-Z0-9<]{6}|[A-Z0-9<]{14})?(?![A-Z0-9<])"),
    "date": re.compile(r"(?<!\d)(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}|(?:19|20)\d{2}-\d{1,2}-\d{1,2})(?!\d)"),
    "phone": re.compile(r"(?<![\d+])(?:\+84[ .-]?|0)[35789]\d(?:[ .-]?\d){7}(?!\d)"),
    "id12": re.compile(_EDGE_BEFORE + r"\d{12}" + _EDGE_AFTER),
    "id9": re.compile(_EDGE_BEFORE + r"\d{9}" + _EDGE_AFTER),
    "passport": re.compile(_EDGE_BEFORE + r"[A-Z]\d{7,8}" + _EDGE_AFTER),
}
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[ \t]+")  # the words of one name stand on one line


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def what(self) -> str:
        return KINDS[self.kind]


def findings(text: str) -> list[Finding]:
    """Every span of ``text`` that looks personal, without overlaps, in order."""
    taken: list[Finding] = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            group = 1 if kind == "url_token" else 0
            start, end = match.span(group)
            if not any(start < f.end and f.start < end for f in taken):
                taken.append(Finding(kind, start, end, text[start:end]))
    for start, end in vocabulary_names(text):
        if not any(start < f.end and f.start < end for f in taken):
            taken.append(Finding("name", start, end, text[start:end]))
    return sorted(taken, key=lambda f: f.start)


def whole(text: str) -> str | None:
    """The kind of ``text`` when one finding covers all of it (surrounding blanks aside)."""
    stripped = text.strip()
    found = findings(stripped)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0].kind
    return None


def vocabulary_names(text: str, gap: re.Pattern[str] = _GAP) -> Iterator[tuple[int, int]]:
    """Spans of a family name followed by name syllables, each ``gap`` apart: two or more in
    any case, or one when both words are capitalised (``Lê Anh``; ``lê anh`` is too often
    something else)."""
    words = list(_WORD.finditer(text))
    family, given = surnames(), name_syllables()
    n = 0
    while n < len(words):
        first = words[n]
        if unaccent(first.group()).upper() not in family:
            n += 1
            continue
        last = n
        while last + 1 < len(words) and last - n < 4:
            nxt = words[last + 1]
            between = text[words[last].end() : nxt.start()]
            if not gap.fullmatch(between) or unaccent(nxt.group()).upper() not in given:
                break
            last += 1
        count = last - n
        capitalised = all(w.group()[0].isupper() for w in words[n : last + 1])
        if count >= 2 or (count == 1 and capitalised):
            yield first.start(), words[last].end()
            n = last + 1
        else:
            n += 1
