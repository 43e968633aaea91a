"""The ``cvs_*`` fixtures (listed in ``cvs_testkit.plugin``). Heavy imports wait until a fixture runs."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from cvs_testkit.plugin.cassettes import marked_cassette, replay_marked_cassette
from cvs_testkit.plugin.coverage import collect_outcomes
from cvs_testkit.plugin.dialects import apply_dialect, dialect_parts
from cvs_testkit.plugin.remote import (
    allow_real,
    has_open_tenants,
    is_served_fake,
    remote_url,
    start_remote_test,
    with_guarded_admin,
)

if TYPE_CHECKING:
    from flask import Flask

    from cvs_testkit.fake import Credentials
    from cvs_testkit.httpx_transport import CVSHttpx
    from cvs_testkit.transports import CVSMock, LiveFake


@pytest.fixture
def cvs_credentials(request: pytest.FixtureRequest) -> Credentials:
    from cvs_testkit.fake import DEMO, Credentials

    if remote_url(request.config):
        key, secret = os.environ.get("CVS_API_KEY"), os.environ.get("CVS_API_SECRET")
        if key and secret:
            return Credentials(key, secret)
        if has_open_tenants(request.config):  # a tenant of this test's own, made on its first call
            return Credentials(f"t-{secrets.token_hex(8)}", secrets.token_urlsafe(18))
        if is_served_fake(request.config):
            return DEMO  # a served fake speaks the documented demo pair
        pytest.skip("--cvs-base-url to a server that is not a cvs-mock needs CVS_API_KEY and CVS_API_SECRET")
    return DEMO


@pytest.fixture
def cvs_app(request: pytest.FixtureRequest, cvs_dialect: Any) -> Flask:
    if remote_url(request.config):
        pytest.skip("cvs_app is the in-process fake; --cvs-base-url points the tests elsewhere")
    from mockserver import create_app

    name, options = dialect_parts(cvs_dialect)
    cassette = marked_cassette(request)
    replay = {"REPLAY": str(cassette[0]), "REPLAY_STRICT": cassette[1]} if cassette else {}
    return create_app({"TESTING": True, "DIALECT": name, "DIALECT_SET": options, **replay})


@pytest.fixture(scope="session")
def cvs_server_session(request: pytest.FixtureRequest) -> Iterator[LiveFake]:
    from cvs_testkit.transports import LiveFake

    remote = remote_url(request.config)
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
    from cvs_testkit.transports import LiveFake

    fake = LiveFake(cvs_server_session.base_url, cvs_credentials, cvs_server_session.server)
    if remote_url(request.config):
        guarded = with_guarded_admin(fake, has_open_tenants(request.config))
        start_remote_test(request, guarded, cvs_dialect)
        yield guarded
        return
    fake.reset()
    apply_dialect(fake, cvs_dialect)
    replay_marked_cassette(request, fake)
    yield fake
    collect_outcomes(request, fake)


def session_app() -> Flask:
    from mockserver import create_app

    return create_app({"TESTING": True})


# One fake per xdist worker behind each of cvs_mock and cvs_httpx, reset before every test:
# building a Flask app costs milliseconds, a reset a fraction of one.
@pytest.fixture(scope="session")
def cvs_shared_app() -> Flask:
    return session_app()


@pytest.fixture(scope="session")
def cvs_shared_httpx_app() -> Flask:
    return session_app()


def fresh(app: Flask) -> Flask:
    """The session's app, reset to a fresh fake."""
    from mockserver.state.fake_state import state_of

    state_of(app).reset()
    return app


@pytest.fixture
def cvs_mock(
    request: pytest.FixtureRequest, cvs_credentials: Credentials, cvs_shared_app: Flask, cvs_dialect: Any
) -> Iterator[CVSMock]:
    from cvs_testkit.transports import CVSMock

    remote = remote_url(request.config)
    if remote:
        intercept = request.config.getoption("--cvs-intercept")
        real = allow_real(request)
        routed = CVSMock(cvs_shared_app, intercept, cvs_credentials, forward_to=None if real else remote)
        routed.base_url = remote
        guarded = with_guarded_admin(routed, has_open_tenants(request.config))
        start_remote_test(request, guarded, cvs_dialect)
        if real:  # calls to the vendor's hosts go to the vendor itself
            yield guarded
            return
        with routed:
            yield guarded
        return
    mock = CVSMock(fresh(cvs_shared_app), request.config.getoption("--cvs-intercept"), cvs_credentials)
    apply_dialect(mock, cvs_dialect)
    replay_marked_cassette(request, mock)
    with mock:
        yield mock
    collect_outcomes(request, mock)


@pytest.fixture
def cvs_httpx(
    request: pytest.FixtureRequest, cvs_credentials: Credentials, cvs_shared_httpx_app: Flask, cvs_dialect: Any
) -> Iterator[CVSHttpx]:
    pytest.importorskip("httpx", reason="cvs_httpx needs httpx: pip install 'cvs-testkit[httpx]'")
    from cvs_testkit.httpx_transport import CVSHttpx

    fake = CVSHttpx(fresh(cvs_shared_httpx_app), cvs_credentials)
    remote = remote_url(request.config)
    if remote:
        from cvs_testkit.routing import Routes

        fake.forward_to(remote, Routes.of(request.config.getoption("--cvs-intercept")), allow_real(request))
        guarded = with_guarded_admin(fake, has_open_tenants(request.config))
        start_remote_test(request, guarded, cvs_dialect)
        yield guarded
        return
    apply_dialect(fake, cvs_dialect)
    replay_marked_cassette(request, fake)
    yield fake
    collect_outcomes(request, fake)
