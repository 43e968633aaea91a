"""Against ``--cvs-base-url``: what that server is (a served fake, with open tenants, or the
real API), and how a test starts on it."""

from __future__ import annotations

import os
from typing import Any

import pytest

from cvs_testkit.plugin.cassettes import replay_marked_cassette
from cvs_testkit.plugin.dialects import apply_dialect

REAL_CALLS: pytest.StashKey[int] = pytest.StashKey()  # tests whose fixtures let vendor calls through
REAL_KEY = "cvs_real_calls"
FAKE_AT: pytest.StashKey[dict[str, Any]] = pytest.StashKey()


def remote_url(config: pytest.Config) -> str | None:
    url = config.getoption("--cvs-base-url")
    return str(url).rstrip("/") if url else None


def remote_health(config: pytest.Config) -> dict[str, Any]:
    """What ``--cvs-base-url`` says of itself at /__mock__/health, asked once a session: {}
    when it is not a served cvs-mock fake (the real API)."""
    if FAKE_AT not in config.stash:
        import requests

        remote = remote_url(config)
        try:
            answer = requests.get(f"{remote}/__mock__/health", timeout=5)
            health = answer.json() if answer.status_code == 200 else {}
            config.stash[FAKE_AT] = health if isinstance(health, dict) and health.get("mode") == "fake" else {}
        except (requests.RequestException, ValueError, AttributeError):
            config.stash[FAKE_AT] = {}
    return config.stash[FAKE_AT]


def is_served_fake(config: pytest.Config) -> bool:
    """Whether ``--cvs-base-url`` is a served cvs-mock fake: such a server is reset before each
    test and speaks the demo pair, like the in-process one; the real API is not."""
    return bool(remote_health(config))


def has_open_tenants(config: pytest.Config) -> bool:
    """Whether ``--cvs-base-url`` is a fake with open tenants: each test is then a tenant of
    its own, so any number of suites share it without seeing each other."""
    return remote_health(config).get("tenants") == "open"


def allow_real(request: pytest.FixtureRequest) -> bool:
    """Whether this test's fixtures let vendor-host calls through (``--cvs-allow-real``),
    counted for the run's summary."""
    allowed = bool(request.config.getoption("--cvs-allow-real"))
    if allowed:
        request.config.stash[REAL_CALLS] = request.config.stash.get(REAL_CALLS, 0) + 1
    return allowed


def start_remote_test(request: pytest.FixtureRequest, fake: Any, dialect: Any) -> None:
    """A served cvs-mock starts each test as the in-process fake does: reset (billing,
    galleries, journal, forced outcomes and added keys forgotten), then the test's dialect
    and cassette; and it is reset again when the test ends, so the next user of the fake
    takes nothing this test left (a forced outcome it did not use). With open tenants, all
    of that is the test's own tenant's; otherwise resets are the whole server's (or the
    configured tenant's), and two suites on it at once trample each other."""
    if is_served_fake(request.config):
        fake.reset()
        # A finished test's own tenant is forgotten, its key too: a shared fake keeps no key of
        # the tests that ran on it.
        forget = has_open_tenants(request.config)
        request.addfinalizer(lambda: fake.reset(forget=forget))
        replay_marked_cassette(request, fake)
    apply_dialect(fake, dialect)


def with_guarded_admin(fake: Any, shared: bool = False) -> Any:
    """Against another server, the helpers work only if it is a cvs-mock with its admin API."""
    from cvs_testkit.fake import AdminError
    from cvs_testkit.transports import http_admin

    base = fake.base_url if fake.base_url.startswith("http") else None
    tenant = fake.credentials.auth if base and shared else None
    admin = http_admin(base, auth=tenant, token=admin_token_from_env()) if base else None

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

    fake.use_admin(call)
    return fake


def admin_token_from_env() -> str | None:
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


def real_calls_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if config.getoption("--cvs-allow-real"):
        terminalreporter.section("cvs real API")
        terminalreporter.write_line(
            f"--cvs-allow-real: in {config.stash.get(REAL_CALLS, 0)} test(s) the cvs fixtures let calls to "
            "the vendor's hosts through to the real API",
            yellow=True,
        )
