"""``cvs-testkit``: the conformance runner (``conformance``) and the cassette leak check
(``scrub-check``) on the command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mockserver.contract.catalogue import FLOWS
from mockserver.recording.options import add_scrub_options, scrubber_from
from mockserver.recording.recorder import Recorder
from mockserver.startup import StartupError, check_positive, check_url
from mockserver.version import package_version

EPILOG = """exit status: 0 all probes passed, 1 contract violations, 2 usage or connection error.

examples:
  cvs-testkit conformance --base-url http://127.0.0.1:8080 --api-key demo --api-secret p@55w0rd
  cvs-testkit conformance --base-url https://cloud.computervision.com.vn --api-key "$CVS_API_KEY" \\
      --api-secret "$CVS_API_SECRET" --images ./samples --max-billable 12 --junit conformance.xml
  cvs-testkit conformance --base-url https://cloud.computervision.com.vn --api-key K --api-secret S --dry-run
"""


CHECK_EPILOG = """exit status: 0 nothing found, 1 personal data found, 2 a file is missing or unreadable.

examples:
  cvs-testkit scrub-check tests/cassettes
  cvs-testkit scrub-check tests/cassettes/onboarding.yaml other.yaml
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cvs-testkit",
        description="Contract tools for the CVS API v2.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{conformance,scrub-check}")
    run = commands.add_parser(
        "conformance",
        help="check a server against the contract",
        description="Send a battery of requests to a server and check every answer against the tolerant contract.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--base-url", required=True, help="server to check, e.g. http://127.0.0.1:8080")
    run.add_argument("--api-key", default=os.environ.get("CVS_API_KEY"), help="api_key (default: $CVS_API_KEY)")
    run.add_argument(
        "--api-secret",
        default=os.environ.get("CVS_API_SECRET"),
        help="api_secret (default: $CVS_API_SECRET); never printed",
    )
    run.add_argument(
        "--flows", default=",".join(FLOWS), help=f"comma-separated flows (default: all of {', '.join(FLOWS)})"
    )
    run.add_argument(
        "--endpoints",
        default="",
        metavar="NAMES",
        help="OCR document endpoints to probe too, one billable call each: 'all' or names such as "
        "ocr/vehicle_registrations,ocr/document/invoice (short names work: vehicle_registrations,invoice)",
    )
    run.add_argument(
        "--images",
        type=Path,
        metavar="DIR",
        help="folder with front.*, back.* and selfie.* sample images (default: scenario images)",
    )
    run.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    run.add_argument("--json", type=Path, metavar="FILE", help="write a JSON report")
    run.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="keep every exchange, scrubbed of personal data, as a VCR.py cassette in DIR (conformance.yaml)",
    )
    add_scrub_options(run)
    run.add_argument(
        "--dialect-out",
        type=Path,
        metavar="FILE",
        help="write the readings observed as a dialect file, for cvs-mock serve --dialect FILE",
    )
    run.add_argument(
        "--max-billable",
        type=int,
        default=12,
        metavar="N",
        help="never spend more than N billable calls (default 12; the full battery's worst case is 11, "
        "as --dry-run shows)",
    )
    run.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    run.add_argument("--dry-run", action="store_true", help="list what would be sent; send nothing")
    check = commands.add_parser(
        "scrub-check",
        help="find personal data in cassettes",
        description="Scan cassettes for values that look like a person's data: 12- and 9-digit identity "
        "numbers, passport numbers, dates, Vietnamese full names in any case and spelling, phones, "
        "e-mails, MRZ lines, presigned-URL tokens and embedded images. A cassette's own "
        "pseudonyms (listed by the recorder) pass; anything else is named by file, interaction "
        "and JSON path, never by its value.",
        epilog=CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="cassette files or folders of them")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "scrub-check":
        return scrub_check(args.paths)
    from .conformance import HttpSender, Runner, Samples, Unreachable
    from .conformance.report import table, write_json, write_junit
    from .fake import Credentials

    try:
        check_url("--base-url", args.base_url)
        check_positive("--timeout", args.timeout)
    except StartupError as exc:
        return _usage(str(exc))
    flows = tuple(f.strip() for f in args.flows.split(",") if f.strip())
    unknown = [f for f in flows if f not in FLOWS]
    if unknown or not flows:
        return _usage(f"unknown flow(s): {', '.join(unknown) or '(none given)'}")
    if args.dry_run and not (args.api_key and args.api_secret):
        args.api_key, args.api_secret = "dry-run", "dry-run"  # nothing is sent: no credential is needed
    if not args.api_key or not args.api_secret:
        return _usage("--api-key and --api-secret (or CVS_API_KEY / CVS_API_SECRET) are required")
    if args.max_billable < 0:
        return _usage("--max-billable must be 0 or more")
    from .conformance.probes import document_endpoints

    known = document_endpoints()
    wanted = [n.strip() for n in args.endpoints.split(",") if n.strip()]
    endpoints = known if wanted == ["all"] else tuple(_endpoint(n, known) or n for n in wanted)
    unknown_endpoints = [n for n in endpoints if n not in known]
    if unknown_endpoints:
        return _usage(f"unknown endpoint(s): {', '.join(unknown_endpoints)}; known: {', '.join(known)}")
    try:
        samples = Samples.from_dir(args.images) if args.images else None
    except OSError as exc:
        return _usage(str(exc))
    try:
        recorder = _recorder(args)
    except ValueError as exc:
        return _usage(str(exc))
    runner = Runner(
        HttpSender(args.base_url, args.timeout),
        Credentials(args.api_key, args.api_secret),
        flows=flows,
        samples=samples,
        max_billable=args.max_billable,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
        endpoints=endpoints,
        recorder=recorder,
    )
    if args.dry_run:
        return _dry_run(runner, args.max_billable)
    print(f"cvs-testkit conformance: {args.base_url} ({', '.join(flows)})", file=sys.stderr, flush=True)
    try:
        report = runner.run()
    except Unreachable as exc:
        print(f"cvs-testkit: {exc}", file=sys.stderr)
        return 2
    print("\n".join(table(report)))
    if args.json:
        write_json(report, args.json)
    if args.junit:
        write_junit(report, args.junit)
    if args.dialect_out:
        from .conformance.calibrate import write_dialect

        write_dialect(report.dialect, args.dialect_out, args.base_url)
        observed = sum(v is not None for v in report.dialect.values())
        print(f"dialect file: {args.dialect_out} ({observed} of {len(report.dialect)} options observed)")
    return report.exit_code


