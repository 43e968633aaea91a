"""Keyed replacements: every replaced value is drawn from HMAC-SHA256(key, kind, original), so
one recording maps one person to one other person, two recordings with different keys share
nothing, and without the key a replacement cannot be checked against a guess.

What a replacement keeps of its original is only what a client's logic reads: a date keeps
its year (ages and age rules hold); a 12-digit number keeps its century-and-sex digit and the
two year digits (and gets a real province code); a name keeps its sex (THỊ, VĂN), its letter
case and whether it had diacritics; everything else is drawn fresh.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import re
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from mockserver.generation.divisions import province_codes
from mockserver.generation.people import ETHNICITIES, RELIGIONS, Pins, person_for, unaccent
from mockserver.generation.regions import plate_number
from mockserver.recording import pictures
from mockserver.recording.vocabulary import words_by_length

KEY_BYTES = 32
KEYED_DIGEST = "hmac-sha256:"  # how a cassette spells a keyed digest
# The opaque tokens a recording writes: keyed and plain image digests, digests, placeholders.
OWN_TOKEN = r"hmac-sha256:[0-9a-f]{32}|sha256:[0-9a-f]{64}|d[0-9a-f]{24}|k[0-9a-f]{12}"
MIN_KEY_BYTES = 16
T = TypeVar("T")
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATA_URI = re.compile(r"(data:[\w.+/-]+;base64,)(.*)", re.S)
_REDRAWS = 16
_SHORT = 200
_PHRASES = 20_000  # longer originals are images or documents whose words no place spells


class ScrubKeyError(ValueError):
    """A scrub key that is missing, unreadable or too short to be secret."""


def key_from(text: str | bytes, where: str) -> bytes:
    """A key from a file's or a variable's contents (surrounding blanks ignored)."""
    raw = text.strip() if isinstance(text, bytes) else text.strip().encode()
    if len(raw) < MIN_KEY_BYTES:
        raise ScrubKeyError(f"{where}: a scrub key needs at least {MIN_KEY_BYTES} bytes, got {len(raw)}")
    return raw


class Pseudonyms:
    """The replacements of one recording run; ``emitted`` holds every value they produced."""

    def __init__(self, key: bytes | None = None, kept_hosts: Iterable[str] = ()) -> None:
        self._key = key if key is not None else secrets.token_bytes(KEY_BYTES)
        self.kept_hosts = frozenset(h.lower() for h in kept_hosts)  # the vendor's documented hosts
        self._seen: dict[tuple[str, str], Any] = {}
        self._tails: dict[str, str] = {}  # a 12-digit original's last 9 digits -> its replacement
        self._originals: set[str] = set()  # every original seen, as _plain() spells it
        self._original_days: set[tuple[int, int, int]] = set()  # (day, month, year) of original dates
        self._original_phrases: set[str] = set()  # every run of up to six words of an original
        self.emitted: set[str] = set()

    def __repr__(self) -> str:  # the key never reaches a log
        return f"Pseudonyms({len(self._seen)} replacements)"

    # -- the keyed draw -------------------------------------------------------------------
    def rng(self, kind: str, original: str) -> random.Random:
        digest = hmac.new(self._key, f"{kind}\x00{original}".encode(), hashlib.sha256).digest()
        return random.Random(digest)

    def digest(self, original: str) -> str:
        """A stable, keyed stand-in for an opaque value (a URL's path, a token)."""
        return "d" + hmac.new(self._key, f"digest\x00{original}".encode(), hashlib.sha256).hexdigest()[:24]

    def image_digest(self, plain: str) -> str:
        """What a cassette keeps of an image (or an image URL): a keyed digest of its SHA-256,
        so that nobody without the key can confirm a guess of what it was."""
        mac = hmac.new(self._key, f"image\x00{plain}".encode(), hashlib.sha256).hexdigest()
        return self.emit(f"{KEYED_DIGEST}{mac[:32]}")

    def key_check(self) -> str:
        """A value that tells whether a replay holds this recording's key, and nothing of the key."""
        return hmac.new(self._key, b"cvs-testkit key check", hashlib.sha256).hexdigest()[:16]

    def avoid(self, originals: Iterable[str]) -> None:
        """Originals that no replacement may spell: in a file of several people drawn from one
        population, another person's real name must not come back as someone's pseudonym."""
        for text in originals:
            if len(text) <= _PHRASES:  # a place named inside free text counts too
                words = _WORDS.findall(_plain(text))
                for n in range(len(words)):
                    self._original_phrases.update(" ".join(words[n : n + k]) for k in range(1, 7))
            if len(text) > _SHORT:
                continue  # images and free text: no replacement of a field value can spell them
            self._originals.add(_plain(text))
            dmy, ymd = _DMY.fullmatch(text.strip()), _YMD.fullmatch(text.strip())
            if dmy is not None:
                self._original_days.add((int(dmy.group(1)), int(dmy.group(3)), int(dmy.group(4))))
            elif ymd is not None:
                self._original_days.add((int(ymd.group(3)), int(ymd.group(2)), int(ymd.group(1))))

    def spells_original(self, text: str) -> bool:
        return _plain(text) in self._originals

    def mentions_original(self, text: str) -> bool:
        """Whether the words of ``text`` stand together in an original (a province of an address)."""
        return " ".join(_WORDS.findall(_plain(text))) in self._original_phrases

    def remember(self, kind: str, original: str, make: Callable[[random.Random], T]) -> T:
        key = (kind, original)
        if key not in self._seen:
            r = self.rng(kind, original)
            drawn = make(r)
            for _ in range(_REDRAWS):  # the same keyed stream goes on, so the choice stays stable
                if not (isinstance(drawn, str) and self.spells_original(drawn)):
                    break
                drawn = make(r)
            self._seen[key] = drawn
        value: T = self._seen[key]
        return value

    def emit(self, value: str) -> str:
        self.emitted.add(value)
        return value

    # -- people ---------------------------------------------------------------------------
    def name(self, original: str) -> str:
        """Another name of the same sex that shares neither the family nor the given name."""
        plain = unaccent(original).upper().split()

        def make(r: random.Random) -> str:
            woman = "THI" in plain[1:]
            other = ""
            for _ in range(64):
                other = person_for(f"name:{r.random()}", Pins(female=woman)).name.upper()
                drawn = unaccent(other).split()
                # An MRZ's surname and given names stand alone: neither may spell an original
                # or a run of its words (the given names "Quang Trung" of a ward "Xã Quang Trung").
                apart = not {drawn[0], " ".join(drawn[1:])} & self._originals and not (
                    len(drawn) > 2 and self.mentions_original(" ".join(drawn[1:]))
                )
                if not plain or (drawn[0] != plain[0] and drawn[-1] != plain[-1] and apart):
                    break
            if len(plain) >= 2 and len(other.split()) < 2:
                other += " AN"
            return other

        found = self.remember("name", " ".join(plain), make)
        if unaccent(original) == original:
            found = unaccent(found)
        return self.emit(_same_case(original, found))

    def mrz_name(self, surname: str, given: str) -> tuple[str, str]:
        words = unaccent(self.name(f"{surname} {given}".strip())).upper().split()
        return words[0], " ".join(words[1:])

    def date(self, text: str) -> str:
        """Another day of the same year, in the same layout."""
        stripped = text.strip()
        dmy, ymd = _DMY.fullmatch(stripped), _YMD.fullmatch(stripped)
        if dmy is None and ymd is None:
            return self.text(text)
        if dmy is not None:
            day, sep, month, year = dmy.groups()
        else:
            assert ymd is not None
            year, month, day = ymd.groups()
            sep = "-"
        new_day, new_month = self._day(int(day), int(month), int(year))
        d, m = f"{new_day:0{len(day)}d}", f"{new_month:0{len(month)}d}"
        return self.emit(f"{d}{sep}{m}{sep}{year}" if dmy is not None else f"{year}-{m}-{d}")

    def _day(self, day: int, month: int, year: int) -> tuple[int, int]:
        def make(r: random.Random) -> tuple[int, int]:
            for _ in range(_REDRAWS):  # not another original's day, when one can help it
                drawn = (day, month)
                while drawn == (day, month):  # never the original day
                    drawn = (r.randint(1, 28), r.randint(1, 12))
                if (*drawn, year) not in self._original_days:
                    break
            return drawn

        return self.remember("date", f"{day}.{month}.{year}", make)

    def mrz_date(self, yymmdd: str, role: str, birthday: tuple[tuple[int, int], tuple[int, int]] | None = None) -> str:
        """A YYMMDD date replaced as :meth:`date` would; an expiry on the birthday stays on the
        replaced birthday (``birthday`` is the original and the replaced (day, month))."""
        if not yymmdd.isdigit():
            return yymmdd
        yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
        if birthday is not None and role == "expiry" and birthday[0] == (day, month):
            new_day, new_month = birthday[1]
        else:
            year = (1900 if role == "birth" and yy > 30 else 2000) + yy
            new_day, new_month = self._day(day, month, year)
        return self.emit(f"{yy:02d}{new_month:02d}{new_day:02d}")

    def number(self, text: str) -> str:
        """An identity, passport or document number of the same layout."""
        digits = re.sub(r"\D", "", text)
        if re.fullmatch(r"[A-Z]\d{7,8}", text.strip()):
            return self.emit(self.remember("passport", text.strip(), lambda r: _passport(r, len(text.strip()) - 1)))
        if len(digits) == 9:  # a chip back's 9 digits are the tail of the card's 12
            tail = self._tails.get(digits)
            if tail is not None:
                return self.emit(_into(text, tail[-9:]))
        if not digits:
            return self.text(text)
        if len(digits) == 12:
            drawn = self.remember("number12", digits, lambda r: _citizen_number(r, digits))
            self._tails.setdefault(digits[-9:], drawn)
        else:
            drawn = self.remember("number", digits, lambda r: "".join(str(r.randint(0, 9)) for _ in digits))
        r = self.rng("letters", text)
        return self.emit(re.sub(r"[A-Za-z]", lambda m: r.choice("ABCDEGHKLMNPSTUV"), _into(text, drawn)))

    def phone(self, text: str) -> str:
        def make(r: random.Random) -> str:
            return "0" + r.choice("35789") + "".join(str(r.randint(0, 9)) for _ in range(8))

        drawn = self.remember("phone", re.sub(r"\D", "", text)[-9:], make)
        digits = re.sub(r"\D", "", text)
        tail = drawn[-len(digits) :] if len(digits) <= len(drawn) else drawn
        if text.strip().startswith("+84"):
            tail = "84" + drawn[1:]
        return self.emit(_into(text, tail.rjust(len(digits), "0")[-len(digits) :]))

    def email(self, text: str) -> str:
        return self.emit(
            self.remember("email", text.lower(), lambda r: f"khachhang{r.randint(1000, 9999)}@example.com")
        )

    def plate(self, text: str) -> str:
        motorbike = "-" in text[:3] and " " in text
        return self.emit(self.remember("plate", text, lambda r: plate_number(r, motorbike=motorbike)))

    def choice(self, kind: str, text: str) -> str:
        table = {"ethnicity": ETHNICITIES, "religion": RELIGIONS, "nationality": ("Việt Nam",)}[kind]
        return self.emit(_same_case(text, self.remember(kind, text, lambda r: r.choice(table))))

    # -- media ----------------------------------------------------------------------------
    def url(self, text: str) -> str:
        """The scheme kept, and the host and port when the host is one of the vendor's; any
        other host becomes a keyed name under ``.invalid`` (the same host, the same name). The
        path, the query's names and values become digests (a file extension stays); user,
        password and fragment are dropped."""
        try:
            parts = urlsplit(text.strip())
            host = (parts.hostname or "").lower()
            port = f":{parts.port}" if parts.port else ""
        except ValueError:
            return self.emit(self.digest(text))
        if parts.scheme.lower() not in ("http", "https") or not host:
            return self.emit(self.digest(text))
        if host.rstrip(".") not in self.kept_hosts:
            host, port = f"h{self.digest(host)[1:11]}.invalid", ""
        path = parts.path
        extension = re.search(r"\.(png|jpe?g|gif|webp|bmp|pdf|xml|tiff?)$", path, re.IGNORECASE)
        new_path = f"/{self.digest(path)}{extension.group() if extension else ''}" if path.strip("/") else path
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = urlencode([(self.digest(k)[:9], self.digest(v)) for k, v in pairs])
        return self.emit(f"{parts.scheme.lower()}://{host}{port}{quote(new_path)}" + (f"?{query}" if query else ""))

    def image(self, text: str) -> str:
        """A base64 image (or a ``data:`` URI) replaced by a drawn one of the same size and
        format; bytes that are no image by random bytes of the same length."""
        prefix, payload = "", text
        found = _DATA_URI.fullmatch(text)
        if found is not None:
            prefix, payload = found.groups()
        try:
            raw = base64.b64decode("".join(payload.split()), validate=False)
        except ValueError:
            raw = payload.encode()

        def make(r: random.Random) -> str:
            shape = pictures.measure(raw)
            drawn = pictures.replacement(*shape, r) if shape is not None else r.randbytes(len(raw))
            return base64.b64encode(drawn).decode()

        original = hashlib.sha256(raw).hexdigest()
        return self.emit(prefix + self.remember("image", original, make))

    # -- text -----------------------------------------------------------------------------
    def words(self, text: str) -> str:
        """Every word and digit of a text replaced by ordinary words of about the same length
        and random digits; spacing, punctuation and the line count stay."""
        r = self.rng("text", text)
        table = words_by_length()

        def word(match: re.Match[str]) -> str:
            original = match.group()
            length = min(table, key=lambda n: (abs(n - len(original)), n))
            return _same_case(original, r.choice(table[length]))

        replaced = re.sub(r"[^\W\d_]+", word, text)
        return re.sub(r"\d", lambda m: str(r.randint(0, 9)), replaced)

    def text(self, text: str) -> str:
        return self.emit(self.remember("words", text, lambda r: self.words(text)))


def _same_case(original: str, drawn: str) -> str:
    letters = [c for c in original if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return drawn.upper()
    if letters and all(c.islower() for c in letters):
        return drawn.lower()
    if letters:
        return " ".join(w[:1].upper() + w[1:].lower() for w in drawn.split(" "))
    return drawn


_WORDS = re.compile(r"[^\W_]+")


def _plain(text: str) -> str:
    return " ".join(unaccent(text).upper().split())


def _into(layout: str, digits: str) -> str:
    """``digits`` written into the digit positions of ``layout`` (its spaces and dots kept)."""
    feed = iter(digits)
    return re.sub(r"\d", lambda m: next(feed, "0"), layout)


def _citizen_number(r: random.Random, digits: str) -> str:
    codes = sorted(province_codes())
    return f"0{r.choice(codes)}{digits[3]}{digits[4:6]}{r.randrange(10**6):06d}"


def _passport(r: random.Random, digits: int) -> str:
    return r.choice("BCN") + "".join(str(r.randint(0, 9)) for _ in range(digits))
