"""Make docs/dashboard.png: a fake with some traffic, its dashboard in headless Chromium.

python docs/screenshot.py        # needs Debian's chromium and chromium-driver, and selenium
"""

from __future__ import annotations

import pathlib
import time

import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from cvs_testkit import images
from mockserver import create_app
from mockserver.server import MockServer

DEMO = ("demo", "p@55w0rd")
OUT = pathlib.Path(__file__).with_name("dashboard.png")


def traffic(base: str) -> None:
    requests.post(base + "/__mock__/keys", json={"api_key": "ngan-hang-a", "api_secret": "s", "quota": 3}, timeout=10)
    card = requests.post(base + "/__mock__/files", data=images.id_card("chip_id_card_front"), timeout=10).json()["url"]
    requests.get(f"{base}/api/v2/ekyc/card?img={card}&format_type=url", auth=DEMO, timeout=10)
    for _ in range(4):
        requests.get(f"{base}/api/v2/ekyc/card?img={card}&format_type=url", auth=("ngan-hang-a", "s"), timeout=10)
    requests.get(base + "/api/v2/face_search/images", auth=DEMO, timeout=10)
    requests.get(f"{base}/api/v2/ekyc/card?img=https://cdn.x.invalid/a.jpg&format_type=url", auth=DEMO, timeout=10)
    requests.get(f"{base}/api/v2/ekyc/card?img={card}&format_type=url", auth=("demo", "wrong"), timeout=10)
    requests.post(base + "/__mock__/outcomes", json={"flow": "face_matching", "code": "4", "count": 2}, timeout=10)


def main() -> None:
    with MockServer(create_app()) as server:
        traffic(server.base_url)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--window-size=1366,768",
            "--hide-scrollbars",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(server.base_url + "/__mock__/")
            time.sleep(2)
            driver.find_elements("css selector", "#journal-body tr.entry")[4].click()
            time.sleep(1)
            driver.save_screenshot(str(OUT))
        finally:
            driver.quit()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