def _recorder(args: argparse.Namespace) -> Recorder | None:
    if args.record is None:
        return None
    return Recorder(args.record, "conformance", scrubber_from(args), report=lambda line: print(line, file=sys.stderr))


def _endpoint(name: str, known: tuple[str, ...]) -> str | None:
    """A full endpoint name from a short one ("invoice" -> "ocr/document/invoice")."""
    return next((k for k in known if k == name or k.rsplit("/", 1)[-1] == name), None)


def _dry_run(runner: object, limit: int) -> int:
    plan = runner.plan()  # type: ignore[attr-defined]
    for flow, name, may_bill in plan:
        print(f"{flow:<14} {'may bill' if may_bill else '        '}  {name}")
    worst = sum(1 for *_, may_bill in plan if may_bill)
    print(f"{len(plan)} requests; worst case {worst} billable (limit --max-billable {limit}); nothing sent")
    return 0


def scrub_check(paths: Sequence[Path]) -> int:
    from mockserver.recording.check import check_paths
    from mockserver.recording.persister import CassetteError, cassette_files

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        return _usage(f"scrub-check: no such file or folder: {', '.join(missing)}")
    try:
        leaks = check_paths(paths)
    except CassetteError as exc:
        return _usage(f"scrub-check: {exc}")
    for leak in leaks:
        print(leak)
    files = len(list(cassette_files(paths)))
    if leaks:
        print(f"cvs-testkit scrub-check: {len(leaks)} value(s) that look personal in {files} file(s)", file=sys.stderr)
        return 1
    print(f"cvs-testkit scrub-check: {files} file(s) clean", file=sys.stderr)
    return 0


def _usage(reason: str) -> int:
    print(f"cvs-testkit: {reason}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
