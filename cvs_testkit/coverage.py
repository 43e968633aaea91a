"""Error-path coverage: which documented outcomes of which flows a test suite's client met.

The universe is every code of ``contracts/errors.json`` per flow (successes, errors,
warnings) plus the forced faults; what was met comes from the fakes' journals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mockserver.contract.catalogue import FLOWS
from mockserver.contract.loading import load_contract
from mockserver.state.outcomes import FAULTS

Outcome = tuple[str, str, str]  # (flow, kind, code)


def universe() -> set[Outcome]:
    found: set[Outcome] = set()
    for flow, spec in load_contract().catalogue["flows"].items():
        for entry in spec["errors"]:
            code = str(entry["code"])
            found.add((flow, "success" if entry["message"] == "Success" else "error", code))
        for warning in spec.get("warnings", {}).get("codes", []):
            found.add((flow, "warning", str(warning["code"])))
        found.update((flow, "fault", fault) for fault in FAULTS)
    return found


def met(entries: Iterable[dict[str, Any]]) -> set[Outcome]:
    """Outcomes seen in journal entries."""
    out: set[Outcome] = set()
    for entry in entries:
        flow, trigger = entry.get("flow"), str(entry.get("trigger", ""))
        if not flow:
            continue
        for part in trigger.split("+"):
            if part.startswith("forced:") and part[7:] in FAULTS:
                out.add((flow, "fault", part[7:]))
        code = str(entry.get("code", "-"))
        if code != "-":
            out.add((flow, "success" if code == "0" else "error", code))
        out.update((flow, "warning", str(w)) for w in entry.get("warnings", []))
    return out & universe()


def report(seen: set[Outcome]) -> tuple[float, list[str]]:
    """(percent met, lines of a flow-by-flow table)."""
    everything = universe()
    lines = ["cvs-testkit error-path coverage (outcomes your client received, per flow):"]
    for flow in FLOWS:
        mine = {o for o in everything if o[0] == flow}
        hit = mine & seen
        lines.append(f"  {flow:<14} {len(hit):>3}/{len(mine):<3}")
        for kind in ("success", "error", "warning", "fault"):
            codes = sorted((o[2] for o in mine if o[1] == kind), key=_order)
            if codes:
                marks = " ".join(f"{c}{'+' if (flow, kind, c) in seen else '-'}" for c in codes)
                lines.append(f"      {kind:<8} {marks}")
    percent = 100.0 * len(seen & everything) / len(everything)
    lines.append(f"  total: {len(seen & everything)}/{len(everything)} = {percent:.1f}%  (+ met, - not met)")
    return percent, lines


def _order(code: str) -> tuple[int, str]:
    return (int(code), "") if code.lstrip("-").isdigit() else (10**6, code)
