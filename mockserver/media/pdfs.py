"""PDF input, read with pypdf: one Picture per page, each with the scenario its page carries.

A test's PDF carries each page's ground truth in the page dictionary, under ``/CVSScenario``
(a JSON text in the format of ``contracts/schemas/scenario.json``), so a test can pin what
every page says. Pages without one read as a deterministic document of their own.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from mockserver import limits
from mockserver.exceptions import CVSError

MAX_PAGES = 200
# A broken PDF is an expected input here ("Incorrect image format"), not a log-worthy event.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def pdf_pages(data: bytes) -> list[tuple[dict[str, Any] | None, str | None, tuple[int, int]]]:
    """(scenario, problem, (width, height)) of each page; CVSError('bad_image') for a PDF
    pypdf cannot read, with no page, or with more than MAX_PAGES."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = list(reader.pages)
        if not pages or len(pages) > MAX_PAGES:
            raise CVSError("bad_image", "input:pdf-page-count", str(len(pages)))
        return [_page(page) for page in pages]
    except CVSError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise CVSError("bad_image", "input:bad-pdf", type(exc).__name__) from None


def _page(page: Any) -> tuple[dict[str, Any] | None, str | None, tuple[int, int]]:
    from mockserver.media.scenario import PDF_PAGE_KEY, check

    box = page.mediabox
    size = (max(1, int(float(box.width))), max(1, int(float(box.height))))
    raw = page.get(PDF_PAGE_KEY)
    if raw is None:
        return None, None, size
    try:
        found = limits.loads(str(raw))
    except ValueError as exc:
        return None, f"page scenario is not JSON: {exc}", size
    problem = check(found)
    return (None, problem, size) if problem else (found, None, size)
