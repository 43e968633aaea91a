"""Scrub personal data out of recorded requests and answers, in a closed world.

A value is kept only when the contract proves it carries no person
(:class:`~mockserver.contract.privacy.Privacy`): a value its schema enumerates, a boolean or
null, a catalogue code in a code field, the catalogue's message for that flow and code, a plain
number in a score, confidence, box or count field, a word of a field's closed vocabulary.
Everything else is replaced by kind, however harmless it looks: detection only chooses the
shape of a replacement, never whether to replace. Object keys the schema does not name become
keyed placeholders (the same key, the same placeholder, throughout a recording); what the
contract does not describe at all — an undeclared field, a non-JSON body — is replaced or
dropped and listed in ``undocumented``. A path given in ``keep`` (``--scrub-keep``) is kept
verbatim. Requests and answers are each scrubbed against their own schemas.

One job, one module: the walk of a recorded exchange against the contract, part by part
(query, path, headers, bodies), each part replaced by kind.

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

from mockserver import limits
from mockserver.contract.privacy import Privacy, load_privacy
from mockserver.generation.divisions import Place, random_place
from mockserver.generation.people import parse_date, unaccent
from mockserver.recording import detect, mrz
from mockserver.recording.pseudonyms import OWN_TOKEN, Pseudonyms

_URL = re.compile(r"https?://[^\s\"'<>]+")
PLACE_PREFIXES = ("address", "hometown", "regis_place")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_TRIGGER = re.compile(r"[a-z_]+(:[a-z_-]+){0,3}")  # the fake's own words (forced:code), never a name
_OWN_TOKEN = re.compile(OWN_TOKEN)
MESSAGE_CODES = {"errorMessage": "errorCode", "invalidMessage": "invalidCode", "message": "status_code"}
FLOW_OF_SCHEMA = ("face_matching", "face_search", "smart_crop", "liveness", "ocr")


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
        self.pseudonyms = Pseudonyms(self.key, kept_hosts=self.privacy.hosts)
        self._zones: dict[str, str] = {}
        self._where = ""
        self._flow: str | None = None

    @property
    def emitted(self) -> set[str]:
        """Every replacement value this scrubber wrote."""
        return self.pseudonyms.emitted

    # -- entry points ----------------------------------------------------------------------
    def answer(self, body: Any, schema: str | None = None, where: str = "") -> Any:
        """A scrubbed copy of one JSON answer; ``schema`` names the contract's schema for it,
        when known, and ``where`` prefixes what is listed."""
        self._where, self._flow = where, _flow_of(schema)
        self._prepare(body)
        return self._walk(body, "", "", self.privacy.fields_of(schema))

    def request_body(self, body: Any, operation_id: str | None, where: str = "") -> Any:
        """A scrubbed copy of one JSON request body, against the fields its operation's request
        declares (none when the operation is not known): never an answer's field names."""
        self._where, self._flow = where, None
        self._prepare(body)
        return self._walk(body, "", "", self.privacy.request_fields.get(operation_id or "", frozenset()))

    def query(self, pairs: Sequence[tuple[str, str]], where: str = "") -> list[tuple[str, str]]:
        """A request's query: enum values and integers of documented parameters kept, URLs
        scrubbed as URLs, every other value a keyed digest."""
        self._where = where
        out = []
        for name, value in pairs:
            spec = self.privacy.parameters.get(name)
            shown = name if spec is not None else self.placeholder(name)
            if spec is None:
                self._note(f"?{shown}")
            if spec is not None and (value in spec.enum or (spec.integer and value.isdigit())):
                out.append((shown, value))
            elif (spec is not None and spec.url) or value.startswith(("http://", "https://")):
                out.append((shown, self.pseudonyms.url(value)))
            elif value:
                out.append((shown, self.pseudonyms.emit(self.pseudonyms.digest(value))))
            else:
                out.append((shown, ""))
        return out

    def path(self, path: str, template: str | None) -> str:
        """A request path as its operation's template spells it, each parameter a keyed stand-in
        (digits stay digits); a path no operation has keeps only the words documented paths use."""
        steps, shape = path.split("/"), (template or "").split("/")
        if template is None or len(shape) != len(steps):
            return "/".join(s if s in self.privacy.path_words else self.placeholder(s) for s in steps)
        out = []
        for step, want in zip(steps, shape, strict=True):
            if not want.startswith("{"):
                out.append(want)
            elif step.isdigit():
                out.append(str(self._keyed_number(int(step))) if step.strip("0") else step)
            else:
                out.append(self.placeholder(step))
        return "/".join(out)

    def header(self, name: str, value: str) -> str | None:
        """A response header value as a cassette keeps it: a Content-Type's media type alone
        (its parameters can name a file), the fake's trigger when it is one of its own words;
        None drops it."""
        if name.lower() == "content-type":
            media = value.split(";", 1)[0].strip().lower()
            return media if _MEDIA_TYPE.fullmatch(media) else None
        if name.lower() == "x-cvs-mock-trigger":
            return value if _TRIGGER.fullmatch(value) else None
        return None

    def placeholder(self, name: str) -> str:
        """The keyed stand-in of a key or name the contract does not declare: the same name
        gets the same placeholder throughout the recording, and says nothing of the name."""
        return self.pseudonyms.emit("k" + self.pseudonyms.digest(name)[1:13])

    def opaque(self, raw: bytes, content_type: str, where: str = "") -> str:
        """What is kept of a body that is not JSON: its size and type, nothing of its content."""
        self._where = where
        self._note("(non-JSON body)")
        return f"[a {len(raw)}-byte {content_type or 'untyped'} body, dropped: the contract does not describe it]"

    # -- bookkeeping -----------------------------------------------------------------------
    def _too_long(self, value: str) -> bool:
        """A text too long to scrub that is not an image (an image is redrawn at its size)."""
        return len(value) > limits.SCRUB_TEXT_MAX and not value.startswith("data:image/") and not _looks_base64(value)

    def _dropped(self, value: str) -> str:
        self._note("(a text too long to scrub)")
        return self.pseudonyms.emit(f"[a {len(value)}-character text, dropped: longer than {limits.SCRUB_TEXT_MAX}]")

    def _own_token(self, value: str) -> bool:
        """A digest or placeholder this recording wrote (a request body is scrubbed after its
        images became digests). Only opaque tokens pass: an original that happens to equal a
        pseudonym written earlier (the same drawn name) is still replaced."""
        return value in self.pseudonyms.emitted and _OWN_TOKEN.fullmatch(value) is not None

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
                shown = name if name in fields else self.placeholder(name)
                child = f"{pointer}/{_escape(shown)}"
                if name in self.privacy.caller_objects:
                    out[name] = self._unknown(value, child)  # a caller's own keys: none is kept
                elif name not in fields:
                    if not self._user_keeps(child):  # kept on request: not listed as replaced
                        self._note(child)
                    out[shown] = self._unknown(value, child)
                elif name == "info" and isinstance(value, dict):
                    out[name] = self._info(value, child, fields)
                elif name in MESSAGE_CODES and isinstance(value, str):
                    out[name] = self._message(name, value, node.get(MESSAGE_CODES[name]))
                else:
                    out[name] = self._walk(value, child, name, fields)
            return out
        if isinstance(node, list):
            return [self._walk(item, f"{pointer}/{n}", key, fields) for n, item in enumerate(node)]
        if isinstance(node, str):
            return self._string(key, node)
        return self._number(key, node)

    def _number(self, key: str, node: Any) -> Any:
        """Booleans and null carry no person; a number is kept in a code, score, box or count
        field, and any other (an id, an amount, a phone sent as a number) is a keyed one."""
        if node is None or isinstance(node, bool) or not isinstance(node, (int, float)):
            return node
        if self.privacy.keeps_number(key, node):
            return node
        return self._keyed_number(node)

    def _keyed_number(self, node: int | float) -> int | float:
        sign = -1 if node < 0 else 1
        if isinstance(node, int):
            digits = str(abs(node))
            drawn = self.pseudonyms.remember(
                "int", digits, lambda r: str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in digits[1:])
            )
            self.pseudonyms.emit(drawn)
            return sign * int(drawn)
        whole = len(str(int(abs(node))))
        drawn_float = self.pseudonyms.remember("float", repr(node), lambda r: round(r.uniform(0, 10**whole), 2))
        return sign * drawn_float

    def _message(self, name: str, value: str, code: Any) -> str:
        """A message is kept when it is the catalogue's for the code beside it."""
        if self._too_long(value):
            return self._dropped(value)
        if not value.strip() or self.privacy.keeps(name, value) or self.privacy.is_message(self._flow, code, value):
            return value
        return self._by_kind(self.privacy.kind(name), value)

    def _info(self, info: dict[str, Any], pointer: str, fields: frozenset[str]) -> dict[str, Any]:
        """A document's fields, replaced so that they still agree with each other."""
        if self._user_keeps(pointer):
            return info
        places = {prefix: self._place(info, prefix) for prefix in PLACE_PREFIXES if f"{prefix}_town" in info}
        dob = info.get("dob") if isinstance(info.get("dob"), str) else None
        out: dict[str, Any] = {}
        for name, value in info.items():
            shown = name if name in fields else self.placeholder(name)
            child = f"{pointer}/{_escape(shown)}"
            prefix = next((p for p in places if name == p or name.startswith(p + "_")), None)
            if self._user_keeps(child):
                out[name] = value
            elif name not in fields:
                self._note(child)
                out[shown] = self._unknown(value, child)
            elif not isinstance(value, str) or not value.strip() or self.privacy.keeps(name, value, self._flow):
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
        if self._too_long(value):
            return self._dropped(value)
        if not value.strip() or self._own_token(value):
            return value  # nothing to hide; a digest or stand-in this recording wrote itself
        if self.privacy.keeps(key, value, self._flow):
            return value
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
            return p.emit(p.remember("address", value, lambda r: f"Số {r.randint(1, 200)}, {self._new_place(r).full}"))
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
            shown = {k: self.placeholder(k) for k in node}
            return {shown[k]: self._unknown(v, f"{pointer}/{_escape(shown[k])}") for k, v in node.items()}
        if isinstance(node, list):
            return [self._unknown(v, f"{pointer}/{n}") for n, v in enumerate(node)]
        if isinstance(node, str):
            if self._too_long(node):
                return self._dropped(node)
            return node if not node.strip() or self._own_token(node) else self._by_look(node)
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return self._keyed_number(node)
        return node

    # -- places ------------------------------------------------------------------------------
    def _place(self, info: dict[str, Any], prefix: str) -> Place:
        original = "|".join(str(info.get(f"{prefix}_{k}", "")) for k in ("town", "district", "ward"))

        return self.pseudonyms.remember("place", original, self._new_place)

    def _new_place(self, r: random.Random) -> Place:
        """A drawn place that shares no ward, district or province with one the answer names."""
        place = random_place(r)
        for _ in range(32):
            if not any(map(self.pseudonyms.mentions_original, (place.ward, place.district, place.province))):
                break
            place = random_place(r)
        return place

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


def _flow_of(schema: str | None) -> str | None:
    """The flow an answer schema belongs to (``face_search_add_response.json``: face_search)."""
    return next((flow for flow in FLOW_OF_SCHEMA if schema and schema.startswith(flow)), None)


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
