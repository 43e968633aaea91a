"""Scenario images: real PNG or JPEG bytes that tell the fake what they "contain". Python
reaches them as ``cvs_testkit.images``, every other language by ``POST /__mock__/images``.

>>> from cvs_testkit import images
>>> front = images.id_card("chip_id_card_front", name="NGUYỄN VĂN A", id="001099012345")
>>> selfie = images.portrait("alice")
>>> images.read_scenario(front)["documents"][0]["fields"]["name"]
'NGUYỄN VĂN A'

The ground truth rides in a PNG iTXt chunk or a JPEG comment (``contracts/schemas/scenario.json``
is its format), so it travels through every transport with no shared configuration.
"""

from __future__ import annotations

import base64
import io
from typing import Any, Literal

from PIL import Image, ImageDraw, PngImagePlugin

from mockserver.generation.documents import DOCUMENT_TYPES, schema_type_of
from mockserver.generation.hr_files import HR_TYPES
from mockserver.media import scenario as scenario_format

__all__ = [
    "Format",
    "Spoof",
    "DOCUMENT_TYPES",
    "HR_TYPES",
    "LIVENESS_PARTS",
    "SPOOFS",
    "blank_image",
    "corrupt_image",
    "document",
    "face",
    "id_card",
    "liveness_shots",
    "no_document",
    "no_face",
    "pdf",
    "portrait",
    "read_scenario",
    "scenario_image",
    "to_base64",
]
Format = Literal["PNG", "JPEG"]
Spoof = Literal["screen", "printed_photo", "mask", "eyes_closed"]
SIZE = (640, 400)
SPOOFS: tuple[Spoof, ...] = ("screen", "printed_photo", "mask", "eyes_closed")
LIVENESS_PARTS = ("portrait_left", "portrait_mid", "portrait_right")
POSES = {
    "portrait_left": (150, 100, 350, 320),
    "portrait_mid": (220, 100, 420, 320),
    "portrait_right": (290, 100, 490, 320),
}


def document(
    type: str, *, fields: dict[str, Any] | None = None, invalid_code: int = 0, seed: str | None = None
) -> dict[str, Any]:
    """One document of a scenario: its type, pinned field values, an OCR warning (0-6).

    ``type`` is a document type (``DOCUMENT_TYPES``), a page of an HR file (``HR_TYPES``:
    ``ocr/employee_profile`` reads them with that file's own field lists) or a region kind.

    Fields take the contract's own types: strings, numbers from 0 to 1 for ``*_confidence``,
    ``[left, top, right, bottom]`` for ``*_box``. A value of the wrong type raises ValueError
    naming the field (the fake would have to leave it out)."""
    if type not in DOCUMENT_TYPES and type not in HR_TYPES and type not in REGION_KINDS:
        known = ", ".join(dict.fromkeys([*DOCUMENT_TYPES, *HR_TYPES, *REGION_KINDS]))
        raise ValueError(f"unknown document type {type!r}; known: {known}")
    doc: dict[str, Any] = {"type": type}
    if fields:
        _check_fields(type, fields)
        doc["fields"] = dict(fields)
    if invalid_code:
        doc["invalid_code"] = invalid_code
    if seed is not None:
        doc["seed"] = seed
    return doc


REGION_KINDS = {
    # regions an endpoint reads besides documents, and the field that pins each
    "vehicle_plate": ("plate", str),
    "table": ("rows", list),
    "text_page": ("lines", list),
    "claim_page": ("label", str),  # a claim-file page get_label_claim labels and ocr/claims does not read
    "bank_statement": ("rows", list),  # [date, description, debit, credit] per row; balances are computed
}


