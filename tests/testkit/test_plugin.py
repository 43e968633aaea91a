"""The pytest plugin as a user meets it, driven through pytester."""

from __future__ import annotations

import pytest

from tests.live.helpers import cvs_mock_process

CLIENT_TESTS = """
import requests
from cvs_testkit import images
from cvs_testkit.images import to_base64

def read_card(base_url, auth, picture):
    response = requests.post(f"{base_url}/api/v2/ekyc/card?format_type=base64", auth=auth, timeout=30,
                             json={"img": to_base64(picture)})
    return response.json()

def test_success(cvs_mock):
    body = read_card(cvs_mock.base_url, cvs_mock.credentials.auth, images.id_card(name="ĐINH THỊ THU"))
    assert body["data"]["info"]["name"] == "ĐINH THỊ THU"

def test_quota(cvs_mock):
    cvs_mock.force("ocr", code="4")
    assert read_card(cvs_mock.base_url, cvs_mock.credentials.auth, images.id_card())["errorCode"] == "4"

def test_live(cvs_server):
    assert read_card(cvs_server.base_url, cvs_server.credentials.auth, images.blank_image())["errorCode"] == "1"
"""


def test_fixtures_are_available_without_configuration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


@pytest.mark.slow  # starts several processes
def test_fixtures_under_xdist_two_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    pytester.makepyfile(
        test_more="""
        import requests
        def test_isolated_gallery(cvs_server):
            url = cvs_server.base_url + "/api/v2/face_search/images"
            assert requests.get(url, auth=cvs_server.credentials.auth, timeout=30).json()["result"] == []
        def test_isolated_again(cvs_server):
            url = cvs_server.base_url + "/api/v2/face_search/images"
            assert requests.get(url, auth=cvs_server.credentials.auth, timeout=30).json()["result"] == []
    """
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


@pytest.mark.slow  # starts several processes
def test_coverage_report_and_threshold(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    result = pytester.runpytest_subprocess("--cvs-coverage", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        ["*error-path coverage*", "*ocr*4/20*", "*success  0+", "*error    1+ 2- 3- 4+ 5- 6-", "*warning  0+ 1-*"]
    )
    failing = pytester.runpytest_subprocess("--cvs-min-coverage", "90", "-p", "no:cacheprovider")
    assert failing.ret == 1
    failing.stdout.fnmatch_lines(["*below --cvs-min-coverage 90*"])
    passing = pytester.runpytest_subprocess("--cvs-min-coverage", "1", "-p", "no:cacheprovider")
    assert passing.ret == 0


@pytest.mark.slow  # starts several processes
def test_coverage_is_gathered_across_xdist_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    result = pytester.runpytest_subprocess("-n", "2", "--cvs-coverage", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*ocr*4/20*"])


def test_base_url_points_fixtures_at_another_server(pytester: pytest.Pytester, monkeypatch) -> None:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    pytester.makepyfile(
        test_fake_only="""
        def test_app(cvs_app):
            pass
    """
    )
    monkeypatch.setenv("CVS_API_KEY", "demo")
    monkeypatch.setenv("CVS_API_SECRET", "p@55w0rd")
    with cvs_mock_process() as (base, _):
        result = pytester.runpytest_subprocess("--cvs-base-url", base, "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(["*cvs_app is the in-process fake*"])


def test_helpers_skip_against_a_server_without_admin_api(pytester: pytest.Pytester, monkeypatch) -> None:
    from mockserver import create_app
    from mockserver.server import MockServer

    pytester.makepyfile(
        test_force="""
        def test_needs_admin(cvs_server):
            cvs_server.force("ocr", code="4")
    """
    )
    monkeypatch.setenv("CVS_API_KEY", "demo")
    monkeypatch.setenv("CVS_API_SECRET", "p@55w0rd")
    app = create_app({"TESTING": True})

    @app.before_request
    def hide_admin():  # stands for a real API: no /__mock__/
        from flask import abort, request

        if request.path.startswith("/__mock__"):
            abort(404)

    with MockServer(app) as server:
        result = pytester.runpytest_subprocess("--cvs-base-url", server.base_url, "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs a cvs-mock admin API*"])


def test_base_url_without_credentials_skips(pytester: pytest.Pytester, monkeypatch) -> None:
    pytester.makepyfile(test_client=CLIENT_TESTS)
    monkeypatch.delenv("CVS_API_KEY", raising=False)
    result = pytester.runpytest_subprocess("--cvs-base-url", "http://127.0.0.1:9", "-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=3)
    result.stdout.fnmatch_lines(["*CVS_API_KEY and CVS_API_SECRET*"])


def test_help_lists_the_options(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--cvs-base-url=URL*", "*--cvs-min-coverage=P*", "*--cvs-coverage*"])


LEFTOVER_TESTS = """
import requests

def test_forces_and_uses_nothing(cvs_server):
    cvs_server.force("face_search", count=2, fault="gateway")
    cvs_server.force("ocr", code="4")

def test_forces_through_the_mock_and_uses_nothing(cvs_mock):
    cvs_mock.force("face_matching", code="3")
"""


@pytest.mark.parametrize("tenants", ["configured", pytest.param("open", marks=pytest.mark.slow)])
def test_a_suite_on_a_served_fake_leaves_nothing_pending(pytester: pytest.Pytester, tenants: str) -> None:
    import requests

    pytester.makepyfile(test_leftovers=LEFTOVER_TESTS)
    with cvs_mock_process("--tenants", tenants) as (base, _):
        result = pytester.runpytest_subprocess("--cvs-base-url", base, "-p", "no:cacheprovider")
        result.assert_outcomes(passed=2)
        # the next user of the fake, with the demo pair and as the whole fake, meets no forced outcome
        demo = requests.get(base + "/__mock__/outcomes", auth=("demo", "p@55w0rd"), timeout=10).json()
        whole = requests.get(base + "/__mock__/outcomes", timeout=10).json()
        listed = requests.get(base + "/api/v2/face_search/images", auth=("demo", "p@55w0rd"), timeout=10)
        keys = [k["api_key"] for k in requests.get(base + "/__mock__/keys", timeout=10).json()["keys"]]
    assert demo == whole == {"pending": {}}
    assert keys == ["demo"]  # with open tenants, each finished test's tenant went with its key
    assert listed.headers["X-CVS-Mock-Trigger"] != "forced:gateway" and listed.json()["status_code"] == 0
