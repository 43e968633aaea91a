"""``python -m benchmarks``: print one table, every figure beside its baseline from the same run."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import galleries, growth, image_memory, limits, recording, round_trips, sections, shared, startup

SECTIONS = (
    "in-process",
    "files",
    "live",
    "peer",
    "fixtures",
    "startup",
    "scale",
    "memory",
    "image-memory",
    "limits",
    "recording",
    "shared",
    "round-trips",
    "galleries",
    "growth",
)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections (repeatable)")
    parser.add_argument("--quick", action="store_true", help="smaller runs (for a smoke check, not for figures)")
    parser.add_argument(
        "--prism-dir",
        type=Path,
        default=Path(".bench/prism"),
        help="where @stoplight/prism-cli@5 is installed (npm install --prefix DIR)",
    )
    args = parser.parse_args()
    chosen = args.only or list(SECTIONS)
    quick = args.quick
    rows: list[sections.Row] = []
    runners = {
        "in-process": lambda: sections.in_process(1.0 if quick else 5.0),
        "files": lambda: sections.files(1.0 if quick else 4.0),
        "live": lambda: sections.live(400 if quick else 4000),
        "peer": lambda: sections.peer(400 if quick else 4000, args.prism_dir),
        "fixtures": lambda: sections.fixtures(100 if quick else 1000),
        "startup": lambda: startup.startup(3 if quick else 9),
        "scale": lambda: sections.scale((1_000, 10_000) if quick else (1_000, 10_000, 100_000)),
        "memory": lambda: sections.memory(2 if quick else 10),
        "image-memory": image_memory.image_memory,
        "limits": lambda: limits.limits(20 if quick else 200),
        "recording": lambda: recording.recording(3 if quick else 7, 2 if quick else 10),
        "shared": lambda: shared.shared(1 if quick else 3, 3 if quick else 8),
        "round-trips": round_trips.round_trips,
        "galleries": lambda: galleries.galleries(10_000 if quick else 100_000, 3, 50 if quick else 300),
        "growth": lambda: growth.growth(1_000 if quick else 10_000),
    }
    if {"live", "peer"} & set(chosen):
        print(f"... load generator: {sections.load_generator()}", flush=True)
    for name in chosen:
        print(f"... {name}", flush=True)
        rows.extend(runners[name]())
    header = ("section", "measure", "cvs-mock", "baseline", "ratio", "goal")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(6)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
