"""Scrub personal data out of recorded requests and answers, by default-deny.

Every string is replaced unless the contract says it carries no personal data
(``contracts/privacy.json``: codes, messages, type names, flags, confidences, boxes, and
values a schema enumerates) and it does not look personal anyway. What the contract does not
describe — a field it does not declare, a non-JSON body — is replaced or dropped, never kept,
and listed in ``undocumented``. A path given in ``keep`` (``--scrub-keep``) is kept verbatim.

Replacements keep the structure a client parses: URLs their scheme and host, text its lines
and rough length, MRZ lines valid check digits, images their size and format; one ``Scrubber``
maps one person to one other person throughout a recording (:mod:`.pseudonyms`).
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mockserver.contract.privacy import Privacy, load_privacy
from mockserver.generation.divisions import Place, random_place
from mockserver.generation.people import parse_date, unaccent
from mockserver.recording import detect, mrz
from mockserver.recording.pseudonyms import Pseudonyms

_OWN_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_URL = re.compile(r"https?://[^\s\"'<>]+")
PLACE_PREFIXES = ("address", "hometown", "regis_place")


@dataclass
class Scrubber:
    """The scrubbing of one recording run.

    ``key`` makes the pseudonyms of several runs agree (none: a fresh random key, so this run
    is consistent and no other run matches it); ``keep`` lists JSON-pointer patterns (``*``
    matches one step) whose values are kept verbatim.
    """

    key: bytes | None = field(default=None, repr=False)
    keep: Sequence[str] = ()
    privacy: Privacy = field(default_factory=load_privacy, repr=False)
    undocumented: list[str] = field(default_factory=list)  # "<where> <pointer>" of what the contract does not describe
    kept: list[str] = field(default_factory=list)  # "<where> <pointer>" kept because ``keep`` says so

    def __post_init__(self) -> None:
        self.pseudonyms = Pseudonyms(self.key)
        self._zones: dict[str, str] = {}
        self._where = ""

    @property
    def emitted(self) -> set[str]:
        """Every replacement value this scrubber wrote."""
        return self.pseudonyms.emitted

    # -- entry points ----------------------------------------------------------------------
    def answer(self, body: Any, schema: str | None = None, where: str = "") -> Any:
        """A scrubbed copy of one JSON answer (or request body); ``schema`` names the contract's
        schema for it, when known, and ``where`` prefixes what is listed."""
        self._where = where
        self._prepare(body)
        return self._walk(body, "", "", self.privacy.fields_of(schema))

    def query(self, pairs: Sequence[tuple[str, str]], where: str = "") -> list[tuple[str, str]]:
        """A request's query: enum values and integers of documented parameters kept, URLs
        scrubbed as URLs, every other value a keyed digest."""
        self._where = where
        out = []
        for name, value in pairs:
            spec = self.privacy.parameters.get(name)
            shown = name if spec is not None else self._key(name)
            if spec is None:
                self._note(f"?{shown}")
            if spec is not None and (value in spec.enum or (spec.integer and value.isdigit())):
                out.append((shown, value))
            elif (spec is not None and spec.url) or value.startswith(("http://", "https://")):
                out.append((shown, self.pseudonyms.url(value)))
            else:
                out.append((shown, self.pseudonyms.emit(self.pseudonyms.digest(value))))
        return out

    def opaque(self, raw: bytes, content_type: str, where: str = "") -> str:
        """What is kept of a body that is not JSON: its size and type, nothing of its content."""
        self._where = where
        self._note("(non-JSON body)")
        return f"[a {len(raw)}-byte {content_type or 'untyped'} body, dropped: the contract does not describe it]"

    # -- bookkeeping -----------------------------------------------------------------------
    def _note(self, pointer: str) -> None:
        entry = f"{self._where} {pointer}".strip()
        if entry not in self.undocumented:
            self.undocumented.append(entry)

    def _user_keeps(self, pointer: str) -> bool:
        if not self.keep:  # the usual case: nothing is kept, and every node asks
            return False
        steps = pointer.strip("/").split("/")
        for pattern in self.keep:
            wanted = pattern.strip("/").split("/")
            if len(wanted) == len(steps) and all(fnmatch.fnmatchcase(s, w) for s, w in zip(steps, wanted, strict=True)):
                entry = f"{self._where} {pointer}".strip()
                if entry not in self.kept:
                    self.kept.append(entry)
                return True
        return False

    def _prepare(self, body: Any) -> None:
        """Numbers and MRZ zones first: a chip back's 9 digits follow the card's 12, and an MRZ
        agrees with the fields beside it whichever comes first in the answer."""
        texts = list(_strings(body))
        self.pseudonyms.avoid(texts)
        for text in texts:
            for found in detect.PATTERNS["id12"].finditer(text):
                self.pseudonyms.number(found.group())
        lines = [line for text in texts for line in text.splitlines() if mrz.is_line(line.strip())]
        for zone in _zones([line.strip() for line in lines]):
            if zone[0] in self._zones:
                continue
            rewritten = mrz.rewrite(zone, self._mrz_replacements()) or [self._generic_mrz(z) for z in zone]
            for old, new in zip(zone, rewritten, strict=True):
                self._zones[old] = self.pseudonyms.emit(new)

    def _mrz_replacements(self) -> mrz.Replacements:
        birth: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}

        def date(yymmdd: str, role: str) -> str:
            new = self.pseudonyms.mrz_date(yymmdd, role, birth.get("day"))
            if role == "birth" and yymmdd.isdigit():
                birth["day"] = ((int(yymmdd[4:]), int(yymmdd[2:4])), (int(new[4:]), int(new[2:4])))
            return new

        return mrz.Replacements(number=self.pseudonyms.number, date=date, name=self.pseudonyms.mrz_name)

    def _generic_mrz(self, line: str) -> str:
        r = self.pseudonyms.rng("mrz", line)
        letters = "ABCDEHKLMNPT"
        return "".join("<" if c == "<" else str(r.randint(0, 9)) if c.isdigit() else r.choice(letters) for c in line)

    # -- the walk ----------------------------------------------------------------------------
    def _walk(self, node: Any, pointer: str, key: str, fields: frozenset[str]) -> Any:
        if pointer and self._user_keeps(pointer):
            return node
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for name, value in node.items():
                shown = name if name in fields else self._key(name)
                child = f"{pointer}/{_escape(shown)}"
                if name in self.privacy.caller_objects:
                    out[name] = self._unknown(value, child)  # a caller's own keys: none is kept
                elif name not in fields and not name.isdigit():
                    if not self._user_keeps(child):  # kept on request: not listed as replaced
                        self._note(child)
                    out[shown] = self._unknown(value, child)
                elif name == "info" and isinstance(value, dict):
                    out[name] = self._info(value, child, fields)
                else:
                    out[name] = self._walk(value, child, name, fields)
            return out
        if isinstance(node, list):
            return [self._walk(item, f"{pointer}/{n}", key, fields) for n, item in enumerate(node)]
        if isinstance(node, str):
            return self._string(key, node)
        if isinstance(node, int) and not isinstance(node, bool) and detect.findings(str(node)):
            self.pseudonyms.emit(str(node))  # a documented number (an image id): known to the leak check
        return node  # numbers, booleans and null of documented fields: confidences, boxes, counts

    def _info(self, info: dict[str, Any], pointer: str, fields: frozenset[str]) -> dict[str, Any]:
        """A document's fields, replaced so that they still agree with each other."""
        if self._user_keeps(pointer):
            return info
        places = {prefix: self._place(info, prefix) for prefix in PLACE_PREFIXES if f"{prefix}_town" in info}
        dob = info.get("dob") if isinstance(info.get("dob"), str) else None
        out: dict[str, Any] = {}
        for name, value in info.items():
            shown = name if name in fields else self._key(name)
            child = f"{pointer}/{_escape(shown)}"
            prefix = next((p for p in places if name == p or name.startswith(p + "_")), None)
            if self._user_keeps(child):
                out[name] = value
            elif name not in fields:
                self._note(child)
                out[shown] = self._unknown(value, child)
            elif not isinstance(value, str) or not value or self.privacy.is_kept(name):
                out[name] = self._walk(value, child, name, fields)
            elif name == "due_date" and dob and _same_day(value, dob):
                out[name] = self.pseudonyms.emit(self.pseudonyms.date(dob)[:6] + value.strip()[6:])
            elif prefix is not None:
                out[name] = self.pseudonyms.emit(self._place_field(prefix, name, value, places[prefix]))
            elif name in ("sur_name", "given_name"):
                full = f"{info.get('sur_name', '')} {info.get('given_name', '')}".strip()
                surname, given = self.pseudonyms.mrz_name(*_split_name(full))
                out[name] = self.pseudonyms.emit(surname if name == "sur_name" else given)
            else:
                out[name] = self._walk(value, child, name, fields)
        return out

    def _string(self, key: str, value: str) -> str:
        if not value.strip() or _OWN_DIGEST.fullmatch(value):
            return value  # nothing to hide; an image digest the recorder wrote itself
        if self.privacy.is_kept(key) or self.privacy.declares(value, key):
            return value if not detect.findings(value) else self._by_look(value)
        return self._by_kind(self.privacy.kind(key), value)

    def _by_kind(self, kind: str, value: str) -> str:
        p = self.pseudonyms
        if kind in ("name", "mrz_name") and any(c.isalpha() for c in value):
            return p.name(value) if kind == "name" else p.emit(unaccent(p.name(value)).upper())
        if kind == "date":
            return p.date(value)
        if kind == "id_number":
            return p.number(value)
        if kind == "place":
            return p.emit(p.remember("address", value, lambda r: f"Số {r.randint(1, 200)}, {random_place(r).full}"))
        if kind == "image":
            return p.image(value)
        if kind == "url":
            return p.url(value) if _URL.fullmatch(value.strip()) else p.emit(p.digest(value))
        if kind == "plate":
            return p.plate(value)
        if kind in ("ethnicity", "religion", "nationality"):
            return p.choice(kind, value)
        if kind in ("email", "phone") and detect.whole(value) == kind:
            return p.email(value) if kind == "email" else p.phone(value)
        return self._free(value)

    def _by_look(self, value: str) -> str:
        """A value the contract says nothing about, replaced by what it looks like."""
        p = self.pseudonyms
        if _URL.fullmatch(value.strip()):
            return p.url(value)
        kind = detect.whole(value)
        if kind == "image" or (kind is None and _looks_base64(value)):
            return p.image(value)
        if kind == "mrz" and value.strip() in self._zones:
            return value.replace(value.strip(), self._zones[value.strip()])
        if kind in ("email", "phone", "date", "name"):
            return {"email": p.email, "phone": p.phone, "date": p.date, "name": p.name}[kind](value)
        if kind in ("id12", "id9", "passport"):
            return p.number(value)
        return self._free(value)

    def _free(self, text: str) -> str:
        """Free text: the personal spans replaced as their kind, every other word and digit by
        generated ones; lines, spacing and punctuation stay."""
        p = self.pseudonyms

        def span(found: detect.Finding) -> str:
            if found.kind == "mrz":
                return self._zones.get(found.text) or self._generic_mrz(found.text)
            if found.kind == "url_token":
                return p.digest(found.text)
            return self._by_look(found.text)

        def piece(segment: str) -> str:
            out, at = [], 0
            for found in detect.findings(segment):
                out += [p.words(segment[at : found.start]), span(found)]
                at = found.end
            return "".join(out) + p.words(segment[at:])

        def make(_: Any) -> str:
            out, at = [], 0
            for link in _URL.finditer(text):
                out += [piece(text[at : link.start()]), p.url(link.group())]
                at = link.end()
            return "".join(out) + piece(text[at:])

        return p.emit(p.remember("free", text, make))

    def _unknown(self, node: Any, pointer: str) -> Any:
        """Data the contract does not describe: every string and every long number replaced."""
        if pointer and self._user_keeps(pointer):
            return node
        if isinstance(node, dict):
            shown = {k: self._key(k) for k in node}
            return {shown[k]: self._unknown(v, f"{pointer}/{_escape(shown[k])}") for k, v in node.items()}
        if isinstance(node, list):
            return [self._unknown(v, f"{pointer}/{n}") for n, v in enumerate(node)]
        if isinstance(node, str):
            return node if not node.strip() or _OWN_DIGEST.fullmatch(node) else self._by_look(node)
        if isinstance(node, int) and not isinstance(node, bool) and abs(node) >= 10**5:
            return int(self.pseudonyms.number(str(abs(node)))) * (1 if node > 0 else -1)
        return node

    def _key(self, name: str) -> str:
        """A caller's or an undocumented key, unless it looks personal itself."""
        return name if not detect.findings(name) else self.pseudonyms.emit(self.pseudonyms.digest(name))

    # -- places ------------------------------------------------------------------------------
    def _place(self, info: dict[str, Any], prefix: str) -> Place:
        original = "|".join(str(info.get(f"{prefix}_{k}", "")) for k in ("town", "district", "ward"))

        def draw(r: random.Random) -> Place:
            place = random_place(r)
            for _ in range(16):  # not a place the answer names itself (the same ward drawn again)
                if not self.pseudonyms.spells_original(place.full):
                    break
                place = random_place(r)
            return place

        return self.pseudonyms.remember("place", original, draw)

    def _place_field(self, prefix: str, key: str, value: str, place: Place) -> str:
        part = key[len(prefix) + 1 :] if key != prefix else ""
        table = {
            "town": place.province,
            "town_code": place.province_code,
            "district": place.district,
            "district_code": place.district_code,
            "ward": place.ward,
            "ward_code": place.ward_code,
        }
        if part in table:
            return table[part]
        if part:
            return self._free(value)
        street = self.pseudonyms.remember("street", value, lambda r: f"Số {r.randint(1, 200)}, Tổ {r.randint(1, 30)}")
        return f"{street}, {place.full}" if prefix == "address" and "," in value else place.full


