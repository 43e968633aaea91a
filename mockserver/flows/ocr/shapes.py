"""The ``data`` of endpoints that read a file as a whole rather than page by page: the page
labels of a claim file, the HR file's lists by kind, and one document whose values point at
their pages (a credit report, a land certificate)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from mockserver.flows.ocr.views import add_note, document_item, documents_in, no_document
from mockserver.generation.claim_files import LABEL_OF
from mockserver.generation.hr_files import ONE_PER_FILE
from mockserver.media.pictures import Picture
from mockserver.media.thumbnails import thumbnail
from mockserver.pipeline.exchange import RequestRecord


class Reads(Protocol):
    """What a shape needs of its endpoint's row."""

    @property
    def name(self) -> str: ...
    @property
    def types(self) -> tuple[str, ...]: ...
    @property
    def visible(self) -> tuple[str, ...]: ...
    @property
    def family(self) -> str: ...


def readable(
    exchange: RequestRecord, endpoint: Reads, page: Picture, types: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The page's documents of ``types`` (the endpoint's by default); others are named in the
    note header."""
    docs = documents_in(page, types or endpoint.visible)
    types = types or endpoint.types
    others = sorted({d["type"] for d in docs if d["type"] not in types})
    if others:
        add_note(exchange, [f"{endpoint.name} does not read {', '.join(others)}"])
    return [d for d in docs if d["type"] in types]


def labels(exchange: RequestRecord, endpoint: Reads, pages: Sequence[Picture], file_seed: str) -> list[dict[str, Any]]:
    """One label per page, in page order; a page that fits no label is labelled null. A page
    ocr/claims reads gets the label of the document it reads there, so the two agree."""
    thumb, out, anything = exchange.thumb_wanted(), [], False
    for n, page in enumerate(pages):
        docs = sorted(documents_in(page, endpoint.visible), key=lambda d: d["type"] not in endpoint.visible)
        anything = anything or bool(docs)
        label = next((found for found in (_label(exchange, d) for d in docs) if found is not None), None)
        out.append({"id": n, "label": label, **({"image": thumbnail("claim_page")} if thumb else {})})
    if not anything:
        raise no_document(exchange)
    return out


def _label(exchange: RequestRecord, doc: dict[str, Any]) -> str | None:
    if doc["type"] != "claim_page":
        return LABEL_OF.get(doc["type"])
    pinned = doc.get("fields", {}).get("label")
    known = exchange.fake.contract.schemas["ocr_document.json"]["$defs"]["claim_label"]["enum"]
    if pinned is not None and pinned not in known:
        add_note(exchange, [f"scenario field label ignored ({pinned!r} is none of the 17 labels)"])
        return None
    return str(pinned) if pinned is not None else None


def profile(exchange: RequestRecord, endpoint: Reads, pages: Sequence[Picture], file_seed: str) -> dict[str, Any]:
    """The HR file by kind. The one-per-file kinds (register, CV, health certificate) gather
    all their pages into one element; the others give an element per document; pages with
    nothing readable are the negative images. A kind the file lacks is absent (HR4)."""
    found: dict[str, list[tuple[Picture, dict[str, Any]]]] = {}
    negative = []
    for page in pages:
        docs = readable(exchange, endpoint, page)
        if not docs:
            negative.append(thumbnail("negative"))
        for doc in docs:
            found.setdefault(doc["type"], []).append((page, doc))
    if not found:
        raise no_document(exchange)
    data: dict[str, Any] = {}
    for kind in (k for k in endpoint.types if k in found):
        entries = found[kind]
        if kind in ONE_PER_FILE:
            data[kind] = [_spanning(exchange, endpoint, entries, file_seed)]
        else:
            data[kind] = [_item(exchange, endpoint, doc, file_seed, page, 1) for page, doc in entries]
    if negative:
        data["image_negative"] = negative
    return data


def whole_file(exchange: RequestRecord, endpoint: Reads, pages: Sequence[Picture], file_seed: str) -> dict[str, Any]:
    """One document for the whole file: the first one found, over every page that shows a
    document of its type; its values' ``_id`` point at those pages."""
    showing = [(page, doc) for page in pages for doc in readable(exchange, endpoint, page)]
    if not showing:
        raise no_document(exchange)
    kind = showing[0][1]["type"]
    same = [(page, doc) for page, doc in showing if doc["type"] == kind]
    others = sorted({doc["type"] for _, doc in showing if doc["type"] != kind})
    if others:
        add_note(exchange, [f"{endpoint.name} reads one document per file: {', '.join(others)} left out"])
    return _spanning(exchange, endpoint, same, file_seed)


def _spanning(
    exchange: RequestRecord, endpoint: Reads, entries: list[tuple[Picture, dict[str, Any]]], seed: str
) -> dict[str, Any]:
    """One document over the pages that show it: the first page's type and seed, every page's
    pinned fields, its page pointers among those pages."""
    fields: dict[str, Any] = {}
    for _, doc in entries:
        fields.update(doc.get("fields", {}))
    first_page, first = entries[0]
    doc = {**first, "fields": fields} if fields else dict(first)
    return _item(exchange, endpoint, doc, seed, first_page, len(entries))


def _item(
    exchange: RequestRecord, endpoint: Reads, doc: dict[str, Any], seed: str, page: Picture, pages: int
) -> dict[str, Any]:
    return document_item(exchange, doc, seed, validity=False, size=page.size, family=endpoint.family, pages=pages)


WHOLE_FILE: dict[str, Callable[[RequestRecord, Reads, Sequence[Picture], str], Any]] = {
    "labels": labels,
    "profile": profile,
    "file": whole_file,
}
