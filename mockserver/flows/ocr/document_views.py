"""The OCR document endpoints beyond the identity family (Appendix A of the fact sheet).

Every endpoint is one row of ``ENDPOINTS``: its path, the images it takes, the document types
it reads, whether it takes PDFs, and the shape of its ``data``. One view serves them all, so a
new endpoint is a new row: its documents come from the per-type generators of
``documents.py``, its regions (plates, tables, text) from ``regions.py``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, request

from mockserver import limits
from mockserver.exceptions import CVSError
from mockserver.flows.ocr.views import add_note, document_item, documents_in, no_document, note_trigger, success
from mockserver.generation import regions
from mockserver.generation.documents import thumbnail
from mockserver.media.pictures import Picture, seed_of
from mockserver.media.scenario import check
from mockserver.pipeline.api_view import api_view
from mockserver.pipeline.exchange import current_exchange
from mockserver.pipeline.inputs import pictures, request_mode, thumb_wanted

bp = Blueprint("ocr_documents", __name__)
VEHICLE_SIDES = ("vehicle_registration_front", "vehicle_registration_back")


@dataclass(frozen=True)
class Endpoint:
    path: str
    images: tuple[str, ...]
    types: tuple[str, ...]  # what it reads; the first ones are what plain bytes read as
    shape: str  # single | pair | list | plates | tables | text
    pdf: bool = False
    xml: bool = False

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
)


def answer(endpoint: Endpoint) -> dict[str, Any]:
    thumb_wanted()  # a bad value is refused before any image is read
    if endpoint.xml:
        return success(_xml_invoice(endpoint))
    found = pictures(endpoint.images, request_mode(), pdf=endpoint.pdf)
    note_trigger(found)
    if endpoint.shape == "pair":
        return success(_pair(endpoint, *found))
    (pic,) = found
    pages = pic.pages or [pic]
    if endpoint.shape in ("plates", "tables", "text"):
        return success([region for page in pages for region in _regions(endpoint, page)])
    items = [item for page in pages for item in _items(endpoint, page)]
    if not items:
        raise no_document()
    if endpoint.shape == "single":
        return success(items[0] if pic.pages is None else items)
    return success(items)


def _readable(endpoint: Endpoint, page: Picture, types: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The page's documents of ``types`` (the endpoint's by default); others are named in the
    note header."""
    types = types or endpoint.types
    docs = documents_in(page, types)
    others = sorted({d["type"] for d in docs if d["type"] not in types})
    if others:
        add_note([f"{endpoint.name} does not read {', '.join(others)}"])
    return [d for d in docs if d["type"] in types]


def _items(endpoint: Endpoint, page: Picture) -> list[dict[str, Any]]:
    docs = _readable(endpoint, page)
    return [document_item(doc, f"{page.seed}:{k}", validity=False, size=page.size) for k, doc in enumerate(docs)]


def _pair(endpoint: Endpoint, front_pic: Picture, back_pic: Picture) -> list[dict[str, Any]]:
    """Front and back of one registration: one owner, the front's seed for both."""
    # img1 reads as a front and img2 as a back unless a scenario says otherwise
    front = next(iter(_readable(endpoint, front_pic, VEHICLE_SIDES[:1])), None)
    back = next(iter(_readable(endpoint, back_pic, VEHICLE_SIDES[1:])), None)
    if front is None or back is None:
        raise no_document("img1" if front is None else "img2")
    seed = front.get("seed", front_pic.seed)
    return [
        document_item(front, seed, validity=False, size=front_pic.size),
        document_item({**back, "seed": back.get("seed", seed)}, seed, validity=False, size=back_pic.size),
    ]


def _regions(endpoint: Endpoint, page: Picture) -> list[Any]:
    if page.blank or (page.scenario is not None and page.scenario.get("documents") == []):
        raise no_document()
    pinned = [d for d in (page.scenario or {}).get("documents", []) if d["type"] in endpoint.types]
    thumb = thumb_wanted()
    if endpoint.shape == "plates":
        found = regions.plates(page.seed, pinned)
    elif endpoint.shape == "tables":
        found = regions.tables(page.seed, pinned)
    else:
        lines = [str(x) for d in pinned for x in d.get("fields", {}).get("lines", [])]
        return [regions.text_page(page.seed, page.size, lines or None)]
    if thumb:
        for region in found:
            region["image"] = thumbnail(endpoint.shape)
    return found


_SCENARIO_PI = re.compile(rb"<\?cvs-scenario\s+(.*?)\?>", re.S)


def _xml_invoice(endpoint: Endpoint) -> list[dict[str, Any]]:
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
    exchange = current_exchange()
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
    items = _items(endpoint, page)
    if not items:
        raise no_document()
    return items


def _view(endpoint: Endpoint) -> Any:
    @api_view("ocr", endpoint.name)
    def view() -> dict[str, Any]:
        return answer(endpoint)

    return view


for _endpoint in ENDPOINTS:
    bp.add_url_rule(
        _endpoint.path,
        endpoint=_endpoint.name.replace("/", "_"),
        view_func=_view(_endpoint),
        methods=["POST"] if _endpoint.xml else ["GET", "POST"],
    )
