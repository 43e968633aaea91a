"""pytest plugin (entry point ``pytest11``): fixtures that reach the fake CVS API.

Fixtures (function scope unless said):

``cvs_credentials`` -> :class:`~cvs_testkit.fake.Credentials`
    demo / p@55w0rd; with ``--cvs-base-url``, ``CVS_API_KEY`` / ``CVS_API_SECRET``.
``cvs_app`` -> :class:`flask.Flask`
    a fresh fake (``mockserver.create_app({"TESTING": True})``): no state shared.
``cvs_server_session`` (session scope, one per xdist worker) -> :class:`~cvs_testkit.transports.LiveFake`
    a live waitress server on a free loopback port.
``cvs_server`` -> LiveFake
    the session server, reset before the test: ``.base_url``, ``.credentials``, helpers.
``cvs_mock`` -> :class:`~cvs_testkit.transports.CVSMock`
    intercepts ``requests`` calls to cloud/demo.computervision.com.vn (and ``--cvs-intercept``
    URLs) and answers from the worker's fake, reset before the test.
``cvs_httpx`` -> :class:`~cvs_testkit.httpx_transport.CVSHttpx` (needs the ``httpx`` extra)
    an httpx transport itself (``httpx.Client(transport=cvs_httpx)``, sync and async), also
    as ``.transport``; ``.client()`` and ``.async_client()`` come with base URL and credentials.

Every server-like fixture has the helpers of :class:`~cvs_testkit.fake.FakeHelpers`.
Heavy imports wait until a fixture runs.

Dialects (the readings of the API the docs leave open, ``cvs-mock dialects`` lists them):
``@pytest.mark.cvs_dialect("docs")`` or ``@pytest.mark.cvs_dialect(options={"ocr.valid":
"string"})`` makes the cvs fixtures of one test speak a dialect; ``--cvs-dialects=all`` runs
every test that uses a cvs fixture once per named dialect (ids ``[dialect=NAME]``) and sums up
which dialects failed.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask import Flask

    from .fake import Credentials
    from .httpx_transport import CVSHttpx
    from .transports import CVSMock, LiveFake

COVERAGE_KEY = "cvs_coverage"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cvs-testkit", "CVS API v2 fake and contract")
    group.addoption(
        "--cvs-base-url",
        metavar="URL",
        default=os.environ.get("CVS_BASE_URL"),
        help="run the cvs_* fixtures against this server (a shared cvs-mock or the real "
        "API) instead of the in-process fake; credentials from CVS_API_KEY/CVS_API_SECRET",
    )
    group.addoption(
        "--cvs-allow-real",
        action="store_true",
        default=False,
        help="let cvs_mock and cvs_httpx calls to the vendor's hosts through to the real API (billable); "
        "without it, under --cvs-base-url they go to that server, and the vendor is never reached",
    )
    group.addoption(
        "--cvs-intercept",
        metavar="URL",
        action="append",
        default=[],
        help="another base URL cvs_mock intercepts (repeatable)",
    )
    group.addoption(
        "--cvs-dialects",
        metavar="NAMES",
        default=None,
        help="run each test that uses a cvs fixture once per dialect: 'all' (every named dialect) "
        "or a comma-separated list of names or dialect files",
    )
    group.addoption(
        "--cvs-coverage", action="store_true", help="report which documented CVS outcomes the tests' clients received"
    )
    group.addoption(
        "--cvs-min-coverage",
        metavar="P",
        type=float,
        default=None,
        help="fail the run when error-path coverage is below P percent (implies --cvs-coverage)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SEEN] = set()
    config.stash[_REAL_CALLS] = 0
    remote = _remote(config)
    if remote and not config.getoption("--cvs-allow-real"):
        from .routing import is_vendor_url

        if is_vendor_url(remote):
            raise pytest.UsageError(
                f"--cvs-base-url {remote} is the vendor's real API: add --cvs-allow-real to let the tests "
                "reach it (each successful call may be billed)"
            )
    chosen = config.getoption("--cvs-dialects", None)
    if chosen:
        unknown = [n for n in _dialect_names(str(chosen)) if n not in _named_dialects() and not Path(n).is_file()]
        if unknown:
            known = ", ".join(sorted(_named_dialects()))
            raise pytest.UsageError(
                f"--cvs-dialects: no dialect named {', '.join(unknown)}; known: {known}, all, or a dialect file"
            )
    config.addinivalue_line("markers", "cvs_fake_only: needs the in-process fake (skipped with --cvs-base-url)")
    config.addinivalue_line(
        "markers",
        "cvs_cassette(name, strict=False): the cvs fixtures answer from cassettes/NAME.yaml beside the "
        "test file (recorded with cvs-mock proxy --record)",
    )
    config.addinivalue_line(
        "markers",
        "cvs_dialect(name=None, options=None): the dialect the cvs fixtures speak in this test "
        "(a named dialect or a dialect file, and/or {option: value})",
    )


_SEEN: pytest.StashKey[set[tuple[str, str, str]]] = pytest.StashKey()
_REAL_CALLS: pytest.StashKey[int] = pytest.StashKey()  # tests whose fixtures let vendor calls through
REAL_KEY = "cvs_real_calls"


def pytest_runtest_setup(item: pytest.Item) -> None:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "cvs_dialect" in callspec.params:  # named in the dialect summary
        item.user_properties.append(("cvs_dialect", str(callspec.params["cvs_dialect"])))
    if item.get_closest_marker("cvs_fake_only") and _remote(item.config):
        pytest.skip("marked cvs_fake_only: needs the in-process fake, and --cvs-base-url points elsewhere")


def _remote(config: pytest.Config) -> str | None:
    url = config.getoption("--cvs-base-url")
    return str(url).rstrip("/") if url else None


_FAKE_AT: pytest.StashKey[dict[str, Any]] = pytest.StashKey()


def _remote_health(config: pytest.Config) -> dict[str, Any]:
    """What ``--cvs-base-url`` says of itself at /__mock__/health, asked once a session: {}
    when it is not a served cvs-mock fake (the real API)."""
    if _FAKE_AT not in config.stash:
        import requests

        remote = _remote(config)
        try:
            answer = requests.get(f"{remote}/__mock__/health", timeout=5)
            health = answer.json() if answer.status_code == 200 else {}
            config.stash[_FAKE_AT] = health if isinstance(health, dict) and health.get("mode") == "fake" else {}
        except (requests.RequestException, ValueError, AttributeError):
            config.stash[_FAKE_AT] = {}
    return config.stash[_FAKE_AT]


def _remote_fake(config: pytest.Config) -> bool:
    """Whether ``--cvs-base-url`` is a served cvs-mock fake: such a server is reset before each
    test and speaks the demo pair, like the in-process one; the real API is not."""
    return bool(_remote_health(config))


def _shared_fake(config: pytest.Config) -> bool:
    """Whether ``--cvs-base-url`` is a fake with open tenants: each test is then a tenant of
    its own, so any number of suites share it without seeing each other."""
    return _remote_health(config).get("tenants") == "open"


def _counting(config: pytest.Config) -> bool:
    return bool(config.getoption("--cvs-coverage") or config.getoption("--cvs-min-coverage") is not None)


def _harvest(request: pytest.FixtureRequest, fake: Any) -> None:
    if not _counting(request.config):
        return
    from .coverage import met

    try:
        request.config.stash[_SEEN].update(met(fake.journal))
    except Exception:  # the fake may be remote without an admin API
        pass


CVS_FIXTURES = ("cvs_app", "cvs_server", "cvs_mock", "cvs_httpx")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    chosen = metafunc.config.getoption("--cvs-dialects")
    if not chosen or not set(CVS_FIXTURES) & set(metafunc.fixturenames):
        return
    if metafunc.definition.get_closest_marker("cvs_dialect"):
        return  # the test asks for one reading; it is not run under the others
    names = _dialect_names(str(chosen))
    metafunc.parametrize("cvs_dialect", names, ids=[f"dialect={n}" for n in names])


def _dialect_names(chosen: str) -> list[str]:
    if chosen.strip() == "all":
        from mockserver.contract.loading import load_contract

        return sorted(load_contract().dialects["dialects"])
    return [name.strip() for name in chosen.split(",") if name.strip()]


@pytest.fixture
def cvs_dialect(request: pytest.FixtureRequest) -> Any:
    """The dialect the cvs fixtures speak in this test: the ``cvs_dialect`` marker's, else the
    ``--cvs-dialects`` run's, else None (the contract's default reading)."""
    marker = request.node.get_closest_marker("cvs_dialect")
    if marker is None:
        return None
    request.node.user_properties.append(("cvs_dialect", str(marker.args[0] if marker.args else "custom")))
    name = marker.args[0] if marker.args else marker.kwargs.get("name")
    options = marker.args[1] if len(marker.args) > 1 else marker.kwargs.get("options")
    if isinstance(name, dict) and options is None:
        name, options = None, name
    return {"name": name, "options": dict(options or {})}


def _spoken(dialect: Any) -> tuple[Any, dict[str, str]]:
    """(name or file, options) of a cvs_dialect value."""
    if dialect is None:
        return None, {}
    if isinstance(dialect, dict):
        return dialect.get("name"), {str(k): str(v) for k, v in dialect.get("options", {}).items()}
    return dialect, {}


def _cassette(request: pytest.FixtureRequest) -> tuple[Path, bool] | None:
    """(cassettes/NAME.yaml beside the test, strict) of a ``cvs_cassette`` marker, or None."""
    marker = request.node.get_closest_marker("cvs_cassette")
    if marker is None:
        return None
    name = marker.args[0] if marker.args else marker.kwargs["name"]
    path = request.path.parent / "cassettes" / f"{name}.yaml"
    if not path.exists():
        pytest.fail(f"cvs_cassette: no cassette {path} (record one with cvs-mock proxy --record)")
    leaks = _leaks(path, path.stat().st_mtime_ns)
    if leaks:
        shown = "\n  ".join(leaks[:10]) + (f"\n  ... and {len(leaks) - 10} more" if len(leaks) > 10 else "")
        pytest.fail(
            f"cvs_cassette: {path} carries what looks like personal data; re-record it with "
            f"cvs-mock proxy --record (or see cvs-testkit scrub-check):\n  {shown}",
            pytrace=False,
        )
    return path, bool(marker.kwargs.get("strict", False))


@functools.lru_cache(maxsize=64)
def _leaks(path: Path, mtime_ns: int) -> tuple[str, ...]:
    """The leak check of a cassette, once per version of the file."""
    from mockserver.recording.check import check_file

    return tuple(str(leak) for leak in check_file(path))


def _replay(request: pytest.FixtureRequest, fake: Any) -> None:
    """The ``cvs_cassette`` marker: the fake answers from the cassette beside the test."""
    cassette = _cassette(request)
    if cassette is not None:
        fake.use_cassette(str(cassette[0]), strict=cassette[1])


def _speak(fake: Any, dialect: Any) -> None:
    name, options = _spoken(dialect)
    if name is None and not options:
        return
    if name is not None and name not in _named_dialects():
        from mockserver.contract.dialects import resolve_dialect
        from mockserver.contract.loading import load_contract

        options = {**resolve_dialect(load_contract().dialects, name).changed(load_contract().dialects), **options}
        name = None
    fake.use_dialect(name, **options)


def _named_dialects() -> set[str]:
    from mockserver.contract.loading import load_contract

    return set(load_contract().dialects["dialects"])


@pytest.fixture
def cvs_credentials(request: pytest.FixtureRequest) -> Credentials:
    from .fake import DEMO, Credentials

    if _remote(request.config):
        key, secret = os.environ.get("CVS_API_KEY"), os.environ.get("CVS_API_SECRET")
        if key and secret:
            return Credentials(key, secret)
        if _shared_fake(request.config):  # a tenant of this test's own, made on its first call
            return Credentials(f"t-{secrets.token_hex(8)}", secrets.token_urlsafe(18))
        if _remote_fake(request.config):
            return DEMO  # a served fake speaks the documented demo pair
        pytest.skip("--cvs-base-url to a server that is not a cvs-mock needs CVS_API_KEY and CVS_API_SECRET")
    return DEMO


@pytest.fixture
def cvs_app(request: pytest.FixtureRequest, cvs_dialect: Any) -> Flask:
    if _remote(request.config):
        pytest.skip("cvs_app is the in-process fake; --cvs-base-url points the tests elsewhere")
    from mockserver import create_app

    name, options = _spoken(cvs_dialect)
    cassette = _cassette(request)
    replay = {"REPLAY": str(cassette[0]), "REPLAY_STRICT": cassette[1]} if cassette else {}
    return create_app({"TESTING": True, "DIALECT": name, "DIALECT_SET": options, **replay})


@pytest.fixture(scope="session")
def cvs_server_session(request: pytest.FixtureRequest) -> Iterator[LiveFake]:
    from .transports import LiveFake

    remote = _remote(request.config)
    if remote:
        yield LiveFake(remote)
        return
    from mockserver import create_app
    from mockserver.server import MockServer

    server = MockServer(create_app({"TESTING": True})).start()
    try:
        yield LiveFake(server.base_url, server=server)
    finally:
        server.stop()


@pytest.fixture
def cvs_server(
    request: pytest.FixtureRequest, cvs_server_session: LiveFake, cvs_credentials: Credentials, cvs_dialect: Any
) -> Iterator[LiveFake]:
    from .transports import LiveFake

    fake = LiveFake(cvs_server_session.base_url, cvs_credentials, cvs_server_session.server)
    if _remote(request.config):
        guarded = _guarded(fake, _shared_fake(request.config))
        _start_remote(request, guarded, cvs_dialect)
        yield guarded
        return
    fake.reset()
    _speak(fake, cvs_dialect)
    _replay(request, fake)
    yield fake
    _harvest(request, fake)


def _session_app() -> Flask:
    from mockserver import create_app

    return create_app({"TESTING": True})


# One fake per xdist worker behind each of cvs_mock and cvs_httpx, reset before every test:
# building a Flask app costs milliseconds, a reset a fraction of one.
@pytest.fixture(scope="session")
def cvs_shared_app() -> Flask:
    return _session_app()


@pytest.fixture(scope="session")
def cvs_shared_httpx_app() -> Flask:
    return _session_app()


def _fresh(app: Flask) -> Flask:
    app.extensions["cvs"].reset()
    return app


@pytest.fixture
def cvs_mock(
    request: pytest.FixtureRequest, cvs_credentials: Credentials, cvs_shared_app: Flask, cvs_dialect: Any
) -> Iterator[CVSMock]:
    from .transports import CVSMock

    remote = _remote(request.config)
    if remote:
        intercept = request.config.getoption("--cvs-intercept")
        real = _allow_real(request)
        routed = CVSMock(cvs_shared_app, intercept, cvs_credentials, forward_to=None if real else remote)
        routed.base_url = remote
        guarded = _guarded(routed, _shared_fake(request.config))
        _start_remote(request, guarded, cvs_dialect)
        if real:  # calls to the vendor's hosts go to the vendor itself
            yield guarded
            return
        with routed:
            yield guarded
        return
    mock = CVSMock(_fresh(cvs_shared_app), request.config.getoption("--cvs-intercept"), cvs_credentials)
    _speak(mock, cvs_dialect)
    _replay(request, mock)
    with mock:
        yield mock
    _harvest(request, mock)


@pytest.fixture
def cvs_httpx(
    request: pytest.FixtureRequest, cvs_credentials: Credentials, cvs_shared_httpx_app: Flask, cvs_dialect: Any
) -> Iterator[CVSHttpx]:
    pytest.importorskip("httpx", reason="cvs_httpx needs httpx: pip install 'cvs-testkit[httpx]'")
    from .httpx_transport import CVSHttpx

    fake = CVSHttpx(_fresh(cvs_shared_httpx_app), cvs_credentials)
    remote = _remote(request.config)
    if remote:
        from .routing import Routes

        fake.forward_to(remote, Routes.of(request.config.getoption("--cvs-intercept")), _allow_real(request))
        guarded = _guarded(fake, _shared_fake(request.config))
        _start_remote(request, guarded, cvs_dialect)
        yield guarded
        return
    _speak(fake, cvs_dialect)
    _replay(request, fake)
    yield fake
    _harvest(request, fake)


def _allow_real(request: pytest.FixtureRequest) -> bool:
    """Whether this test's fixtures let vendor-host calls through (``--cvs-allow-real``),
    counted for the run's summary."""
    allowed = bool(request.config.getoption("--cvs-allow-real"))
    if allowed:
        request.config.stash[_REAL_CALLS] = request.config.stash.get(_REAL_CALLS, 0) + 1
    return allowed


