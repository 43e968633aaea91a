"""Answers made of regions rather than one document: the plates in an image, the tables of a
page, the text of a page as blocks of lines of items. One element per region (or page)."""

from __future__ import annotations

import random
from typing import Any

from mockserver.generation.papers import GOODS, money

LETTERS = "ABCDEFGHKLMNPSTUVXYZ"
PLATE_CODES = tuple(range(11, 100))  # the two-digit area codes of Vietnamese plates
SENTENCES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Hà Nội, ngày 12 tháng 3 năm 2024",
    "Kính gửi: Ban Giám đốc Công ty",
    "Căn cứ vào nhu cầu công việc, đề nghị phê duyệt kế hoạch.",
    "Trân trọng cảm ơn.",
)


def plate_number(rng: random.Random, motorbike: bool | None = None) -> str:
    """A plate in the national format: cars '30A-123.45', motorbikes '29-B1 123.45'."""
    area = rng.choice(PLATE_CODES)
    digits = f"{rng.randint(0, 999):03d}.{rng.randint(0, 99):02d}"
    if motorbike if motorbike is not None else rng.random() < 0.5:
        return f"{area}-{rng.choice(LETTERS)}{rng.randint(1, 9)} {digits}"
    return f"{area}{rng.choice(LETTERS)}-{digits}"


def plates(seed: str, pinned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}:plates")
    if pinned:
        return [{"plate": str(p.get("fields", {}).get("plate") or plate_number(rng))} for p in pinned]
    return [{"plate": plate_number(rng)}]


def tables(seed: str, pinned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(f"{seed}:tables")
    if pinned:
        return [{"info": [[str(c) for c in row] for row in p.get("fields", {}).get("rows", [])]} for p in pinned]
    rows = [["STT", "Tên hàng", "Số lượng", "Thành tiền"]]
    for n, (name, price) in enumerate(rng.sample(GOODS, rng.randint(2, 4)), start=1):
        quantity = rng.randint(1, 5)
        rows.append([str(n), name, str(quantity), money(quantity * price)])
    return [{"info": rows}]


def text_page(seed: str, size: tuple[int, int], lines: list[str] | None = None) -> list[list[list[dict[str, Any]]]]:
    """One page: one block per paragraph, one line per sentence, one item per word group."""
    rng = random.Random(f"{seed}:text")
    chosen = lines if lines else rng.sample(SENTENCES, rng.randint(2, len(SENTENCES)))
    width, height = max(1, size[0]), max(1, size[1])
    line_height = max(1, height // (len(chosen) + 2))
    blocks = []
    for n, sentence in enumerate(chosen):
        top = min(height - 1, line_height * (n + 1))
        bottom = min(height, top + max(1, line_height * 3 // 4))
        left = min(width - 1, width // 20)
        right = min(width, max(left + 1, left + len(sentence) * max(1, width // 80)))
        item = {
            "text": sentence,
            "confidence": round(rng.uniform(0.8, 1.0), 4),
            "box": {"left": left, "right": right, "top": top, "bottom": bottom},
        }
        blocks.append([[item]])
    return blocks
