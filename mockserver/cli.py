"""``cvs-mock``: run the fake (``serve``) or a validating proxy (``proxy``).

One job: the command line, its options, their checks and their help; what they start lives
in ``startup``, ``workers`` and ``server``."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mockserver import create_app, durations
from mockserver.arguments import build_parser
from mockserver.contract.dialects import DialectError, parse_settings
from mockserver.recording.options import scrub_key, scrubber_from
from mockserver.startup import (
    StartupError,
    bind_error,
    check_at_least,
    check_port,
    check_positive,
    check_quota,
    check_state,
    check_trusted_proxies,
    check_url,
)
from mockserver.state.fake_state import state_of
from mockserver.state.keys import DEMO_KEY, KeysFileError


def print_dialects() -> None:
    from mockserver.contract.loading import load_contract

    table = load_contract().dialects
    print("options (default first; ASSUMPTIONS.md entry in brackets):")
    for option, entry in sorted(table["options"].items()):
        others = [v for v in sorted(entry["values"]) if v != entry["default"]]
        print(f"  {option:28} [{entry['assumption']}] {entry['default']} | {' | '.join(others)}")
        print(f"  {'':28} {entry['description']}")
    print("named dialects:")
    for name, dialect in sorted(table["dialects"].items()):
        changed = ", ".join(f"{k}={v}" for k, v in sorted(dialect["options"].items())) or "nothing changed"
        print(f"  {name:14} {dialect['description']}")
        print(f"  {'':14} {changed}")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; a flag no subcommand knows is reported with that subcommand's usage."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command: argparse.ArgumentParser = getattr(args, "command_parser", parser)
        command.error(f"unrecognized arguments: {' '.join(unknown)}")
    given = sys.argv[1:] if argv is None else list(argv)
    args.token_in_argv = any(a == "--admin-token" or a.startswith("--admin-token=") for a in given)
    args.given = given
    return args


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse(argv)
        _check_common(args)
        if args.command == "serve":
            _check_serve(args)
    except StartupError as exc:
        print(f"cvs-mock: {exc}", file=sys.stderr)
        return 2
    if args.command == "dialects":
        print_dialects()
        return 0
    if args.command == "health":
        from mockserver.healthcheck import check

        healthy, said = check(args.url, args.timeout)
        print(said, file=sys.stdout if healthy else sys.stderr)
        return 0 if healthy else 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # Under steady load waitress warns of its queue depth once per queued request: a log line
    # per request, costing the interpreter time the answers need.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    config: dict[str, Any] = {
        "ADMIN_REMOTE": args.admin_remote,
        "MAX_CONTENT_LENGTH": int(args.max_body_mb * 1024 * 1024),
        "ALLOWED_HOSTS": args.allowed_host,
        "TRUSTED_PROXIES": args.trusted_proxy,
    }
    try:
        if args.command == "proxy":
            from mockserver.proxy import create_proxy_app

            recorder = None
            if args.record:
                from mockserver.recording.recorder import Recorder

                recorder = Recorder(Path(args.record), args.cassette, scrubber_from(args), report=_print_scrub_note)
            app = create_proxy_app(args.upstream, timeout=args.timeout, config=config, record=recorder)
        else:
            config.update(
                STATE=args.state,
                KEYS=args.keys,
                DEMO_KEY=not args.no_demo_key,
                DIALECT=args.dialect,
                DIALECT_SET=parse_settings(args.settings),
                ITEM_ORDER=args.item_order,
                DOCS_VERBATIM=args.docs_verbatim or None,
                CORS_ORIGINS=None if args.no_cors else args.cors,
                REPLAY=args.replay or None,
                REPLAY_STRICT=args.replay_strict,
                REPLAY_AFTER_LAST=args.replay_after_last,
                REPLAY_MATCH_ON=args.replay_match_on,
                REPLAY_KEY=scrub_key(args.scrub_key_file),
                ADMIN_CORS=args.admin_cors,
                ADMIN_TOKEN=args.admin_token or None,
                ADMIN_TOKEN_FILE=args.admin_token_file or None,
                TENANTS=args.tenants,
                TENANT_QUOTA=args.tenant_quota,
                STORE_CONNECTIONS=args.threads + 2,
                METRICS=not args.no_metrics,
                TENANT_TTL=args.tenant_ttl,
                JOURNAL_MAX=args.journal_max,
                ACCESS_LOG=_access_log(args.access_log),
                DRAIN_SECONDS=args.drain_seconds,
            )
            if args.workers > 1 and not args.no_metrics:
                # Before any app exists: each worker's metrics go to one folder, a scrape adds them up.
                os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="cvs-mock-metrics-"))
            app = create_app(_environment_first(config, args.given))
            # The banner says what the fake was configured with, from the environment too.
            args.tenants, args.state = app.config["TENANTS"], app.config["STATE"]
            if args.workers > 1:
                return _serve_workers(args, app, config)
        from mockserver.server import MockServer

        try:
            server = MockServer(app, host=args.host, port=args.port, threads=args.threads)
        except OSError as exc:
            raise bind_error(exc, args.host, args.port) from None
    except (KeysFileError, DialectError, OSError, ValueError, RuntimeError) as exc:
        print(f"cvs-mock: {exc}", file=sys.stderr)
        return 2
    _announce(args, server.base_url)
    server.drain_seconds = args.drain_seconds
    signal.signal(signal.SIGTERM, lambda signum, frame: server.drain())
    try:
        server.run()
    finally:
        print("cvs-mock: stopped", flush=True)
    return 0


def _check_common(args: argparse.Namespace) -> None:
    if args.command in ("dialects", "health"):
        return
    check_port(args.port)
    check_at_least("--threads", args.threads, 1)
    check_positive("--max-body-mb", args.max_body_mb)
    check_at_least("--drain-seconds", args.drain_seconds, 0)
    check_trusted_proxies(args.trusted_proxy)
    if args.command == "proxy":
        check_url("--upstream", args.upstream)
        check_positive("--timeout", args.timeout)


def _check_serve(args: argparse.Namespace) -> None:
    check_at_least("--workers", args.workers, 1)
    if args.workers > 1 and not args.state:
        raise StartupError(
            f"--workers {args.workers} needs --state (a SQLite file or a postgresql:// URL): "
            "workers share nothing but the store, so with state in memory each would be a fake of its own"
        )
    check_quota("--tenant-quota", args.tenant_quota)
    if args.journal_max is not None:
        check_at_least("--journal-max", args.journal_max, 1)
    if args.tenant_ttl is not None:
        try:
            durations.seconds(args.tenant_ttl)
        except ValueError as exc:
            raise StartupError(f"--tenant-ttl: {exc}") from None
        if args.tenants != "open":
            raise StartupError("--tenant-ttl expires open tenants: give --tenants open too")
    if args.tenant_quota is not None and args.tenants != "open":
        raise StartupError("--tenant-quota is the quota of open tenants: give --tenants open too")
    check_state(args.state)


def _serve_workers(args: argparse.Namespace, checked: Any, config: dict[str, Any]) -> int:
    """The app was built once to check the configuration and set up the store's schema;
    each worker builds its own, with its own connection."""
    from mockserver.workers import Workers

    state_of(checked).store.close()
    try:
        workers = Workers(
            lambda: create_app(dict(config)), args.host, args.port, args.threads, args.workers, args.drain_seconds
        )
    except OSError as exc:
        raise bind_error(exc, args.host, args.port) from None
    try:
        workers.start()
        _announce(args, workers.base_url)
        print(f"workers: {args.workers} processes", flush=True)
        workers.supervise()
    finally:
        workers.close()
        print("cvs-mock: stopped", flush=True)
    return 0


def _announce(args: argparse.Namespace, base_url: str) -> None:
    from mockserver.healthcheck import write_run_file

    write_run_file(base_url)
    if args.command == "proxy":
        print(f"cvs-mock proxy on {base_url} -> {args.upstream}", flush=True)
        if args.record:
            print(f"recording, scrubbed, to {Path(args.record) / (args.cassette + '.yaml')}", flush=True)
        print(f"dashboard: {base_url}/__mock__/", flush=True)
    else:
        print(f"cvs-mock serving the CVS API v2 fake on {base_url}", flush=True)
        if not args.no_demo_key:
            print(f"credentials: api_key={DEMO_KEY[0]} api_secret={DEMO_KEY[1]} (the documented demo pair)")
        print(f"dashboard and admin API: {base_url}/__mock__/  state: {_shown_state(args.state)}", flush=True)
        if args.tenants == "open":
            quota = "unlimited" if args.tenant_quota is None else f"quota {args.tenant_quota}"
            print(f"tenants: open (any api_key:api_secret pair, made on first use, {quota})", flush=True)
        if args.admin_token or args.admin_token_file:
            print("admin token: required for unscoped admin calls, from every client", flush=True)
        if args.token_in_argv:
            print(
                "cvs-mock: warning: --admin-token on the command line shows in ps; prefer --admin-token-file",
                file=sys.stderr,
                flush=True,
            )
        print(f"CORS: {'off' if args.no_cors else ' '.join(args.cors)}", flush=True)
        print(f"dialect: {args.dialect or 'default'}{''.join(' --set ' + s for s in args.settings)}", flush=True)


# The options that set a configuration key, where they are not the key's own name in lower case.
_OPTIONS_OF = {
    "MAX_CONTENT_LENGTH": ("--max-body-mb",),
    "DEMO_KEY": ("--no-demo-key",),
    "CORS_ORIGINS": ("--cors", "--no-cors"),
    "DIALECT_SET": ("--set",),
    "REPLAY_KEY": ("--scrub-key-file",),
    "METRICS": ("--no-metrics",),
    "ALLOWED_HOSTS": ("--allowed-host",),
    "TRUSTED_PROXIES": ("--trusted-proxy",),
    "STORE_CONNECTIONS": ("--threads",),
}


def _environment_first(config: dict[str, Any], given: list[str]) -> dict[str, Any]:
    """``config`` without the keys a ``CVS_MOCK_*`` variable sets and no option on the command
    line does: an option given wins, then the environment, then the option's default."""

    def named(key: str) -> bool:
        options = _OPTIONS_OF.get(key, ("--" + key.lower().replace("_", "-"),))
        return any(arg == option or arg.startswith(option + "=") for arg in given for option in options)

    return {key: value for key, value in config.items() if f"CVS_MOCK_{key}" not in os.environ or named(key)}


def _access_log(given: str | None) -> str:
    """The access log's form: the option, else ``CVS_MOCK_ACCESS_LOG``, else text on a terminal."""
    if given is not None:
        return given
    chosen = os.environ.get("CVS_MOCK_ACCESS_LOG")
    if chosen:
        return chosen
    return "text" if sys.stdout.isatty() else "off"


def _shown_state(state: str | None) -> str:
    if not state:
        return "in memory"
    from mockserver.state.store.postgres import without_password

    return without_password(state)


def _print_scrub_note(line: str) -> None:
    print(f"cvs-mock: {line}", flush=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
