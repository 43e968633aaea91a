"""The leak check's detector: what in a text could be a person's data, however it is spelled.

Unlike :mod:`.detect` (which only chooses the shape of a replacement the scrubber makes in any
case), this one decides whether a cassette is safe to commit, so it errs towards finding. One job,
held whole here so every rule is read beside the others: finding. A text
is first brought to one spelling — HTML entities, ``\\uXXXX`` escapes and percent-encoding
undone to a fixed point, NFKC, zero-width characters dropped — and the recorder's own opaque
tokens (digests, keyed placeholders, UUIDs, base64 and hex runs) are masked, so their digits are
never read as numbers. Then it looks for:

- numbers in any grouping (``285 123 456``, ``(028) 3823 4567``), classified by their digits:
  cards by Luhn, the 12-digit identity number by its province and century digit, phones,
  compact dates, and any other run of seven or more digits (an account, a tax or insurance
  number);
- passports, vehicle plates, MRZ lines, e-mail addresses also when written ``[at]``/``dot``;
- dates in figures, in Vietnamese words (``ngày 05 tháng 07 năm 2001``) and in English;
- addresses: a house number before a street word, a village or ward and its name;
- names: a Vietnamese family name before name syllables; a run of capitalised words that are
  all Vietnamese syllables; a run around a middle name (``Thị``, ``Văn``); a run after a label
  (``Họ và tên:``, ``KH``, ``Mr``); a foreign first name before a capitalised word; and any
  run of capitalised words in a field whose key names a person.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from functools import cache, lru_cache
from urllib.parse import unquote

from mockserver.generation.people import unaccent
from mockserver.recording import detect
from mockserver.recording.detect import Finding
from mockserver.recording.pseudonyms import OWN_TOKEN

TEXT_MAX = 1_000_000  # longer values are not searched: reported as too long to check
KINDS = {
    **detect.KINDS,
    "card": "a payment card number",
    "number": "a long number (an account, tax or insurance number?)",
    "plate": "a vehicle plate",
    "address": "an address",
    "oversize": "a value too long to check",
}

# -- spelling ----------------------------------------------------------------------------------
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
_U_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_X_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def normalise(text: str) -> str:
    """``text`` in one spelling: entities, escapes and percent-encoding undone until nothing
    changes (double encoding included), then NFKC without zero-width characters."""
    for _ in range(8):
        before = text
        text = html.unescape(text)
        text = _U_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        text = _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        if _SURROGATE.search(text):  # an escaped pair: joined, and a lone half dropped
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if "%" in text:
            text = unquote(text, errors="replace")
        if text == before:
            break
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH)


class _Plain(dict[int, str]):
    """A translation table that works out each character's plain form once."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        self[code] = (unaccent(char) or char)[:1]
        return self[code]


_PLAIN = _Plain()


def plain(text: str) -> str:
    """``text`` without diacritics, one character for each (so spans stay where they were)."""
    return text.translate(_PLAIN)


def fold(text: str) -> str:
    """A form to compare by: one spelling, no diacritics, any case, letters and digits only."""
    return "".join(c for c in plain(normalise(text)).casefold() if c.isalnum())


# -- opaque tokens, masked before anything is looked for ----------------------------------------
_EDGE, _END = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_OPAQUE = re.compile(
    "|".join(
        (
            r"(?:hmac-)?sha\d{3}:[0-9a-f]{16,}",  # image digests
            _EDGE + r"[dk][0-9a-f]{12,24}" + _END,  # keyed digests and placeholders
            _EDGE + r"h[0-9a-f]{10}\.invalid",  # keyed hosts
            _EDGE + r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",  # timestamps
            r"(?i:" + _EDGE + r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}" + _END + ")",
            _EDGE + r"(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]{16,}" + _END,  # hex runs
        )
    )
)
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{16,}={0,2}")
_MASK = "#"
_ONLY_OPAQUE = re.compile(rf"(?:\s*(?:{OWN_TOKEN}))+\s*")
_LONG_IMAGE = re.compile(r"\s*(?:data:image/[\w.+-]+;base64,)?[A-Za-z0-9+/=\r\n]+\s*")  # lines, no spaces


