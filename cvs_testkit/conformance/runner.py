"""Run the battery against a server and collect what it shows."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mockserver.contract.loading import contracts_dir, load_contract
from mockserver.recording.recorder import Recorder
from mockserver.recording.request import KeptRequest, describe

from ..fake import Credentials
from . import checks
from .calibrate import observe
from .checks import Exchange, Finding
from .probes import BATTERIES, LIFECYCLE_BILLABLE, Probe, Samples, b64, document_probes
from .senders import Sender

FLOWS = tuple(BATTERIES)


@dataclass
class ProbeResult:
    name: str
    flow: str
    outcome: str  # passed | failed | skipped
    findings: list[Finding] = field(default_factory=list)
    drift: list[Finding] = field(default_factory=list)
    code: str | None = None
    status: int | None = None
    reason: str = ""


@dataclass
class Report:
    base_url: str
    flows: tuple[str, ...]
    max_billable: int
    results: list[ProbeResult] = field(default_factory=list)
    billable_spent: int = 0
    assumptions: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    dialect: dict[str, str | None] = field(default_factory=dict)  # per option: the reading observed

    @property
    def failed(self) -> list[ProbeResult]:
        return [r for r in self.results if r.outcome == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def as_dict(self) -> dict[str, Any]:
        def finding(f: Finding) -> dict[str, str]:
            return {"check": f.check, "path": f.path, "expected": f.expected, "got": f.got, "severity": f.severity}

        return {
            "base_url": self.base_url,
            "flows": list(self.flows),
            "max_billable": self.max_billable,
            "billable_spent": self.billable_spent,
            "passed": self.exit_code == 0,
            "results": [
                {
                    "name": r.name,
                    "flow": r.flow,
                    "outcome": r.outcome,
                    "status": r.status,
                    "code": r.code,
                    "reason": r.reason,
                    "findings": [finding(f) for f in r.findings],
                    "drift": [finding(f) for f in r.drift],
                }
                for r in self.results
            ],
            "assumptions": self.assumptions,
            "codes": self.codes,
            "dialect": self.dialect,
        }


def _described(method: str, path: str, kwargs: dict[str, Any]) -> KeptRequest:
    files = kwargs.get("files")
    if files is not None:
        parts = {k: (v[1] if isinstance(v, tuple) else v) for k, v in files.items()}
        return describe(method, path, "multipart/form-data", None, parts)
    if "json" in kwargs:
        return describe(method, path, "application/json", json.dumps(kwargs["json"]).encode(), None)
    data = kwargs.get("data")
    return describe(method, path, "application/json", data.encode() if isinstance(data, str) else data, None)


def assumption_ids() -> list[str]:
    text = (contracts_dir() / "ASSUMPTIONS.md").read_text(encoding="utf-8")
    return re.findall(r"^## (D\d+) ", text, flags=re.M)


class Runner:
    def __init__(
        self,
        sender: Sender,
        credentials: Credentials,
        *,
        flows: tuple[str, ...] = FLOWS,
        samples: Samples | None = None,
        max_billable: int = 12,
        progress: Callable[[str], None] = lambda line: None,
        endpoints: tuple[str, ...] = (),
        recorder: Recorder | None = None,
    ) -> None:
        self.sender, self.credentials, self.flows = sender, credentials, flows
        self.endpoints = endpoints  # OCR document endpoints to probe too
        self.recorder = recorder  # keeps every exchange, scrubbed, as evidence
        self.samples = samples or Samples.scenario()
        self.progress = progress
        self.report = Report(sender.base_url, flows, max_billable)
        self._votes: dict[str, list[bool]] = {}
        self.exchanges: list[Exchange] = []  # every answer, for the dialect observers

    def plan(self) -> list[tuple[str, str, bool]]:
        """(flow, probe, may bill) for everything a run would send."""
        rows = [(p.flow, p.name, p.may_bill) for flow in self.flows for p in BATTERIES[flow](self.samples)]
        rows += [(p.flow, p.name, p.may_bill) for p in document_probes(self.samples, self.endpoints)]
        if "face_search" in self.flows:
            rows += [
                ("face_search", f"face_search lifecycle: {step}", True)
                for step in ("add", "list", "search", "update", "delete")
            ]
        return rows

    def run(self) -> Report:
        for flow in self.flows:
            for probe in BATTERIES[flow](self.samples):
                self._record(self._run_probe(probe))
            if flow == "ocr":
                for probe in document_probes(self.samples, self.endpoints):
                    self._record(self._run_probe(probe))
            if flow == "face_search":
                for result in self._lifecycle():
                    self._record(result)
        self._summarise()
        return self.report

    # -- one probe --------------------------------------------------------------------
    def _auth(self, kind: str) -> tuple[str, str] | None:
        if kind == "none":
            return None
        return (self.credentials.api_key, self.credentials.api_secret + ("-sai" if kind == "wrong" else ""))

    def _over_budget(self, may_bill: bool) -> bool:
        spent, limit = self.report.billable_spent, self.report.max_billable
        return spent >= limit or (may_bill and spent + 1 > limit)

    def _send(self, flow: str, method: str, path: str, auth: str = "good", **kwargs: Any) -> Exchange:
        exchange = self.sender.send(flow, method, path, auth=self._auth(auth), **kwargs)
        self.exchanges.append(exchange)
        if self.recorder is not None:
            self.recorder.record(
                _described(method, path, kwargs),
                self.sender.base_url,
                exchange.status,
                {"Content-Type": exchange.content_type},
                exchange.raw,
            )
        if exchange.code == "0":
            self.report.billable_spent += 1
        return exchange

    def _run_probe(self, probe: Probe) -> ProbeResult:
        if self._over_budget(probe.may_bill):
            return ProbeResult(probe.name, probe.flow, "skipped", reason="billable budget (--max-billable) reached")
        ex = self._send(probe.flow, probe.method, probe.path, probe.auth, **probe.kwargs)
        for key, check in probe.assumptions.items():
            self._votes.setdefault(key, []).append(bool(check(ex)) if isinstance(ex.body, dict) else False)
        result = self._judge(probe.name, ex, probe.schema, probe.meaning)
        if probe.flow == "smart_crop" and probe.meaning == "success" and ex.code == "0":
            result.findings += self._crop_size(ex, probe.path)
            result.outcome = "failed" if result.findings else result.outcome
        return result

    def _judge(self, name: str, ex: Exchange, schema: str, meaning: str | None) -> ProbeResult:
        findings = (
            checks.json_body_conformance(ex)
            + checks.response_schema_conformance(ex, schema)
            + checks.envelope_conformance(ex)
            + checks.expected_meaning(ex, meaning)
        )
        return ProbeResult(
            name, ex.flow, "failed" if findings else "passed", findings, checks.drift(ex, schema), ex.code, ex.status
        )

    def _crop_size(self, ex: Exchange, path: str) -> list[Finding]:
        from PIL import Image

        wanted = tuple(int(re.search(rf"{k}=(\d+)", path).group(1)) for k in ("width", "height"))  # type: ignore[union-attr]
        url = ex.body.get("url") if isinstance(ex.body, dict) else None
        try:
            size = Image.open(io.BytesIO(self.sender.download(str(url)))).size
        except Exception as exc:  # the result could not be fetched or decoded
            return [Finding("result_image", "/url", "a downloadable image", type(exc).__name__)]
        self._votes.setdefault("D20", []).append(size == wanted)
        return (
            []
            if size == wanted
            else [Finding("result_image", "/url", f"{wanted[0]}x{wanted[1]}", f"{size[0]}x{size[1]}")]
        )

    # -- Face Search lifecycle: always removes what it added ---------------------------
    def _lifecycle(self) -> list[ProbeResult]:
        name = "face_search lifecycle"
        if self.report.max_billable - self.report.billable_spent < LIFECYCLE_BILLABLE:
            return [
                ProbeResult(
                    name,
                    "face_search",
                    "skipped",
                    reason=f"needs {LIFECYCLE_BILLABLE} billable calls within --max-billable",
                )
            ]
        results: list[ProbeResult] = []
        added: int | None = None
        images = "/api/v2/face_search/images"
        try:
            ex = self._send(
                "face_search",
                "POST",
                images,
                json={"image": {"base64": b64(self.samples.selfie), "metadata": {"kiemTra": "cvs-testkit"}}},
            )
            results.append(self._judge(f"{name}: add", ex, "face_search_add_response.json", "success"))
            result = (ex.body or {}).get("result") if isinstance(ex.body, dict) else None
            added = result.get("id") if isinstance(result, dict) else None
            self._votes.setdefault("D16", []).append(isinstance(result, dict) and {"id", "url"} <= set(result))
            if added is None:
                return results
            ex = self._send("face_search", "GET", f"{images}?offset=0&limit=1000")
            results.append(self._judge(f"{name}: list", ex, "face_search_list_response.json", "success"))
            body = json.dumps({"image": {"base64": b64(self.samples.selfie)}})
            ex = self._send("face_search", "POST", "/api/v2/face_search/search", data=body)
            results.append(self._judge(f"{name}: search", ex, "face_search_search_response.json", "success"))
            self._votes.setdefault("D15", []).append(ex.code == "0")
            ex = self._send(
                "face_search", "PUT", f"{images}/{added}", json={"image_id": added, "metadata": {"kiemTra": "đã sửa"}}
            )
            results.append(self._judge(f"{name}: update", ex, "face_search_update_response.json", "success"))
            self._votes.setdefault("D13", []).append(ex.code == "0")
            ex = self._send("face_search", "DELETE", images, json={"ids": [added]})
            results.append(self._judge(f"{name}: delete", ex, "face_search_delete_response.json", "success"))
            if ex.code == "0":
                added = None
        finally:
            if added is not None:
                self._send("face_search", "DELETE", images, json={"ids": [added]})
                self.progress(f"  cleaned up Face Search image {added}")
        return results

    # -- summary ----------------------------------------------------------------------
    def _record(self, result: ProbeResult) -> None:
        self.report.results.append(result)
        mark = {"passed": "ok", "failed": "FAIL", "skipped": "skip"}[result.outcome]
        self.progress(f"  [{mark:>4}] {result.name}" + (f" ({result.reason})" if result.reason else ""))

    def _summarise(self) -> None:
        self.report.dialect = observe(self.exchanges)
        votes = self._votes
        catalogue = load_contract().catalogue["flows"]
        # D27: every code met belongs to its own flow's table; D34: no undocumented top-level key
        for result in self.report.results:
            if result.code is not None:
                known = {str(e["code"]) for e in catalogue[result.flow]["errors"]}
                votes.setdefault("D27", []).append(result.code in known)
            if result.outcome != "skipped":
                votes.setdefault("D34", []).append(not any(d.path.count("/") == 1 for d in result.drift))
        self.report.assumptions = {
            key: ("not exercised" if key not in votes else "confirmed" if all(votes[key]) else "contradicted")
            for key in assumption_ids()
        }
        for flow in self.flows:
            codes = [str(e["code"]) for e in catalogue[flow]["errors"]]
            met = sorted({r.code for r in self.report.results if r.flow == flow and r.code is not None})
            self.report.codes[flow] = {
                "met": [c for c in codes if c in met],
                "never_met": [c for c in codes if c not in met],
                "unknown": [c for c in met if c not in codes],
            }
