"""CVSError: a documented non-success answer, raised anywhere below the pipeline and rendered by it.

A leaf module: it imports nothing of the fake, so every layer may raise it.
"""

from __future__ import annotations

__all__ = ["CVSError"]


class CVSError(Exception):
    """A documented non-success answer, named by meaning (``auth``, ``bad_image``...).

    ``trigger`` says what decided it; it is sent back in the X-CVS-Mock-Trigger header.
    """

    def __init__(self, meaning: str, trigger: str, detail: str = "") -> None:
        super().__init__(f"{meaning} ({trigger}) {detail}".strip())
        self.meaning, self.trigger, self.detail = meaning, trigger, detail
