"""The dashboard at /__mock__/ in a real browser: it shows, steers, escapes and refuses."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockserver import create_app
from mockserver.proxy import create_proxy_app
from mockserver.server import MockServer
from tests.browser.conftest import wait_for
from tests.conformance.wrong_upstream import wrong_app

DEMO = ("demo", "p@55w0rd")
CARD = "/api/v2/ekyc/card?img=https://cdn.example.vn/front.jpg&format_type=url"


@pytest.fixture
def dashboard(browser: Any, fake: str) -> Any:
    requests.post(fake + "/__mock__/reset", timeout=10).raise_for_status()
    browser.get(fake + "/__mock__/")
    wait_for(browser, lambda d: d.find_element("id", "status").text.startswith("updated"))
    return browser


def by_id(driver: Any, element_id: str) -> Any:
    return driver.find_element("id", element_id)


def journal_rows(driver: Any) -> list[Any]:
    return list(driver.find_elements("css selector", "#journal-body tr.entry"))


def journal_texts(driver: Any) -> list[str]:
    """The rows' texts, read at once (a row element may be replaced by the next render)."""
    return [row.text for row in journal_rows(driver)]


def test_a_request_made_a_moment_before_appears(dashboard: Any, fake: str) -> None:
    requests.get(fake + CARD + "&check_sum=DS-7781", auth=DEMO, timeout=10)
    cells = wait_for(
        dashboard, lambda d: [c.text for c in d.find_elements("css selector", "#journal-body tr.entry td")] or None
    )
    assert cells[2:] == ["GET", "/api/v2/ekyc/card", "demo", "ocr", "0", "image-bytes", "billable", "200"]
    assert "billable" in journal_rows(dashboard)[0].get_attribute("class")
    journal_rows(dashboard)[0].click()
    wait_for(dashboard, lambda d: by_id(d, "detail").is_displayed())
    assert '"check_sum": "DS-7781"' in by_id(dashboard, "detail-request").text
    assert '"errorCode": "0"' in by_id(dashboard, "detail-answer").text
    usage = wait_for(dashboard, lambda d: d.find_element("css selector", "#usage-body tr").text)
    assert usage.split() == ["demo", "1", "1", "none", "∞"]