def _masked(text: str) -> tuple[str, list[str]]:
    """``text`` with opaque tokens masked, and the texts hidden in base64 runs (a base64 that
    decodes to text is searched as text)."""
    hidden: list[str] = []

    def base64_run(match: re.Match[str]) -> str:
        token = match.group()
        if not any(c.isdigit() for c in token) and len(token) < 24:
            return token  # a word in camel case, not an encoding
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            decoded = ""
        if decoded and decoded.isprintable():
            hidden.append(decoded)
        return _MASK * len(token)

    text = _OPAQUE.sub(lambda m: _MASK * len(m.group()), text)
    return _BASE64.sub(base64_run, text), hidden


# -- numbers -----------------------------------------------------------------------------------
_GROUPED = re.compile(r"(?<![\w.,/:-])\+?(?:\(\d{1,4}\)[ .-]?)?\d+(?:[ .-]\d{2,})*(?![\w])")
_DECIMAL = re.compile(r"\d+\.\d+")
_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_ID_PROVINCES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036
    037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075
    077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)


def luhn(digits: str) -> bool:
    total = 0
    for n, c in enumerate(reversed(digits)):
        d = int(c) * (2 if n % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _compact_date(digits: str) -> bool:
    for y, m, d in ((digits[:4], digits[4:6], digits[6:]), (digits[4:], digits[2:4], digits[:2])):
        if y[:2] in ("19", "20"):
            try:
                date(int(y), int(m), int(d))
            except ValueError:
                continue
            return True
    return False


def number_kind(written: str) -> str | None:
    """The kind of a number as written (with its grouping), or None when it is too short to be
    anyone's: a decimal, an address, a few digits."""
    if _IP.fullmatch(written) or (_DECIMAL.fullmatch(written) and len(written.split(".")[1]) != 3):
        return None
    digits = "".join(c for c in written if c.isdigit())
    n = len(digits)
    if n == 8 and _compact_date(digits):
        return "date"
    if (digits.startswith("0") and n == 10 and digits[1] in "35789") or (digits.startswith("02") and n == 11):
        return "phone"
    if digits.startswith("84") and n == 11 and digits[2] in "35789":
        return "phone"
    if 15 <= n <= 19 and luhn(digits):
        return "card"
    if n == 12:
        return "id12" if digits[:3] in _ID_PROVINCES and digits[3] in "0123" else "number"
    if n == 9:
        return "id9"
    return "number" if n >= 7 else None


# -- other shapes ------------------------------------------------------------------------------
_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_YEAR = r"(?:19|20)\d{2}"
_DATES = (
    r"(?:ng[aà]y\s*)?\d{1,2}\s*th[aá]ng\s*\d{1,2}\s*(?:n[aă]m|,)?\s*" + _YEAR,  # ngày 05 tháng 07 năm 2001
    _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+" + _YEAR,  # July 5, 2001
    r"\d{1,2}(?:st|nd|rd|th)?[\s-]+" + _MONTHS + r"\.?,?[\s-]+" + _YEAR,  # 5 July 2001, 05-Jul-2001
    r"(?<!\d)" + _YEAR + r"/\d{1,2}/\d{1,2}(?!\d)",  # 2001/07/05
)
_SHAPES: dict[str, re.Pattern[str]] = {
    "plate": re.compile(_EDGE + r"\d{2}-?[A-Z]{1,2}\d?[- .]?\d{3}\.?\d{1,2}" + _END),
    "passport": re.compile(_EDGE + r"[A-Z]{1,2}\d{7,8}" + _END),
    "email": re.compile(
        r"(?i)[a-z0-9._%+-]+\s*(?:[\[({<]\s*(?:at|@|a còng)\s*[\])}>]|\s(?:at|a còng)\s|@)\s*[a-z0-9-]+"
        r"(?:\s*(?:[\[({<]\s*(?:dot|chấm|\.)\s*[\])}>]|\s(?:dot|chấm)\s|\.)\s*[a-z0-9-]+)*?"
        r"\s*(?:[\[({<]\s*(?:dot|chấm|\.)\s*[\])}>]|\s(?:dot|chấm)\s|\.)\s*"
        r"(?:com|net|org|vn|edu|gov|io|info|biz|co|me|us|uk)\b"
    ),
    "date": re.compile("(?i)" + "|".join(_DATES)),
    "address": re.compile(
        r"(?i:(?<!\w)(?:số nhà|số|so nha|so|sn|nhà|nha|no\.?|#)\s*)\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*"
        r"\s*,?\s*(?i:đường|duong|phố|pho|ngõ|ngo|ngách|ngach|hẻm|hem|kiệt|kiet|tổ|to|thôn|thon|xóm|xom|ấp|ap"
        r"|khu|kp|street|st\.?|road|rd\.?)\b(?:[ \t]+[\w/]+)?"
        r"|" + _EDGE + r"\d+[A-Za-z]?(?:/\d+)*\s+(?i:đường|duong|phố|pho|ngõ|ngo|hẻm|hem|kiệt|kiet|street|road)\s+\w"
        r"|(?<!\w)(?i:thôn|thon|xóm|xom|ấp|buôn|buon|làng|khu phố|tổ dân phố|tdp|phường|phuong|xã|xa|thị trấn"
        r"|thi tran|quận|quan|huyện|huyen|thị xã|thi xa|tỉnh|tinh|tp\.|p\.|q\.)\s+(?!H[OỘoộ][Ii]\b)[A-ZĐ0-9][\w']*"
        r"(?:[ \t]+[A-ZĐ0-9][\w']*)*"
    ),
}

# -- names -------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_GAP = re.compile(r"[ \t_+]+|[ \t]*-[ \t]*")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
    r"(?:[aeiouy]{1,3})(?:ch|ng|nh|c|m|n|p|t)?"
)
_MIDDLE = frozenset({"THI", "VAN"})
HIGHLANDS = """Ksor Siu Rmah Rahlan Niê Êban Ayun Nay Kpă Byă Mlô Hđơk Adrơng Knul Bkrông Rơchơm Puih Alô Hwing
Kbuôr Êban Êya Buôn Ya Mdrang Ktla Liêng Hót Kơsơr Rơ Ông Bhnướch""".split()  # Ede, Jarai, Bahnar, K'Ho
_LABEL = re.compile(
    r"(?i)(?<!\w)(?:họ và tên|họ tên|ho va ten|ho ten|tên|ten|full name|name|khách hàng|khach hang|kh|chủ thẻ|chu the"
    r"|người nhận|nguoi nhan|ông|ong|bà|ba|anh|chị|chi|mr|mrs|ms|miss|dr)\.?\s*[:\-]?\s*$"
)
_PERSON_KEY = re.compile(
    r"name|ten|hoten|holder|owner|customer|khachhang|client|nguoi|chuthe|surname|given|fullname|person|signer|beneficiary"
)
HEADINGS = """
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ĐỘC LẬP TỰ DO HẠNH PHÚC CĂN CƯỚC CÔNG DÂN CHỨNG MINH NHÂN GIẤY
PHÉP LÁI XE HỘ CHIẾU BẢO HIỂM Y TẾ XÃ HỘI ĐĂNG KÝ KINH DOANH DOANH NGHIỆP SỐ HỌ VÀ TÊN NGÀY SINH
GIỚI TÍNH NAM NỮ QUỐC TỊCH QUÊ QUÁN NƠI THƯỜNG TRÚ CÓ GIÁ TRỊ ĐẾN ĐẶC ĐIỂM NHÂN DẠNG BỘ CÔNG AN
CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ GIAO THÔNG VẬN TẢI SỞ KẾ HOẠCH ĐẦU TƯ THÀNH PHỐ TỈNH
HÀ NỘI HỒ CHÍ MINH ĐÀ NẴNG HẢI PHÒNG CẦN THƠ NGÂN HÀNG THƯƠNG MẠI CỔ PHẦN CÔNG TY TNHH
""".split()


