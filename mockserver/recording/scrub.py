"""Scrub personal data out of API answers, keeping everything a recording is for.

Names, identity, passport and licence numbers, dates of birth, addresses with their codes,
MRZ names, phones, e-mails, plates and every embedded image are replaced by generated,
Vietnamese-realistic values; confidences, codes, warnings, boxes, field order and shapes stay.
One ``Scrubber`` keeps its replacements, so one person across a cassette becomes one other
person: a card's back still agrees with its front, a chip back still repeats the front's
number. Fields the contract does not know (drift) are scrubbed by the look of their values,
and reported.
"""

from __future__ import annotations

import base64
import hashlib
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from mockserver.generation.divisions import Place, random_place
from mockserver.generation.people import Pins, person_for, unaccent
from mockserver.generation.regions import plate_number

_DATE = re.compile(r"(\d{2})([-/.])(\d{2})\2(\d{4})")
_DIGITS = re.compile(r"\d{9}|\d{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\d[\d .-]{8,}\d")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]{200,}")
_PLATE = re.compile(r"\d{2}[A-Z]{1,2}\d?[- ]?\d{3}\.?\d{2}|\d{2}-[A-Z]\d \d{3}\.\d{2}")
NAME_FIELDS = {
    "name", "full_name", "father_name", "mother_name", "buyer_name", "purchaser_name",
    "representative_name", "owner", "hoTen", "firstName",
}  # fmt: skip
DATE_FIELDS = {"dob", "father_dob", "mother_dob"}
NUMBER_FIELDS = {"id", "person_number", "number_of_idcard", "document_number", "documentId", "soCCCD"}
IMAGE_FIELDS = {"image", "image_table", "face1", "face2"}
PLACE_PREFIXES = ("address", "hometown", "regis_place")
PLACE_TEXT = {"identification_sign", "household_address", "representative_address", "supplier_address"}
FREE_TEXT = PLACE_TEXT | {
    "place_of_birth", "company_phone", "fax", "email", "website", "lookup_code", "account_no",
    "number", "number_book", "engine", "chassis", "engine_number", "chassis_number", "seri",
    "report_number", "invoice_no", "tax_code", "business_code",
}  # fmt: skip


