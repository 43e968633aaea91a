"""The OCR document endpoints beyond the identity family (Appendix A of the fact sheet).

Every endpoint is one row of ``ENDPOINTS``: its path, the images it takes, the document types
it reads, whether it takes PDFs, and the shape of its ``data``. One view serves them all, so a
new endpoint is a new row: its documents come from the per-type generators of
``documents.py``, its regions (plates, tables, text, statement tables) from ``regions.py``
and ``finance.py``; the shapes are assembled in ``shapes.py``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, request

from mockserver import limits
from mockserver.exceptions import CVSError
from mockserver.flows.ocr import shapes
from mockserver.flows.ocr.views import document_item, no_document, note_trigger
from mockserver.generation import finance, regions
from mockserver.generation.claim_files import CLAIM_TYPES
from mockserver.generation.hr_files import HR_TYPES
from mockserver.generation.land import LAND_TYPES
from mockserver.media.pictures import Picture, seed_of
from mockserver.media.scenario import check
from mockserver.media.thumbnails import thumbnail
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import RequestRecord
from mockserver.pipeline.inputs import pictures, request_mode

bp = Blueprint("ocr_documents", __name__)
VEHICLE_SIDES = ("vehicle_registration_front", "vehicle_registration_back")


@dataclass(frozen=True)
class Endpoint:
    path: str
    images: tuple[str, ...]
    types: tuple[str, ...]  # what it reads; the first ones are what plain bytes read as
    shape: str  # single | pair | list | plates | tables | text | labels | profile | statement | file
    pdf: bool = False
    xml: bool = False
    shows: tuple[str, ...] = ()  # what plain bytes show, when more than it reads (a claim file's pages)
    family: str = ""  # prefix of the endpoint's own field lists in the contract (hr_, claims_)
    one_person: bool = False  # every document of the file describes one person

    @property
    def visible(self) -> tuple[str, ...]:
        """The types a page may show: ``shows``, else the types the endpoint reads."""
        return self.shows or self.types

    @property
    def name(self) -> str:
        return self.path.removeprefix("/api/v2/")


ENDPOINTS = (
    Endpoint("/api/v2/ocr/vehicle_registrations", ("img1", "img2"), VEHICLE_SIDES, "pair"),
    Endpoint("/api/v2/ocr/vehicle_registration", ("img",), VEHICLE_SIDES, "single"),
    Endpoint("/api/v2/ocr/vehicle_inspection", ("img",), ("picertificate",), "single"),
    Endpoint("/api/v2/ocr/birth_certificate", ("img",), ("birth_certificate",), "single"),
    Endpoint("/api/v2/ocr/vehicle_plate", ("img",), ("vehicle_plate",), "plates"),
    Endpoint("/api/v2/ocr/document/invoice", ("img",), ("invoice",), "list", pdf=True),
    Endpoint("/api/v2/ocr/document/invoice-xml", ("img",), ("invoice",), "list", xml=True),
    Endpoint("/api/v2/ocr/document/invoice_vehicle", ("img",), ("invoice_vehicle",), "list", pdf=True),
    Endpoint("/api/v2/ocr/document/get_table", ("img",), ("table",), "tables", pdf=True),
    Endpoint("/api/v2/ocr/document/business_registration", ("img",), ("business_registration",), "single", pdf=True),
    Endpoint("/api/v2/ocr/document/price_quotation", ("img",), ("price_quotation",), "single"),
    Endpoint("/api/v2/ocr/document/general", ("img",), ("text_page",), "text", pdf=True),
    Endpoint(
        "/api/v2/ocr/vehicle",
        ("img",),
        (*VEHICLE_SIDES, "picertificate", "driving_license"),
        "list",
        pdf=True,
    ),
    Endpoint("/api/v2/ocr/claims", ("img",), CLAIM_TYPES, "list", pdf=True, family="claims_", one_person=True),
    Endpoint(
        "/api/v2/ocr/document/get_label_claim",
        ("img",),
        (*CLAIM_TYPES, "invoice", "claim_page"),
        "labels",
        pdf=True,
        shows=CLAIM_TYPES,
    ),
    Endpoint("/api/v2/ocr/employee_profile", ("img",), HR_TYPES, "profile", pdf=True, family="hr_", one_person=True),
    Endpoint("/api/v2/ocr/document/bank_statement", ("img",), ("bank_statement",), "statement", pdf=True),
    Endpoint("/api/v2/ocr/document/credit_report", ("img",), ("credit_report",), "file", pdf=True),
    Endpoint("/api/v2/ocr/document/land_certificate", ("img",), LAND_TYPES, "file", pdf=True),
)


def answer(exchange: RequestRecord, endpoint: Endpoint) -> dict[str, Any]:
    exchange.thumb_wanted()  # a bad value is refused before any image is read
    if endpoint.xml:
        return {"data": _xml_invoice(exchange, endpoint)}
    found = pictures(endpoint.images, request_mode(), pdf=endpoint.pdf)
    note_trigger(exchange, found)
    if endpoint.shape == "pair":
        return {"data": _pair(exchange, endpoint, *found)}
    (pic,) = found
    pages = pic.pages or [pic]
    if endpoint.shape in ("plates", "tables", "text", "statement"):
        return {"data": [region for page in pages for region in _regions(exchange, endpoint, page)]}
    if endpoint.shape in shapes.WHOLE_FILE:
        return {"data": shapes.WHOLE_FILE[endpoint.shape](exchange, endpoint, pages, pic.seed)}
    items = [item for page in pages for item in _items(exchange, endpoint, page, pic.seed)]
    if not items:
        raise no_document(exchange)
    if endpoint.shape == "single":
        return {"data": items[0] if pic.pages is None else items}
    return {"data": items}


def _items(exchange: RequestRecord, endpoint: Endpoint, page: Picture, file_seed: str) -> list[dict[str, Any]]:
    docs = shapes.readable(exchange, endpoint, page)
    return [
        document_item(
            exchange,
            doc,
            file_seed if endpoint.one_person else f"{page.seed}:{k}",
            False,
            page.size,
            family=endpoint.family,
        )
        for k, doc in enumerate(docs)
    ]


def _pair(exchange: RequestRecord, endpoint: Endpoint, front_pic: Picture, back_pic: Picture) -> list[dict[str, Any]]:
    """Front and back of one registration: one owner, the front's seed for both."""
    # img1 reads as a front and img2 as a back unless a scenario says otherwise
    front = next(iter(shapes.readable(exchange, endpoint, front_pic, VEHICLE_SIDES[:1])), None)
    back = next(iter(shapes.readable(exchange, endpoint, back_pic, VEHICLE_SIDES[1:])), None)
    if front is None or back is None:
        raise no_document(exchange, "img1" if front is None else "img2")
    seed = front.get("seed", front_pic.seed)
    return [
        document_item(exchange, front, seed, validity=False, size=front_pic.size),
        document_item(exchange, {**back, "seed": back.get("seed", seed)}, seed, validity=False, size=back_pic.size),
    ]


