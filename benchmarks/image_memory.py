"""Peak memory of the served fake for images just under the pixel limit: one Face Matching
request, then 8 at once, in one server process (its kernel peak-RSS mark reset between)."""

from __future__ import annotations

import io
import threading

import requests
from PIL import Image, ImageDraw

from .processes import cvs_mock, peak_rss_reset, process, rss_kib

Row = tuple[str, str, str, str, str, str]
AUTH = ("demo", "p@55w0rd")
SIDE = 6300  # 39.7 MP, under the default 40 MP limit


def near_limit(kind: str) -> bytes:
    """A small file that decodes to almost 40 MP: a uniform field with one shape."""
    picture = Image.new("RGB" if kind == "PNG" else "P", (SIDE, SIDE), 200)
    ImageDraw.Draw(picture).rectangle((100, 100, 900, 900), fill=10)
    out = io.BytesIO()
    picture.save(out, format=kind)
    return out.getvalue()


def _match(base: str, card: bytes, portrait: bytes, kind: str) -> int:
    files = {"img1": (f"card.{kind.lower()}", card), "img2": (f"portrait.{kind.lower()}", portrait)}
    answer = requests.post(f"{base}/api/v2/ekyc/face_matching?format_type=file", files=files, auth=AUTH, timeout=300)
    return answer.status_code


def _into(statuses: list[int], base: str, picture: bytes, kind: str) -> None:
    statuses.append(_match(base, picture, picture, kind))


def image_memory() -> list[Row]:
    rows: list[Row] = []
    for kind in ("GIF", "PNG"):
        picture = near_limit(kind)
        with process(cvs_mock(), "/__mock__/health") as (fake, pid):
            _match(fake, picture, picture, kind)  # imports and caches warmed
            baseline = rss_kib(pid)
            peak_rss_reset(pid)
            _match(fake, picture, picture, kind)
            one = rss_kib(pid, "VmHWM")
            peak_rss_reset(pid)
            statuses: list[int] = []
            threads = [threading.Thread(target=_into, args=(statuses, fake, picture, kind)) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=600)
            eight = rss_kib(pid, "VmHWM")
        shown = f"{kind} {SIDE}x{SIDE} ({len(picture) // 1024} KB), HTTP {sorted(set(statuses))}"
        rows.append(
            (
                "image memory",
                f"peak RSS MB, 8 concurrent vs 1 face_matching, two {shown}",
                f"{eight / 1024:.0f}",
                f"{one / 1024:.0f}",
                f"{eight / one:.2f}x",
                f"8 at once < 600 MB (idle {baseline / 1024:.0f} MB)",
            )
        )
    return rows
