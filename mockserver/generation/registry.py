"""Which builder makes the ``info`` of each document type, and which of the contract's info
schemas an endpoint family reads it with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockserver.contract.loading import load_contract
from mockserver.generation import claim_files, finance, hr_files, land, papers
from mockserver.generation.cards import issued
from mockserver.generation.divisions import short_province
from mockserver.generation.identity_documents import (
    CCCD_AUTHORITY,
    Dates,
    card_front,
    chip_card_back,
    citizen_extra,
    driving_licence,
    inspection,
    passport,
    vehicle_back,
    vehicle_front,
)
from mockserver.generation.people import Person

BUILDERS: dict[str, Callable[[Person, Dates], dict[str, Any]]] = {
    "9_id_card_front": lambda p, d: card_front(p, d, p.id9, {}),
    "12_id_card_front": lambda p, d: card_front(
        p, d, p.id12, {**citizen_extra(p, d, "12_id_card"), "ethnicity": p.ethnicity}
    ),
    "chip_id_card_front": lambda p, d: card_front(p, d, p.id12, citizen_extra(p, d, "chip_id_card")),
    "9_id_card_back": lambda p, d: {
        "ethnicity": p.ethnicity,
        "issue_date": d(issued(p, "9_id_card")),
        "religious": p.religion,
        "issued_at": f"CA {short_province(p.hometown.province)}",
        "issued_at_town": p.hometown.province,
        "issued_at_code": p.hometown.province_code,
        "identification_sign": p.mark,
    },
    "12_id_card_back": lambda p, d: {
        "issue_date": d(issued(p, "12_id_card")),
        "issued_at": CCCD_AUTHORITY,
        "identification_sign": p.mark,
    },
    "chip_id_card_back": chip_card_back,
    "passport": passport,
    "driving_license": driving_licence,
    "vehicle_registration_front": vehicle_front,
    "vehicle_registration_back": vehicle_back,
    "picertificate": inspection,
    "birth_certificate": papers.birth_certificate,
    "invoice": papers.invoice,
    "invoice_vehicle": papers.invoice_vehicle,
    "business_registration": papers.business_registration,
    "price_quotation": papers.price_quotation,
    "bvcard": claim_files.bvcard,
    "claim_form": claim_files.claim_form,
    "credit_report": finance.credit_report,
    **land.BUILDERS,
    **hr_files.BUILDERS,  # an HR file's own field lists, under their family's prefix
}

FAMILY_PREFIXES = ("hr_", "claims_")  # an endpoint's own field lists: info_hr_*, info_claims_*

DOCUMENT_TYPES = tuple(t for t in BUILDERS if not t.startswith(FAMILY_PREFIXES))


def schema_type_of(doc_type: str, family: str = "") -> str:
    """The info schema an endpoint family reads a type with: the family's own where its page
    lists other fields (``claims_passport``), else the type's."""
    own = family + doc_type
    return own if f"info_{own}" in load_contract().schemas["ocr_document.json"]["$defs"] else doc_type


def builder_of(schema_type: str) -> Callable[[Person, Dates], dict[str, Any]]:
    """A family's own builder, else the type's own: the schema then picks the fields."""
    if schema_type in BUILDERS:
        return BUILDERS[schema_type]
    prefix = next(p for p in FAMILY_PREFIXES if schema_type.startswith(p))
    return BUILDERS[schema_type.removeprefix(prefix)]


def info_properties(doc_type: str) -> dict[str, Any]:
    """The properties of ``info_<doc_type>``; a family's types carry their prefix (``hr_id_card``)."""
    properties: dict[str, Any] = load_contract().schemas["ocr_document.json"]["$defs"][f"info_{doc_type}"]["properties"]
    return properties