@cache
def _highlands() -> frozenset[str]:
    return frozenset(plain(w).upper() for w in HIGHLANDS)


@cache
def _surnames_as_written() -> frozenset[str]:
    """Family names with their diacritics, lower case: ``không`` is a word, ``Khổng`` a name."""
    from faker.providers.person.vi_VN import Provider

    from mockserver.recording.vocabulary import SURNAMES

    return frozenset(w.lower() for w in (*SURNAMES, *Provider.last_names))


@cache
def _headings() -> frozenset[str]:
    return frozenset(plain(w).upper() for w in HEADINGS)


FOREIGN_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT")


@cache
def _foreign_names() -> tuple[frozenset[str], frozenset[str]]:
    """First and family names of the countries whose passports a Vietnamese bank sees most."""
    import importlib

    first: set[str] = set()
    family: set[str] = set()
    for locale in FOREIGN_LOCALES:
        tables = importlib.import_module(f"faker.providers.person.{locale}").Provider
        first |= {plain(n).upper() for n in (*tables.first_names_male, *tables.first_names_female)}
        family |= {plain(n).upper() for n in tables.last_names}
    return frozenset(first), frozenset(family)


def _foreign(words: list[str]) -> bool:
    """A first name before a family name (``Maria Garcia``), or two first names."""
    first, family = _foreign_names()
    return any(a in first and (b in family or b in first) for a, b in zip(words, words[1:], strict=False))


