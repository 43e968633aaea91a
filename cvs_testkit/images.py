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

# The makers live with the fake, which serves them over HTTP too; this is their Python name.
from mockserver.generation.scenario_images import *  # noqa: F403
from mockserver.generation.scenario_images import __all__ as __all__