def test_forcing_code_4_from_the_form_makes_the_next_call_out_of_requests(dashboard: Any, fake: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(by_id(dashboard, "force-flow")).select_by_value("ocr")
    Select(by_id(dashboard, "force-outcome")).select_by_value("code:4")
    by_id(dashboard, "force-submit").click()
    wait_for(dashboard, lambda d: by_id(d, "pending").text == "ocr: 1 queued")
    answer = requests.get(fake + CARD, auth=DEMO, timeout=10)
    assert answer.json() == {"errorCode": "4", "errorMessage": "Out of requests"}
    assert requests.get(fake + CARD, auth=DEMO, timeout=10).json()["errorCode"] == "0"  # only the next one
    wait_for(dashboard, lambda d: by_id(d, "pending").text == "nothing queued")
    triggers = wait_for(dashboard, lambda d: journal_texts(d) if len(journal_rows(d)) == 2 else None)
    assert "forced:code" in triggers[1] and "image-bytes" in triggers[0]


def test_the_form_offers_the_liveness_codes_and_forces_one(dashboard: Any, fake: str) -> None:
    from selenium.webdriver.support.ui import Select

    from cvs_testkit import images

    Select(by_id(dashboard, "force-flow")).select_by_value("liveness")
    offered = [o.get_attribute("value") for o in Select(by_id(dashboard, "force-outcome")).options]
    assert {f"code:{n}" for n in range(1, 7)} <= set(offered)
    Select(by_id(dashboard, "force-outcome")).select_by_value("code:3")
    by_id(dashboard, "force-submit").click()
    wait_for(dashboard, lambda d: by_id(d, "pending").text == "liveness: 1 queued")
    shots = {part: (f"{part}.jpg", data) for part, data in images.liveness_shots("an").items()}
    answer = requests.post(fake + "/api/v2/ekyc/verify_liveness", files=shots, auth=DEMO, timeout=10)
    assert answer.json() == {"errorCode": "3", "errorMessage": "Incorrect image format"}
    again = requests.post(fake + "/api/v2/ekyc/verify_liveness", files=shots, auth=DEMO, timeout=10).json()
    assert again["data"]["invalidCode"] == "0"


def test_filters_narrow_the_journal(dashboard: Any, fake: str) -> None:
    requests.get(fake + CARD, auth=DEMO, timeout=10)
    requests.get(fake + "/api/v2/face_search/images", auth=DEMO, timeout=10)
    requests.get(fake + CARD, auth=("demo", "wrong"), timeout=10)
    wait_for(dashboard, lambda d: len(journal_rows(d)) == 3)
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    by_id(dashboard, "filter-code").send_keys("5")
    rows = wait_for(dashboard, lambda d: journal_texts(d) if len(journal_rows(d)) == 1 else None)
    assert "auth:wrong" in rows[0]
    by_id(dashboard, "filter-code").send_keys(Keys.BACKSPACE)
    wait_for(dashboard, lambda d: len(journal_rows(d)) == 3)
    Select(by_id(dashboard, "filter-flow")).select_by_value("face_search")
    rows = wait_for(dashboard, lambda d: journal_texts(d) if len(journal_rows(d)) == 1 else None)
    assert "/api/v2/face_search/images" in rows[0]
    by_id(dashboard, "filter-billable").click()
    Select(by_id(dashboard, "filter-flow")).select_by_value("")
    rows = wait_for(dashboard, lambda d: journal_texts(d) if len(journal_rows(d)) == 2 else None)
    assert all("billable" in r for r in rows)


def test_attacker_controlled_journal_fields_render_as_text(dashboard: Any, fake: str) -> None:
    payload = '<script>window.__cvs_pwned = 1</script><img src=x onerror="window.__cvs_pwned = 2">'
    requests.get(fake + CARD + "&check_sum=<b>bold</b>", auth=DEMO, headers={"X-Client": payload}, timeout=10)
    requests.get(fake + CARD, auth=(payload, "x"), timeout=10)
    wait_for(dashboard, lambda d: len(journal_rows(d)) == 2)
    journal_rows(dashboard)[1].click()
    detail = wait_for(dashboard, lambda d: by_id(d, "detail-request").text or None)
    assert payload.replace('"', '\\"') in detail and "<b>bold</b>" in detail
    assert dashboard.find_elements("css selector", "#detail script, #detail img, #journal b") == []
    assert dashboard.execute_script("return window.__cvs_pwned === undefined")


def test_a_key_created_from_the_form_appears_and_works(dashboard: Any, fake: str) -> None:
    by_id(dashboard, "key-name").send_keys("ngan-hang")
    by_id(dashboard, "key-secret").send_keys("bi-mat")
    by_id(dashboard, "key-quota").send_keys("1")
    by_id(dashboard, "key-submit").click()
    wait_for(dashboard, lambda d: "ngan-hang" in by_id(d, "usage-body").text)
    codes = [requests.get(fake + CARD, auth=("ngan-hang", "bi-mat"), timeout=10).json()["errorCode"] for _ in range(2)]
    assert codes == ["0", "4"]
    row = wait_for(
        dashboard,
        lambda d: next(
            (
                t
                for t in (r.text for r in d.find_elements("css selector", "#usage-body tr"))
                if t.startswith("ngan-hang 2")
            ),
            None,
        ),
    )
    assert row.split() == ["ngan-hang", "2", "1", "1", "0"]


def test_a_file_uploaded_from_the_form_is_hosted(dashboard: Any, fake: str, tmp_path: Any) -> None:
    from cvs_testkit import images

    card = tmp_path / "card.png"
    card.write_bytes(images.id_card("passport"))
    by_id(dashboard, "file-input").send_keys(str(card))
    by_id(dashboard, "file-submit").click()
    url = wait_for(dashboard, lambda d: by_id(d, "file-url").text or None)
    assert requests.get(url, timeout=10).content == card.read_bytes()
    read = requests.get(f"{fake}/api/v2/ekyc/card?img={url}&format_type=url", auth=DEMO, timeout=10).json()
    assert read["data"]["type"] == "passport"  # the scenario the uploaded image carries
    wait_for(dashboard, lambda d: url in by_id(d, "files").text)


def test_a_non_loopback_client_is_refused(browser: Any) -> None:
    app = create_app()

    def from_elsewhere(environ: dict[str, Any], start_response: Any) -> Any:
        environ["REMOTE_ADDR"] = "198.51.100.7"  # as if the browser sat on another host
        return app(environ, start_response)

    with MockServer(from_elsewhere) as server:  # type: ignore[arg-type]
        browser.get(server.base_url + "/__mock__/")
        text = browser.find_element("tag name", "body").text
    assert "the admin API answers loopback clients only; start cvs-mock with --admin-remote" in text
    assert browser.find_elements("id", "journal") == []


def test_the_proxy_dashboard_shows_violations(browser: Any) -> None:
    with MockServer(wrong_app()) as upstream, MockServer(create_proxy_app(upstream.base_url)) as proxy:
        requests.get(proxy.base_url + "/api/v2/face_search/images", auth=DEMO, timeout=10)
        browser.get(proxy.base_url + "/__mock__/")
        wait_for(browser, lambda d: by_id(d, "violations-count").text == "1")
        listed = by_id(browser, "violations").text
        assert by_id(browser, "mode").text == "proxy"
        assert not by_id(browser, "force-panel").is_displayed()
    assert "GET /api/v2/face_search/images → 200" in listed and "/status_code" in listed


def test_the_keys_page_through_fifty_at_a_time(dashboard: Any, fake: str) -> None:
    for n in range(60):
        created = requests.post(fake + "/__mock__/keys", json={"api_key": f"k{n:02d}", "api_secret": "s"}, timeout=10)
        assert created.status_code == 201
    pager = wait_for(dashboard, lambda d: "of 61" in by_id(d, "usage-pager").text and by_id(d, "usage-pager"))
    assert pager.text.startswith("keys 1–50 of 61")
    assert len(dashboard.find_elements("css selector", "#usage-body tr")) == 50
    pager.find_element("xpath", ".//button[contains(., 'next')]").click()
    wait_for(dashboard, lambda d: by_id(d, "usage-pager").text.startswith("keys 51–61 of 61"))
    names = [r.text.split()[0] for r in dashboard.find_elements("css selector", "#usage-body tr")]
    assert names == [f"k{n:02d}" for n in range(49, 60)]
    by_id(dashboard, "usage-pager").find_element("xpath", ".//button[contains(., 'previous')]").click()
    wait_for(dashboard, lambda d: by_id(d, "usage-pager").text.startswith("keys 1–50 of 61"))