def _check_fields(doc_type: str, fields: dict[str, Any]) -> None:
    from mockserver.contract.loading import load_contract

    if doc_type in REGION_KINDS:
        name, kind = REGION_KINDS[doc_type]
        for field, value in fields.items():
            if field != name or not isinstance(value, kind):
                raise ValueError(f"a {doc_type} takes {name} ({kind.__name__}), not {field}={value!r}")
        return
    contract = load_contract()
    schema_type = doc_type if doc_type in DOCUMENT_TYPES else schema_type_of(doc_type, "hr_")
    known = contract.schemas["ocr_document.json"]["$defs"][f"info_{schema_type}"]["properties"]
    for field, value in fields.items():
        problem = contract.field_problem(schema_type, field, value) if field in known else None
        if problem is not None:
            raise ValueError(f"{doc_type} field {field!r} cannot be {value!r}: {problem}")


def face(identity: str, box: tuple[int, int, int, int] | None = None) -> dict[str, Any]:
    """One face: faces with equal ``identity`` belong to one person."""
    found: dict[str, Any] = {"identity": identity}
    if box is not None:
        found["box"] = list(box)
    return found


def scenario_image(
    *,
    documents: list[dict[str, Any]] | None = None,
    faces: list[dict[str, Any]] | None = None,
    blank: bool = False,
    similarity: float | None = None,
    face_warning: int | None = None,
    crop_warning: int | None = None,
    liveness_warning: int | None = None,
    spoof: Spoof | None = None,
    format: Format = "PNG",
    size: tuple[int, int] = SIZE,
) -> bytes:
    """Image bytes carrying a scenario. ``None`` leaves a key to the fake's default;
    ``documents=[]`` means "no document", ``faces=[]`` "no face"."""
    scenario: dict[str, Any] = {"cvs_scenario": 1}
    for key, value in (
        ("documents", documents),
        ("faces", faces),
        ("similarity", similarity),
        ("face_warning", face_warning),
        ("crop_warning", crop_warning),
        ("liveness_warning", liveness_warning),
        ("spoof", spoof),
    ):
        if value is not None:
            scenario[key] = value
    if blank:
        scenario["blank"] = True
    return _encode(_draw(scenario, size), scenario, format)


def id_card(
    type: str = "chip_id_card_front",
    *,
    invalid_code: int = 0,
    identity: str | None = None,
    format: Format = "PNG",
    **fields: Any,
) -> bytes:
    """A card image with one document of ``type``, any fields pinned, and (optionally) the
    holder's face ``identity`` for Face Matching."""
    faces = [face(identity, (60, 120, 200, 300))] if identity else None
    return scenario_image(
        documents=[document(type, fields=fields, invalid_code=invalid_code)], faces=faces, format=format
    )


def portrait(
    identity: str,
    *,
    similarity: float | None = None,
    face_warning: int | None = None,
    crop_warning: int | None = None,
    liveness_warning: int | None = None,
    spoof: Spoof | None = None,
    pose: str = "portrait_mid",
    format: Format = "PNG",
) -> bytes:
    """A selfie of ``identity`` (one face; ``pose`` turns it as Verify Liveness asks:
    ``portrait_left``, ``portrait_mid``, ``portrait_right``).

    ``spoof`` makes it no live shot ("screen", "printed_photo", "mask", "eyes_closed"):
    Verify Liveness answers invalidCode 6, 7 or 8 for it as the mid, left or right shot.
    ``liveness_warning`` (0-8) pins the invalidCode of any liveness check it is part of."""
    if pose not in POSES:
        raise ValueError(f"pose must be one of {', '.join(POSES)}")
    if spoof is not None and spoof not in SPOOFS:
        raise ValueError(f"spoof must be one of {', '.join(SPOOFS)}")
    return scenario_image(
        faces=[face(identity, POSES[pose])],
        documents=[],
        similarity=similarity,
        face_warning=face_warning,
        crop_warning=crop_warning,
        liveness_warning=liveness_warning,
        spoof=spoof,
        format=format,
    )


