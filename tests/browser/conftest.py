"""A real headless browser (Debian's ``chromium`` driven through ``chromedriver``).

Nothing is downloaded at run time: the browser and its driver come from the system packages,
and the tests skip, naming the packages, on a machine without them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from mockserver.server import MockServer

CHROMIUM = os.environ.get("CVS_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("CVS_TEST_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
# The closed network refuses the browser's own background traffic; these flags keep it quiet.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--window-size=1366,860",
)
CLIENT_PAGE = "<!doctype html><html><head><title>web client</title></head><body>a web front end</body></html>"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("needs a browser: install Debian's 'chromium' and 'chromium-driver' packages")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="cvs-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def client_origin() -> Iterator[str]:
    """Another origin (its own port) serving a plain page, as a web front end's dev server would."""
    site = Flask("web_client")
    site.add_url_rule("/", "page", lambda: CLIENT_PAGE)
    with MockServer(site) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    """A real ``cvs-mock serve`` process for the tests of one module."""
    from tests.live.helpers import cvs_mock_process

    with cvs_mock_process() as (base_url, _):
        yield base_url


def wait_for(driver: Any, condition: Callable[[Any], Any], timeout: float = 15) -> Any:
    """Poll ``condition`` until it is truthy; the page re-renders every second, so an element
    read between two renders is simply read again."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,))
    return wait.until(condition)


FETCH_SCRIPT = """
const [url, user, secret, done] = arguments;
fetch(url, {headers: {Authorization: "Basic " + btoa(user + ":" + secret)}})
  .then(async (r) => {
    const text = await r.text();
    let errorCode = null;
    try { errorCode = JSON.parse(text).errorCode; } catch (e) { /* not JSON */ }
    done({status: r.status, errorCode: errorCode, text: text, trigger: r.headers.get("X-CVS-Mock-Trigger")});
  })
  .catch((e) => done({blocked: String(e)}));
"""


def browser_fetch(driver: Any, url: str, user: str = "demo", secret: str = "p@55w0rd") -> dict[str, Any]:
    """``fetch(url)`` with Basic auth from the page the browser is on; what the page could read."""
    result: dict[str, Any] = driver.execute_async_script(FETCH_SCRIPT, url, user, secret)
    return result
