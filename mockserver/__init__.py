"""mockserver: an offline fake of the Computer Vision Vietnam (CVS) API v2.

One Flask app implements OCR (the identity family and every other documented document
endpoint, PDFs and whole claim, HR and credit files included), Face Matching, Verify Liveness,
Face Search and Smart Crop at the vendor's 29 documented paths, answers in the documented
envelopes, and checks its own every answer against ``contracts/``.

What it does not do: read real documents or faces (scenario images and PDFs carry the ground
truth; other inputs get a deterministic answer derived from their bytes), download URLs
(registered files are served from memory, ``.invalid`` hosts are unreachable, other URLs stand
for a deterministic image), or serve undocumented paths (they answer 404 naming the path, D44).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.app import DEFAULTS, create_app

__all__ = ["create_app", "DEFAULTS"]


def __getattr__(name: str) -> Any:
    # The factory pulls in Flask and every flow; importing a light part of the package (the
    # contract loader, the scenario format) must not pay for it.
    if name in __all__:
        from mockserver import app

        return getattr(app, name)
    raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
