"""Scenario images: real PNG or JPEG bytes that tell the fake what they "contain".

>>> from cvs_testkit import images
>>> front = images.id_card("chip_id_card_front", name="NGUYỄN VĂN A", id="001099012345")
>>> selfie = images.portrait("alice")
>>> images.read_scenario(front)["documents"][0]["fields"]["name"]
'NGUYỄN VĂN A'

The ground truth rides in a PNG iTXt chunk or a JPEG comment (``contracts/schemas/scenario.json``
is its format), so it travels through every transport with no shared configuration. The fake
makes the same images over HTTP (``POST /__mock__/images``) for clients in other languages.
"""

from __future__ import annotations

from mockserver.generation.scenario_images import (
    DOCUMENT_TYPES,
    HR_TYPES,
    LIVENESS_PARTS,
    SPOOFS,
    Format,
    Spoof,
    blank_image,
    corrupt_image,
    document,
    face,
    id_card,
    liveness_shots,
    no_document,
    no_face,
    pdf,
    portrait,
    read_scenario,
    scenario_image,
    to_base64,
)

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