def _runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Maximal runs of capitalised words that stand on one line, one gap apart."""
    run: list[re.Match[str]] = []
    for word in _WORD.finditer(text):
        capital = word.group()[0].isupper()
        if run and capital and _GAP.fullmatch(text[run[-1].end() : word.start()]) and len(run) < 6:
            run.append(word)
            continue
        if len(run) >= 2:
            yield run
        run = [word] if capital else []
    if len(run) >= 2:
        yield run


def _syllable(word: str) -> bool:
    if "'" in word or plain(word).upper() in _highlands():  # H'Hen, Ksor: the Central Highlands
        return True
    return _SYLLABLE.fullmatch(plain(word).lower()) is not None


def _syllable_run(run: list[re.Match[str]]) -> tuple[int, int] | None:
    """The longest stretch of two or more words of ``run`` that are all Vietnamese syllables,
    one of them written with its diacritics (``Y Phôn``; ``Can Not`` is English)."""
    best: tuple[int, int] | None = None
    n = 0
    while n < len(run):
        last = n
        while last < len(run) and _syllable(run[last].group()):
            last += 1
        stretch = run[n:last]
        if len(stretch) >= 2 and any(w.group() != plain(w.group()) or "'" in w.group() for w in stretch):
            if best is None or stretch[-1].end() - stretch[0].start() > best[1] - best[0]:
                best = (stretch[0].start(), stretch[-1].end())
        n = last + 1
    return best


def _vocabulary_runs(text: str) -> Iterator[tuple[int, int]]:
    """A family name before name syllables (:func:`.detect.vocabulary_names`), except a run
    whose first word, with its diacritics, is an ordinary word (``Định dạng``, ``không``)."""
    for start, end in detect.vocabulary_names(text, _GAP):
        span = text[start:end]
        first = _WORD.match(span)
        word = first.group() if first else ""
        if word != plain(word) and word.lower() not in _surnames_as_written():
            continue
        yield start, end


def _name_runs(text: str, person_key: bool) -> Iterator[tuple[int, int]]:
    for run in _runs(text):
        words = [plain(w.group()).upper() for w in run]
        start, end = run[0].start(), run[-1].end()
        if person_key:
            yield start, end
        elif all(w in _headings() for w in words):
            continue
        elif any(w in _MIDDLE for w in words[1:-1]) and any(w.group() != plain(w.group()) for w in run):
            yield start, end
        elif (span := _syllable_run(run)) is not None:
            yield span
        elif any(w in _MIDDLE for w in words[1:-1]) or _foreign(words):
            yield start, end
        elif _LABEL.search(text[: run[0].start()]):
            yield start, end
        elif len(run) >= 3 and _LABEL.fullmatch(run[0].group()):  # Mr David Miller
            yield run[1].start(), end


def _person_key(key: str) -> bool:
    squeezed = "".join(c for c in plain(key).lower() if c.isalpha())
    return bool(squeezed) and _PERSON_KEY.search(squeezed) is not None


# -- the detector --------------------------------------------------------------------------------
_DIGIT = re.compile(r"\d")
_MAY_HOLD = re.compile(r"[^\x00-\x7f]|[A-Z@%&\\(\[{<]|[a-z][ \t_+]+[a-z]")


def findings(text: str, key: str = "") -> list[Finding]:
    """Every span of ``text`` (in its normal spelling, :func:`normalise`) that could be a
    person's data, without overlaps; ``key`` is the field it stands in, when known."""
    if len(text) > 4096:
        return _findings(text, key)
    return list(_remembered(text, key))  # a recording repeats its texts: images sent again


