"""``cvs-mock``'s command line as argparse declares it: the subcommands, every option, its
default and its help. What the options are checked against and what they start is in
``mockserver.cli``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mockserver.recording.options import add_scrub_options
from mockserver.version import package_version

EPILOG = """examples:
  cvs-mock serve                          fake on http://127.0.0.1:8080, key demo / p@55w0rd
  cvs-mock serve --port 0 --state s.db    any free port, state kept in SQLite
  cvs-mock serve --keys keys.toml         more keys, with quotas
  cvs-mock serve --cors http://localhost:5173   only this page may call the API from a browser
  cvs-mock serve --no-cors                browsers may not call the API from other origins
  cvs-mock serve --dialect docs            speak the vendor pages' literal reading
  cvs-mock serve --dialect calibrated.json --set ocr.date_separator=slash
  cvs-mock dialects                        list the dialect options and named dialects
  cvs-mock proxy --upstream https://cloud.computervision.com.vn
  cvs-mock proxy --upstream https://cloud.computervision.com.vn --record cassettes   scrubbed recording
  cvs-mock serve --replay cassettes --replay-strict                                answer from it
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cvs-mock",
        description="Offline fake of the Computer Vision Vietnam API v2 (OCR, Face Matching, Face Search, Smart Crop).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{serve,proxy,dialects,health}")
    serve = commands.add_parser("serve", help="serve the fake API", description="Serve the fake CVS API v2.")
    serve.set_defaults(command_parser=serve)
    add_common(serve)
    serve.add_argument(
        "--state",
        metavar="PATH|URL",
        help="keep everything the fake changes (keys, usage, galleries, files, journal, forced outcomes, "
        "dialect, replay positions) in this SQLite file, or in PostgreSQL at a postgresql://... URL "
        "(needs cvs-testkit[postgres]): every process and replica on it is then one API",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve from N processes on one port, to use N cores (default 1); needs --state",
    )
    serve.add_argument(
        "--tenants",
        choices=("configured", "open"),
        default="configured",
        help="open: any well-formed api_key:api_secret pair is a tenant of its own, made on first use, "
        "with its own galleries, files, usage, journal and forced outcomes (default: configured keys only)",
    )
    serve.add_argument(
        "--tenant-ttl",
        metavar="DURATION",
        default=None,
        help="remove an open tenant idle for DURATION (3s, 30m, 7d) and everything it owns, its keys included "
        "(default: tenants stay)",
    )
    serve.add_argument(
        "--journal-max",
        metavar="N",
        type=int,
        default=None,
        help="entries the whole journal keeps across tenants (default: each tenant's newest 1000, no total bound)",
    )
    serve.add_argument(
        "--no-metrics", action="store_true", help="no GET /__mock__/metrics (Prometheus text; on by default)"
    )
    serve.add_argument(
        "--access-log",
        choices=("json", "text", "off"),
        default=None,
        help="one line per request: method, route template, flow, code, status, duration, tenant digest, "
        "trigger; never credentials, query values or bodies (default: $CVS_MOCK_ACCESS_LOG, else text on a "
        "terminal and off otherwise)",
    )
    token = serve.add_mutually_exclusive_group()
    token.add_argument(
        "--admin-token",
        metavar="TOKEN",
        default=os.environ.get("CVS_MOCK_ADMIN_TOKEN"),
        help="the admin right: once set, unscoped admin calls need 'Authorization: Bearer TOKEN' from every "
        "client, loopback included (default: $CVS_MOCK_ADMIN_TOKEN; visible in ps, so prefer --admin-token-file; "
        "a tenant's own admin calls need no token)",
    )
    token.add_argument(
        "--admin-token-file",
        metavar="PATH",
        default=os.environ.get("CVS_MOCK_ADMIN_TOKEN_FILE"),
        help="read the admin token from the first line of this file (default: $CVS_MOCK_ADMIN_TOKEN_FILE)",
    )
    serve.add_argument(
        "--tenant-quota",
        type=int,
        default=None,
        metavar="N",
        help="billable requests each new open tenant may make (default: unlimited)",
    )
    serve.add_argument("--keys", metavar="FILE", help="JSON or TOML file of extra keys with quotas")
    serve.add_argument("--no-demo-key", action="store_true", help="do not accept the demo / p@55w0rd pair")
    serve.add_argument(
        "--dialect",
        metavar="NAME|FILE",
        help="how to read the contested parts of the API: a named dialect (cvs-mock dialects lists "
        "them) or a .json/.toml dialect file such as cvs-testkit conformance writes (default: default)",
    )
    serve.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        dest="settings",
        help="one dialect option on top of --dialect, e.g. ocr.error_code=integer (repeatable)",
    )
    serve.add_argument(
        "--item-order",
        choices=("back_first", "input", "shuffle"),
        default=None,
        help="order of the two ekyc/cards items; the same as --set ocr.item_order=...",
    )
    serve.add_argument(
        "--replay",
        action="append",
        default=[],
        metavar="DIR",
        help="answer from the cassettes in DIR (or a cassette file) when a request matches one (repeatable)",
    )
    serve.add_argument(
        "--scrub-key-file",
        type=Path,
        metavar="FILE",
        help="the scrub key the cassettes were recorded with (or $CVS_SCRUB_KEY): replayed requests are then "
        "matched by their images; without it, by their order",
    )
    serve.add_argument(
        "--replay-strict",
        action="store_true",
        help="a request no cassette answers gets HTTP 501 naming the closest recorded one, not a fake answer",
    )
    serve.add_argument(
        "--replay-match-on",
        metavar="NAMES",
        default=None,
        help="what a request must share with a recorded one, comma-separated: method, operation, path, mode, "
        "images, query, body (default: method,operation,mode,images)",
    )
    serve.add_argument(
        "--replay-after-last",
        choices=("cycle", "repeat", "exhausted"),
        default="cycle",
        help="once a request's recorded answers are all used: start them over (cycle, the default: a second "
        "pass replays as the first), answer the last again (repeat), or answer none (exhausted)",
    )
    cors = serve.add_mutually_exclusive_group()
    cors.add_argument(
        "--cors",
        nargs="+",
        metavar="ORIGIN",
        default=["*"],
        help="origins whose pages may call the API (default: * -- any; the fake holds no real data)",
    )
    cors.add_argument(
        "--no-cors", action="store_true", help="send no CORS headers: browsers on other origins are blocked"
    )
    serve.add_argument(
        "--admin-cors", action="store_true", help="give the admin API the same CORS as the API (default: none)"
    )
    serve.add_argument(
        "--docs-verbatim",
        action="store_true",
        help="emit the vendor docs' typos ('ncorrect format type', 'uccessful'); the same as --set messages=verbatim",
    )
    proxy = commands.add_parser(
        "proxy",
        help="validating proxy in front of a real API",
        description="Forward /api/v2 requests to an upstream and validate its answers.",
    )
    proxy.set_defaults(command_parser=proxy)
    add_common(proxy)
    proxy.add_argument("--upstream", required=True, metavar="URL", help="base URL of the upstream API")
    proxy.add_argument("--timeout", type=float, default=30.0, help="upstream timeout in seconds (default 30)")
    proxy.add_argument(
        "--record",
        metavar="DIR",
        help="write every exchange, scrubbed of personal data, to a VCR.py cassette in DIR",
    )
    proxy.add_argument("--cassette", default="cvs", metavar="NAME", help="cassette file name in DIR (default cvs)")
    add_scrub_options(proxy)
    commands.add_parser(
        "dialects",
        help="list the dialect options and the named dialects",
        description="The readings of the API the vendor docs leave open, and the named dialects.",
    )
    health = commands.add_parser(
        "health",
        help="exit 0 when a served fake is healthy, 1 otherwise (a container's HEALTHCHECK)",
        description="Ask a served fake's /__mock__/health: exit 0 when it answers 200, 1 otherwise. Without --url, "
        "the address the server wrote to $CVS_MOCK_RUN_FILE, else http://127.0.0.1:$CVS_MOCK_PORT (8080).",
    )
    health.add_argument("--url", metavar="URL", help="the server's base URL, e.g. http://127.0.0.1:8080")
    health.add_argument("--timeout", type=float, default=3.0, metavar="S", help="seconds to wait (default 3)")
    return parser


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("CVS_MOCK_PORT") or 8080),
        help="port; 0 picks a free one (default $CVS_MOCK_PORT, else 8080)",
    )
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    parser.add_argument(
        "--drain-seconds",
        type=float,
        default=10.0,
        metavar="S",
        help="on SIGTERM, stop accepting and give requests in flight up to S seconds to finish, then exit 0 "
        "(default 10)",
    )
    parser.add_argument(
        "--admin-remote", action="store_true", help="serve the /__mock__/ admin API to non-loopback clients too"
    )
    parser.add_argument(
        "--trusted-proxy",
        nargs="+",
        action="extend",
        default=[],
        metavar="ADDR",
        help="proxies (addresses or networks) whose Forwarded / X-Forwarded-For headers are believed: without "
        "an admin token, a forwarded request is judged by the client the proxy names; any other forwarded "
        "request gets no admin right",
    )
    parser.add_argument("--max-body-mb", type=float, default=20.0, help="largest request body (default 20)")
    parser.add_argument(
        "--allowed-host",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="host names the admin API, dashboard and hosted files answer at, besides localhost, "
        "127.0.0.1 and [::1] (any port); a request naming another Host is refused, so a "
        "DNS-rebinding page reads nothing",
    )