@dataclass
class Scrubber:
    """Replacements for one cassette: the same original always maps to the same value."""

    salt: str = "cvs-testkit"
    drift: list[str] = field(default_factory=list)  # paths of unknown fields scrubbed by their look
    _seen: dict[tuple[str, str], Any] = field(default_factory=dict)

    # -- entry points ------------------------------------------------------------------
    def answer(self, body: Any) -> Any:
        """A scrubbed copy of one answer of any flow."""
        return self._walk(body, "")

    # -- the walk -------------------------------------------------------------------------
    def _walk(self, node: Any, path: str, key: str = "") -> Any:
        if key and key not in known_fields() and not key.isdigit():
            return self._by_look(node, path)  # drift: not in the contract, judged by its look
        if isinstance(node, dict):
            return {k: self._child(k, v, f"{path}/{k}") for k, v in node.items()}
        if isinstance(node, list):
            return [self._walk(v, f"{path}/{n}", key) for n, v in enumerate(node)]
        if isinstance(node, str):
            return self._value(key, node, path)
        return node

    def _child(self, key: str, value: Any, path: str) -> Any:
        if isinstance(value, dict) and key == "info":  # a document's fields agree with each other
            return self._info(value, path)
        if isinstance(value, dict) and key == "metadata":  # a caller's own keys: judged by their look
            return self._by_look(value, path)
        return self._walk(value, path, key)

    def _info(self, info: dict[str, Any], path: str) -> dict[str, Any]:
        places = {prefix: self._place(info, prefix) for prefix in PLACE_PREFIXES if f"{prefix}_town" in info}
        for key in NUMBER_FIELDS & set(info):  # 12-digit numbers first: the 9-digit ones follow them
            if isinstance(info[key], str) and len(re.sub(r"\D", "", info[key])) == 12:
                self._number(info[key])
        out: dict[str, Any] = {}
        dob = info.get("dob") if isinstance(info.get("dob"), str) else None
        for key, value in info.items():
            if key == "due_date" and dob and isinstance(value, str) and value[:5] == dob[:5]:
                out[key] = self._date(dob)[:6] + value[6:]  # the expiry keeps the birthday
                continue
            prefix = next((p for p in places if key == p or key.startswith(p + "_")), None)
            if prefix is not None and not key.endswith(("_box", "_confidence")) and isinstance(value, str):
                out[key] = self._place_field(info, prefix, key, value, places[prefix])
            elif key in ("sur_name", "given_name") and isinstance(value, str):
                out[key] = self._mrz_part(info, key)
            else:
                out[key] = self._walk(value, f"{path}/{key}", key)
        return out

    # -- values by field name -------------------------------------------------------------
    def _value(self, key: str, value: str, path: str) -> Any:
        if key.endswith(("_box", "_confidence")) or not value:
            return value
        if key in NAME_FIELDS and "info_goods" not in path:  # a product's name is not a person's
            return self._name(value)
        if key in DATE_FIELDS:
            return self._date(value)
        if key in NUMBER_FIELDS:
            return self._number(value)
        if key in IMAGE_FIELDS:
            return self._image(value)
        if key in ("plate", "registration_number"):
            return self._plate(value)
        if key in ("address", "hometown", "regis_place"):  # a place without its codes beside it
            found: str = self._remember("address", value, self._place_text)
            return found
        if key.startswith("issued_at") or key == "place_of_birth":
            return value  # authorities and provinces of issue are not personal
        if key in FREE_TEXT:
            return self._text(key, value)
        return value

    def _by_look(self, node: Any, path: str) -> Any:
        """Fields the contract does not know: scrubbed when their value looks personal."""
        if isinstance(node, dict):
            return {k: self._by_look(v, f"{path}/{k}") for k, v in node.items()}
        if isinstance(node, list):
            return [self._by_look(v, f"{path}/{n}") for n, v in enumerate(node)]
        if not isinstance(node, str):
            return node
        scrubbed = self._looks(node)
        if scrubbed != node:
            self.drift.append(path)
        return scrubbed

    def _looks(self, value: str) -> str:
        text = value.strip()
        if _DATE.fullmatch(text):
            return self._date(text)
        if _DIGITS.fullmatch(text):
            return self._number(text)
        if _EMAIL.fullmatch(text):
            return str(self._remember("email", text, lambda r: f"khachhang{r.randint(100, 999)}@example.vn"))
        if _PLATE.fullmatch(text):
            return self._plate(text)
        if _PHONE.fullmatch(text):
            return str(self._remember("phone", text, lambda r: f"09{r.randint(10**7, 10**8 - 1)}"))
        if _BASE64.fullmatch(text):
            return self._image(text)
        if len(text.split()) >= 2 and text == text.upper() and text.replace(" ", "").isalpha():
            return self._name(text)
        return value

    # -- replacements ----------------------------------------------------------------------
    def _rng(self, kind: str, original: str) -> random.Random:
        return random.Random(hashlib.sha256(f"{self.salt}|{kind}|{original}".encode()).hexdigest())

    def _remember(self, kind: str, original: str, make: Callable[[random.Random], Any]) -> Any:
        key = (kind, original)
        if key not in self._seen:
            self._seen[key] = make(self._rng(kind, original))
        return self._seen[key]

    def _name(self, name: str) -> str:
        """Another name of the same sex (THỊ stays a woman's name), in the same letter case,
        sharing neither the family nor the given name: a common surname such as Nguyễn would
        otherwise survive in about one name of five."""
        plain = unaccent(name).upper().strip()
        words = plain.split()

        def make(r: random.Random) -> str:
            woman = " THI " in f" {plain} "
            for _ in range(64):
                other = person_for(f"name:{r.random()}", Pins(female=woman)).name.upper()
                drawn = unaccent(other).split()
                if not words or (drawn[0] != words[0] and drawn[-1] != words[-1]):
                    break
            return other

        found: str = self._remember("name", plain, make)
        return found if name == name.upper() else found.title()

    def _mrz_part(self, info: dict[str, Any], key: str) -> str:
        full = f"{info.get('sur_name', '')} {info.get('given_name', '')}".strip()
        words = unaccent(self._name(full)).upper().split()
        return words[0] if key == "sur_name" else " ".join(words[1:])

    def _date(self, text: str) -> str:
        """Another day of the same year: the number's year digits and the age rules still hold."""
        found = _DATE.fullmatch(text.strip())
        if found is None:
            return text
        sep, year = found.group(2), found.group(4)
        original = (found.group(1), found.group(3))

        def make(r: random.Random) -> str:
            day = original
            while day == original:  # one day in 336 would otherwise draw itself
                day = (f"{r.randint(1, 28):02d}", f"{r.randint(1, 12):02d}")
            return f"{day[0]}{sep}{day[1]}{sep}{year}"

        day: str = self._remember("date", f"{found.group(1)}.{found.group(3)}.{year}", make)
        return day.replace("-", sep).replace("/", sep)

    def _number(self, text: str) -> str:
        """12 digits keep their century-and-sex digit and year; 9 keep their length; a
        passport keeps its letter; the chip back's 9 digits follow the 12-digit number."""
        digits = re.sub(r"\D", "", text)
        if len(digits) == 9:
            seen = self._seen.items()
            full = next((v for k, v in seen if k[0] == "number" and len(k[1]) == 12 and k[1].endswith(digits)), None)
            if full is not None:
                return str(full)[-9:]

        def make(r: random.Random) -> str:
            if len(digits) == 12:
                return f"0{r.randint(1, 96):02d}{digits[3:6]}{r.randrange(10**6):06d}"
            prefix = text[: len(text) - len(digits)]
            return prefix + "".join(str(r.randint(0, 9)) for _ in digits)

        found: str = self._remember("number", text, make)
        return found

    def _image(self, value: str) -> str:
        from mockserver.generation.documents import thumbnail

        found: str = self._remember(
            "image", hashlib.sha256(value.encode()).hexdigest(), lambda r: thumbnail(f"scrubbed-{r.randint(0, 9)}")
        )
        return found

    def _plate(self, value: str) -> str:
        found: str = self._remember(
            "plate", value, lambda r: plate_number(r, motorbike="-" in value[:3] and " " in value)
        )
        return found

    def _text(self, key: str, value: str) -> str:
        """Another text of the same shape (letters for letters, digits for digits); a place
        for the address-like fields; e-mails and phones by their look."""
        if _EMAIL.fullmatch(value.strip()) or _PHONE.fullmatch(value.strip()):
            return self._looks(value)

        def make(r: random.Random) -> str:
            if key in PLACE_TEXT:
                return self._place_text(r)
            shape = re.sub(r"[A-Za-zÀ-ỹĐđ]", lambda m: r.choice("ABCDEGHKLMNPSTUV"), value)
            return re.sub(r"\d", lambda m: str(r.randint(0, 9)), shape)

        found: str = self._remember("text:" + key, value, make)
        return found

    def _place_text(self, r: random.Random) -> str:
        return f"Số {r.randint(1, 200)}, {random_place(r).full}"

    # -- places ---------------------------------------------------------------------------
    def _place(self, info: dict[str, Any], prefix: str) -> Place:
        original = "|".join(str(info.get(f"{prefix}_{k}", "")) for k in ("town", "district", "ward"))
        place: Place = self._remember("place", original, lambda r: random_place(r))
        return place

    def _place_field(self, info: dict[str, Any], prefix: str, key: str, value: str, place: Place) -> str:
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
        street: str = self._remember("street", value, lambda r: f"Số {r.randint(1, 200)}, Tổ {r.randint(1, 30)}")
        return f"{street}, {place.full}" if prefix == "address" and "," in value else place.full


@lru_cache(maxsize=1)
def known_fields() -> frozenset[str]:
    """Every property name the contract's schemas declare: the fields that are not drift."""
    from mockserver.contract.loading import load_contract

    names: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                names.update(props)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(load_contract().schemas)
    return frozenset(names | {"Person_number_box", "mrz_confindence", "errorCode", "error_message"})


def scrub(body: Any, scrubber: Scrubber | None = None) -> Any:
    """``body`` with its personal data replaced (see the module's description)."""
    return (scrubber or Scrubber()).answer(body)


def image_digest(data: bytes) -> str:
    """What a cassette keeps of an image: its SHA-256, never the bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def b64_digest(text: str) -> str:
    try:
        return image_digest(base64.b64decode("".join(text.split()), validate=False))
    except ValueError:
        return image_digest(text.encode())
