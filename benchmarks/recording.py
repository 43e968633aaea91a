"""What recording costs: the same requests through the validating proxy in front of the fake,
once recording (every exchange scrubbed and the cassette rewritten) and once not, in rounds
that alternate so that a machine's drift hits both alike."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import requests

from cvs_testkit import images
from mockserver import create_app
from mockserver.proxy import create_proxy_app
from mockserver.recording.recorder import Recorder
from mockserver.server import MockServer

Row = tuple[str, str, str, str, str, str]
AUTH = ("demo", "p@55w0rd")


def _calls() -> list[tuple[str, dict[str, object]]]:
    front = images.id_card("chip_id_card_front", name="LÝ THỊ TUYẾT NHUNG", id="001186012345")
    back = images.id_card("chip_id_card_back")
    return [
        ("/api/v2/ekyc/cards?format_type=file&get_thumb=true", {"files": {"img1": front, "img2": back}}),
        ("/api/v2/ocr/document/general?format_type=base64", {"json": {"img": images.to_base64(front)}}),
    ]


def _round(session: requests.Session, base: str, calls: list[tuple[str, dict[str, object]]], n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        for path, kwargs in calls:
            files = {k: (f"{k}.png", v) for k, v in kwargs.get("files", {}).items()} or None  # type: ignore[attr-defined]
            session.post(base + path, json=kwargs.get("json"), files=files, auth=AUTH, timeout=60).raise_for_status()
    return (time.perf_counter() - started) / (n * len(calls))


def recording(rounds: int, per_round: int) -> list[Row]:
    calls = _calls()
    with tempfile.TemporaryDirectory() as folder, MockServer(create_app({"TESTING": True})) as upstream:
        # A cassette rewritten whole grows with the run: each round records into a fresh one.
        plain = MockServer(create_proxy_app(upstream.base_url))
        with plain, requests.Session() as session:
            timings: dict[str, list[float]] = {"plain": [], "recording": []}
            for n in range(rounds):
                recorder = Recorder(Path(folder), f"round{n}")
                with MockServer(create_proxy_app(upstream.base_url, record=recorder)) as recorded:
                    timings["recording"].append(_round(session, recorded.base_url, calls, per_round))
                timings["plain"].append(_round(session, plain.base_url, calls, per_round))
    plain_ms = statistics.median(timings["plain"]) * 1000
    recording_ms = statistics.median(timings["recording"]) * 1000
    return [
        (
            "recording",
            f"ms per request, proxy --record vs proxy ({per_round * len(calls)} requests x {rounds} rounds)",
            f"{recording_ms:.1f}",
            f"{plain_ms:.1f}",
            f"{recording_ms / plain_ms:.2f}x",
            "<= 2x (scrubbing and the leak listing)",
        )
    ]
