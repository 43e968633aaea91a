"""The battery: what the conformance runner sends per flow, what it expects, and which
assumption of contracts/ASSUMPTIONS.md each answer confirms or contradicts. One module per
family of flows; this one names them by flow."""

from __future__ import annotations

from collections.abc import Callable

from .face_probes import face_matching_probes, liveness_probes
from .image_probes import face_search_probes, smart_crop_probes
from .ocr_probes import document_endpoints, document_probes, ocr_probes
from .probe import Probe, Samples, b64

__all__ = ["BATTERIES", "LIFECYCLE_BILLABLE", "Probe", "Samples", "b64", "document_endpoints", "document_probes"]

BATTERIES: dict[str, Callable[[Samples], list[Probe]]] = {
    "ocr": ocr_probes,
    "face_matching": face_matching_probes,
    "liveness": liveness_probes,
    "face_search": face_search_probes,
    "smart_crop": smart_crop_probes,
}
LIFECYCLE_BILLABLE = 5  # add, list, search, update, delete