def _regions(exchange: RequestRecord, endpoint: Endpoint, page: Picture) -> list[Any]:
    if page.blank or (page.scenario is not None and page.scenario.get("documents") == []):
        raise no_document(exchange)
    pinned = [d for d in (page.scenario or {}).get("documents", []) if d["type"] in endpoint.types]
    thumb = exchange.thumb_wanted()
    if endpoint.shape == "plates":
        found = regions.plates(page.seed, pinned)
    elif endpoint.shape == "tables":
        found = regions.tables(page.seed, pinned)
    elif endpoint.shape == "statement":
        # the table images are part of each page element (BS5), get_thumb or not
        tables = [d.get("fields", {}).get("rows") for d in pinned] or [None]
        rows = [finance.statement_rows(f"{page.seed}:{k}", table) for k, table in enumerate(tables)]
        return [{"image_table": [thumbnail("table")] * len(rows), "json": rows}]
    else:
        lines = [str(x) for d in pinned for x in d.get("fields", {}).get("lines", [])]
        return [regions.text_page(page.seed, page.size, lines or None)]
    if thumb:
        for region in found:
            region["image"] = thumbnail(endpoint.shape)
    return found


_SCENARIO_PI = re.compile(rb"<\?cvs-scenario\s+(.*?)\?>", re.S)


def _xml_invoice(exchange: RequestRecord, endpoint: Endpoint) -> list[dict[str, Any]]:
    """An XML e-invoice, file mode only; its scenario rides in a ``<?cvs-scenario {...}?>``."""
    if request_mode() != "file":
        raise CVSError("format_type", "input:xml-takes-file-mode-only")
    part = request.files.get("img")
    data = part.read() if part is not None else b""
    if not data:
        raise CVSError("bad_image", "input:missing-part", "img")
    try:
        ET.fromstring(data)
    except ET.ParseError:
        raise CVSError("bad_image", "input:not-xml") from None
    exchange.picture_trigger = "xml-bytes"
    page = Picture(data, seed_of(data), uniform=False, known_size=(1240, 1754))
    found = _SCENARIO_PI.search(data)
    if found:
        try:
            scenario = limits.loads(found.group(1))
        except ValueError:
            scenario = None
        if scenario is not None and check(scenario) is None:
            page.scenario, exchange.picture_trigger = scenario, "scenario-xml"
    items = _items(exchange, endpoint, page, page.seed)
    if not items:
        raise no_document(exchange)
    return items


def _view(endpoint: Endpoint) -> Any:
    @api_view("ocr", endpoint.name)
    def view(exchange: RequestRecord) -> dict[str, Any]:
        return answer(exchange, endpoint)

    return view


for _endpoint in ENDPOINTS:
    bp.add_url_rule(
        _endpoint.path,
        endpoint=_endpoint.name.replace("/", "_"),
        view_func=_view(_endpoint),
        methods=["POST"] if _endpoint.xml else ["GET", "POST"],
    )
