"""The conformance report as a terminal table, JUnit XML and JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .runner import Report


def table(report: Report) -> list[str]:
    lines = [
        f"conformance of {report.base_url}",
        f"{'flow':<14} {'passed':>6} {'failed':>6} {'skipped':>7}  codes met / never met / unknown",
    ]
    for flow in report.flows:
        rows = [r for r in report.results if r.flow == flow]
        count = {k: sum(r.outcome == k for r in rows) for k in ("passed", "failed", "skipped")}
        codes = report.codes.get(flow, {})
        lines.append(
            f"{flow:<14} {count['passed']:>6} {count['failed']:>6} {count['skipped']:>7}  "
            f"{','.join(codes.get('met', [])) or '-'} / {','.join(codes.get('never_met', [])) or '-'} / "
            f"{','.join(codes.get('unknown', [])) or '-'}"
        )
    for result in report.failed:
        lines.append(f"FAIL {result.name} (HTTP {result.status}, code {result.code})")
        lines.extend(f"     {finding}" for finding in result.findings)
    drift = [(r.name, d) for r in report.results for d in r.drift]
    for name, finding in drift:
        lines.append(f"drift {name}: {finding}")
    states = {
        state: [k for k, v in report.assumptions.items() if v == state]
        for state in ("confirmed", "contradicted", "not exercised")
    }
    for state, keys in states.items():
        lines.append(f"assumptions {state}: {', '.join(keys) or '-'}")
    if report.dialect:
        lines.append("dialect spoken (option: reading observed):")
        lines.extend(f"  {option:28} {value or 'not observed'}" for option, value in sorted(report.dialect.items()))
    lines.append(f"billable calls: {report.billable_spent} of at most {report.max_billable}")
    lines.append("result: " + ("PASS" if report.exit_code == 0 else f"FAIL ({len(report.failed)} probes)"))
    return lines


def write_json(report: Report, path: Path) -> None:
    path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_junit(report: Report, path: Path) -> None:
    suites = ET.Element("testsuites", name="cvs-testkit conformance")
    for flow in report.flows:
        rows = [r for r in report.results if r.flow == flow]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=flow,
            tests=str(len(rows)),
            failures=str(sum(r.outcome == "failed" for r in rows)),
            skipped=str(sum(r.outcome == "skipped" for r in rows)),
            errors="0",
        )
        for result in rows:
            case = ET.SubElement(suite, "testcase", classname=f"conformance.{flow}", name=result.name)
            if result.outcome == "failed":
                failure = ET.SubElement(case, "failure", message=str(result.findings[0]))
                failure.text = "\n".join(str(f) for f in result.findings)
            elif result.outcome == "skipped":
                ET.SubElement(case, "skipped", message=result.reason)
            if result.drift:
                ET.SubElement(case, "system-out").text = "\n".join(str(d) for d in result.drift)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