@lru_cache(maxsize=8192)
def _remembered(text: str, key: str) -> tuple[Finding, ...]:
    return tuple(_findings(text, key))


def _findings(text: str, key: str) -> list[Finding]:
    if len(text) < 256 and not _MAY_HOLD.search(text) and len(_DIGIT.findall(text)) < 6:
        return []  # one plain lower-case word or a short number: no shape above can match
    if len(text) < 256 and _ONLY_OPAQUE.fullmatch(text):
        return []  # digests and placeholders, one or several
    if len(text) >= 200 and _LONG_IMAGE.fullmatch(text):
        return [Finding("image", 0, len(text), text)]  # an image, or anything hidden as one
    if len(text) > TEXT_MAX:
        return [Finding("oversize", 0, 0, "")]
    spelled = normalise(text)
    masked, hidden = _masked(spelled)
    person = text != key and _person_key(key)  # a key is not its own field's value
    taken: list[Finding] = []

    def take(kind: str, start: int, end: int) -> None:
        if end > start and not any(start < f.end and f.start < end for f in taken):
            taken.append(Finding(kind, start, end, spelled[start:end]))

    for kind in ("image", "url_token", "mrz"):
        for match in detect.PATTERNS[kind].finditer(spelled):
            group = 1 if kind == "url_token" else 0
            take(kind, *match.span(group))
    for kind, pattern in _SHAPES.items():
        for match in pattern.finditer(masked):
            take(kind, *match.span())
    for match in detect.PATTERNS["date"].finditer(masked):
        take("date", *match.span())
    for match in _GROUPED.finditer(masked):
        found = number_kind(match.group().lstrip("+"))
        if found is not None:
            take(found, *match.span())
    for start, end in _vocabulary_runs(masked):
        if not all(plain(w).upper() in _headings() for w in _WORD.findall(masked[start:end])):
            take("name", start, end)
    for start, end in _name_runs(masked, person):
        take("name", start, end)
    if person and not taken and len(_WORD.findall(masked)) >= 2:
        take("name", 0, len(spelled))  # a name field's words, in any case
    hits = sorted(taken, key=lambda f: f.start)
    for inner in hidden:
        hits += [Finding(f.kind, 0, 0, f.text) for f in _findings(inner, key)]
    return hits
