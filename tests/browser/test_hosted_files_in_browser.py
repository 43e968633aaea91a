"""An uploaded HTML file opened in a real browser at the fake's own origin runs no script."""

from __future__ import annotations

import io
import time
from typing import Any

import requests

SCRIPT = b"""<!doctype html><title>owned</title><script>
fetch('/__mock__/keys', {method: 'POST', headers: {'Content-Type': 'application/json'},
  body: JSON.stringify({api_key: 'planted-by-page', api_secret: 'x'})});
fetch('/__mock__/reset', {method: 'POST'});
document.title = 'script ran';
</script>"""


def test_an_uploaded_html_file_runs_no_script(browser: Any, fake: str) -> None:
    requests.get(fake + "/api/v2/ekyc/card?img=https://a.vn/x.jpg", auth=("demo", "p@55w0rd"), timeout=30)
    before = len(requests.get(fake + "/__mock__/journal", timeout=10).json()["entries"])
    for kind in ("text/html", "image/svg+xml"):
        files = {"file": ("page", io.BytesIO(SCRIPT), kind)}
        file_id = requests.post(fake + "/__mock__/files", files=files, timeout=10).json()["id"]
        browser.get(f"{fake}/__mock__/files/{file_id}")
        time.sleep(1.0)  # what a script would need to send its two requests
        assert browser.title != "script ran"
    keys = [k["api_key"] for k in requests.get(fake + "/__mock__/keys", timeout=10).json()["keys"]]
    assert "planted-by-page" not in keys
    assert len(requests.get(fake + "/__mock__/journal", timeout=10).json()["entries"]) >= before  # no reset