def _start_remote(request: pytest.FixtureRequest, fake: Any, dialect: Any) -> None:
    """A served cvs-mock starts each test as the in-process fake does: reset (billing,
    galleries, journal, forced outcomes and added keys forgotten), then the test's dialect
    and cassette; and it is reset again when the test ends, so the next user of the fake
    takes nothing this test left (a forced outcome it did not use). With open tenants, all
    of that is the test's own tenant's; otherwise resets are the whole server's (or the
    configured tenant's), and two suites on it at once trample each other."""
    if _remote_fake(request.config):
        fake.reset()
        request.addfinalizer(fake.reset)
        _replay(request, fake)
    _speak(fake, dialect)


def _guarded(fake: Any, shared: bool = False) -> Any:
    """Against another server, the helpers work only if it is a cvs-mock with its admin API."""
    from .fake import AdminError
    from .transports import http_admin

    base = fake.base_url if fake.base_url.startswith("http") else None
    tenant = fake.credentials.auth if base and shared else None
    admin = http_admin(base, auth=tenant, token=_admin_token()) if base else None

    def call(method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        if admin is None:
            raise AdminError("no admin API")
        try:
            status, body = admin(method, path, **kwargs)
        except Exception as exc:
            pytest.skip(f"needs a cvs-mock admin API; {base} has none ({type(exc).__name__})")
        if status in (403, 404) or not isinstance(body, dict):
            pytest.skip(f"needs a cvs-mock admin API; {base} answered {status} on /__mock__{path}")
        return status, body

    fake._admin = call
    return fake


def _admin_token() -> str | None:
    """The served fake's admin token for unscoped admin calls: ``CVS_MOCK_ADMIN_TOKEN``, or
    the first line of ``CVS_MOCK_ADMIN_TOKEN_FILE``, as ``cvs-mock serve`` reads them."""
    from mockserver.app import admin_token

    given = {
        "ADMIN_TOKEN": os.environ.get("CVS_MOCK_ADMIN_TOKEN"),
        "ADMIN_TOKEN_FILE": os.environ.get("CVS_MOCK_ADMIN_TOKEN_FILE"),
    }
    try:
        return admin_token(given)
    except ValueError:  # an unreadable file: unscoped calls go without, and the fake refuses them
        return None


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    output = getattr(node, "workeroutput", {})
    seen = output.get(COVERAGE_KEY)
    if seen:
        node.config.stash[_SEEN].update(tuple(o) for o in seen)
    node.config.stash[_REAL_CALLS] = node.config.stash.get(_REAL_CALLS, 0) + int(output.get(REAL_KEY, 0))


def _dialect_summary(terminalreporter: Any) -> None:
    failed: dict[str, list[str]] = {}
    for report in terminalreporter.stats.get("failed", []):
        dialect = dict(getattr(report, "user_properties", [])).get("cvs_dialect")
        if dialect is not None:
            failed.setdefault(str(dialect), []).append(report.nodeid.split("[")[0])
    terminalreporter.section("cvs dialects")
    if not failed:
        terminalreporter.write_line("every test passed under every dialect it ran in")
    for dialect, tests in sorted(failed.items()):
        terminalreporter.write_line(f"failed under {dialect}: {len(tests)} test(s): {', '.join(sorted(set(tests)))}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):
        seen: set[tuple[str, str, str]] = config.stash[_SEEN]
        config.workeroutput[COVERAGE_KEY] = sorted(seen)
        config.workeroutput[REAL_KEY] = config.stash.get(_REAL_CALLS, 0)
        return
    threshold = config.getoption("--cvs-min-coverage")
    if threshold is None:
        return
    from .coverage import report

    percent, _ = report(config.stash[_SEEN])
    if percent < threshold and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if hasattr(config, "workeroutput"):
        return
    if config.getoption("--cvs-allow-real"):
        terminalreporter.section("cvs real API")
        terminalreporter.write_line(
            f"--cvs-allow-real: in {config.stash.get(_REAL_CALLS, 0)} test(s) the cvs fixtures let calls to "
            "the vendor's hosts through to the real API",
            yellow=True,
        )
    if config.getoption("--cvs-dialects"):
        _dialect_summary(terminalreporter)
    threshold = config.getoption("--cvs-min-coverage")
    if not config.getoption("--cvs-coverage") and threshold is None:
        return
    from .coverage import report

    percent, lines = report(config.stash[_SEEN])
    for line in lines:
        terminalreporter.write_line(line)
    if threshold is not None and percent < threshold:
        terminalreporter.write_line(
            f"FAIL: cvs error-path coverage {percent:.1f}% is below --cvs-min-coverage {threshold}%", red=True
        )