def liveness_shots(identity: str, **pinned: Any) -> dict[str, bytes]:
    """The three portraits of one person Verify Liveness takes, keyed by part name; they pass.

    ``left=``, ``mid=`` or ``right=`` replace one shot (e.g. ``mid=portrait("other")`` for
    "not the same person", ``right=no_face()``); any other keyword (``spoof``,
    ``liveness_warning``, ``format``) goes to every generated shot."""
    replaced = {f"portrait_{side}": pinned.pop(side) for side in ("left", "mid", "right") if side in pinned}
    return {part: replaced.get(part) or portrait(identity, pose=part, **pinned) for part in LIVENESS_PARTS}


def no_face(format: Format = "PNG") -> bytes:
    """A photo with something in it but no face (a wall, an empty chair)."""
    return scenario_image(faces=[], documents=[], format=format)


def no_document(format: Format = "PNG") -> bytes:
    """A picture with neither a document nor a face in it."""
    return scenario_image(documents=[], faces=[], format=format)


def blank_image(format: Format = "PNG", colour: str = "white") -> bytes:
    """A one-colour image: every flow answers "The photo does not contain content"."""
    return _encode(Image.new("RGB", SIZE, colour), None, format)


def corrupt_image() -> bytes:
    """Bytes that start like a PNG and are not one: "Incorrect image format"."""
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(pages: list[dict[str, Any] | list[dict[str, Any]] | None], size: tuple[int, int] = (595, 842)) -> bytes:
    """A PDF with one page per entry: a document (``document(...)``), a list of documents, or
    None for a page that carries no scenario (it reads as a document of its own). Each page
    carries its ground truth in its page dictionary, so a test pins what every page says."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for entry in pages:
        page = writer.add_blank_page(width=size[0], height=size[1])
        if entry is not None:
            documents = entry if isinstance(entry, list) else [entry]
            scenario = {"cvs_scenario": 1, "documents": documents}
            page[NameObject(scenario_format.PDF_PAGE_KEY)] = TextStringObject(scenario_format.encode(scenario))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_scenario(data: bytes) -> dict[str, Any] | None:
    """The scenario an image carries, or None."""
    found, problem = scenario_format.read(Image.open(io.BytesIO(data)))
    if problem:
        raise ValueError(problem)
    return found


def to_base64(data: bytes, *, line_breaks: bool = False) -> str:
    """Base64 text; ``line_breaks=True`` matches the vendor demos' ``base64.encodebytes``."""
    return (base64.encodebytes(data) if line_breaks else base64.b64encode(data)).decode("ascii")


def _draw(scenario: dict[str, Any], size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, "#e9eef3")
    draw = ImageDraw.Draw(image)
    for n, doc in enumerate(scenario.get("documents", [])):
        left = 20 + n * 40
        draw.rounded_rectangle((left, 40 + n * 30, left + 420, 300 + n * 30), 12, fill="#cfe3f1", outline="#1f3b57")
        draw.text((left + 180, 60 + n * 30), doc["type"], fill="#111111")
    for found in scenario.get("faces", [{"identity": "-", "box": [220, 100, 420, 320]}]):
        box = found.get("box", [220, 100, 420, 320])
        draw.ellipse(box, fill="#e0b090", outline="#5a3b20", width=3)
    return image


def _encode(image: Image.Image, scenario: dict[str, Any] | None, format: Format) -> bytes:
    out = io.BytesIO()
    text = scenario_format.encode(scenario) if scenario is not None else None
    if format == "PNG":
        info = PngImagePlugin.PngInfo()
        if text is not None:
            info.add_itxt(scenario_format.KEY, text)
        image.save(out, "PNG", pnginfo=info)
    elif format == "JPEG":
        comment = scenario_format.JPEG_PREFIX + text.encode("utf-8") if text is not None else b""
        image.save(out, "JPEG", quality=85, comment=comment)
    else:
        raise ValueError("format must be PNG or JPEG")
    return out.getvalue()
