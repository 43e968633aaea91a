"""The dashboard of a shared fake, opened from another host (outside a network namespace the
test makes): it asks for the admin token once and sends it with every call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.browser.conftest import wait_for
from tests.helpers.components import network_namespace
from tests.live.helpers import cvs_mock_process

TOKEN = "tok-5b8e0f13a2c94d67"


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[str]:
    with network_namespace() as namespace:
        args = ("--host", namespace.inside, "--admin-token", TOKEN, "--tenants", "open")
        with cvs_mock_process(*args, within=namespace.within) as (base_url, _):
            yield base_url


def test_the_dashboard_asks_for_the_token_once(shared_fake: str, browser: Any) -> None:
    requests.get(shared_fake + "/api/v2/face_search/images", auth=("team-c", "s"), timeout=10)
    browser.get(shared_fake + "/__mock__/")
    browser.execute_script("sessionStorage.clear()")
    browser.get(shared_fake + "/__mock__/")
    form = wait_for(browser, lambda d: d.find_element("id", "token-form").is_displayed() or None)
    assert form
    browser.find_element("id", "token").send_keys(TOKEN)
    browser.find_element("id", "token-send").click()
    wait_for(browser, lambda d: d.find_element("id", "status").text.startswith("updated") or None)
    rows = wait_for(browser, lambda d: d.find_elements("css selector", "#journal-body tr.entry") or None)
    assert any("team-c" in row.text for row in rows)
    assert not browser.find_element("id", "token-form").is_displayed()
    browser.refresh()  # the tab keeps the token: no second question
    wait_for(browser, lambda d: d.find_element("id", "status").text.startswith("updated") or None)
    assert not browser.find_element("id", "token-form").is_displayed()
