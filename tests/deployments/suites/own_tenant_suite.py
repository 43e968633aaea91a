"""A team's suite run against a shared fake (``--cvs-base-url``): each test forces outcomes,
reads the journal and resets, and must see only its own requests whatever else runs."""

from __future__ import annotations

import pytest
import requests

from cvs_testkit import images
from cvs_testkit.images import to_base64

LIST = "/api/v2/face_search/images"


@pytest.mark.parametrize("n", range(10))
def test_my_forced_outcomes_journal_and_reset_are_mine(cvs_server, n: int) -> None:
    auth = cvs_server.credentials.auth
    cvs_server.force("face_search", count=2, code=6)
    with requests.Session() as session:
        answers = [session.get(cvs_server.url(LIST), auth=auth, timeout=30) for _ in range(3)]
        added = session.post(
            cvs_server.url(LIST), auth=auth, json={"image": {"base64": to_base64(images.portrait(f"p{n}"))}}, timeout=30
        )
        listed = session.get(cvs_server.url(LIST), auth=auth, timeout=30).json()["result"]
    assert [a.json()["status_code"] for a in answers] == [6, 6, 0]
    assert [a.headers["X-CVS-Mock-Trigger"] for a in answers[:2]] == ["forced:code", "forced:code"]
    assert [face["id"] for face in listed] == [added.json()["result"]["id"]]
    journal = cvs_server.journal
    assert [e["api_key"] for e in journal] == [auth[0]] * 5
    assert cvs_server.billable() == 3
    cvs_server.reset()
    assert cvs_server.journal == [] and cvs_server.billable() == 0