def _escape(step: str) -> str:
    return step.replace("~", "~0").replace("/", "~1")


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _zones(lines: list[str]) -> Iterator[list[str]]:
    """MRZ lines grouped into zones: three of 30 (an ID card) or two of 44 (a passport)."""
    n = 0
    while n < len(lines):
        width = len(lines[n])
        size = 3 if width == 30 else 2
        group = lines[n : n + size]
        if len(group) == size and all(len(line) == width for line in group):
            yield group
            n += size
        else:
            yield [lines[n]]
            n += 1


def _split_name(full: str) -> tuple[str, str]:
    words = full.split()
    return (words[0] if words else ""), " ".join(words[1:])


def _same_day(value: str, dob: str) -> bool:
    a, b = parse_date(value), parse_date(dob)
    return a is not None and b is not None and (a.day, a.month) == (b.day, b.month)


def _looks_base64(value: str) -> bool:
    compact = "".join(value.split())
    return len(compact) >= 200 and re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", compact) is not None


def scrub(body: Any, scrubber: Scrubber | None = None) -> Any:
    """``body`` with its personal data replaced (see the module's description)."""
    return (scrubber or Scrubber()).answer(body)


def known_fields() -> frozenset[str]:
    """Every property name the contract's answers declare."""
    return load_privacy().all_fields


def image_digest(data: bytes) -> str:
    """What a cassette keeps of an uploaded image: its SHA-256, never the bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def b64_digest(text: str) -> str:
    try:
        return image_digest(base64.b64decode("".join(text.split()), validate=False))
    except ValueError:
        return image_digest(text.encode())
