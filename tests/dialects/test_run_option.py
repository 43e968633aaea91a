"""``pytest --cvs-dialects``: a suite runs once per dialect and learns which dialects it fails."""

from __future__ import annotations

import pytest

SUITE = """
import requests

def dob_parts(base_url, auth):
    body = requests.get(base_url + "/api/v2/ekyc/card?img=https://a.vn/x.jpg", auth=auth, timeout=30).json()
    return body["data"]["info"]["dob"].split("-")   # a client that reads only hyphens

def test_reads_a_date(cvs_mock):
    assert len(dob_parts(cvs_mock.base_url, cvs_mock.credentials.auth)) == 3

def test_reads_a_date_live(cvs_server):
    assert len(dob_parts(cvs_server.base_url, cvs_server.credentials.auth)) == 3

def test_without_a_cvs_fixture():
    assert True
"""


def test_each_test_runs_once_per_named_dialect_and_the_failing_ones_are_named(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_client=SUITE)
    result = pytester.runpytest_subprocess("--cvs-dialects=all", "-p", "no:cacheprovider", "-q")
    # 2 tests x 5 dialects; slashes in docs and alternate fail the hyphen-only client
    result.assert_outcomes(passed=7, failed=4)
    result.stdout.fnmatch_lines(
        [
            "*cvs dialects*",
            "failed under alternate: 2 test(s): test_client.py::test_reads_a_date, test_client.py::test_reads_a_date_*",
            "failed under docs: 2 test(s): *",
            "*test_reads_a_date?dialect=docs?*",
        ]
    )


@pytest.mark.slow  # starts several processes
def test_a_list_of_dialects_and_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_client=SUITE)
    result = pytester.runpytest_subprocess("--cvs-dialects=default,php-ekyc", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*every test passed under every dialect it ran in*"])


def test_a_marked_test_keeps_its_own_dialect(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marked="""
        import pytest, requests

        @pytest.mark.cvs_dialect("docs")
        def test_slashes(cvs_mock):
            body = requests.get(cvs_mock.base_url + "/api/v2/ekyc/card?img=https://a.vn/x.jpg",
                                auth=cvs_mock.credentials.auth, timeout=30).json()
            assert body["data"]["info"]["dob"].count("/") == 2
        """
    )
    result = pytester.runpytest_subprocess("--cvs-dialects=all", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
