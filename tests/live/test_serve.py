"""A real ``cvs-mock serve`` process over HTTP: start-up, signals, state, several processes."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor

import requests

from cvs_testkit import images
from cvs_testkit.contract import assert_conforms
from cvs_testkit.images import to_base64
from tests.live.helpers import cvs_mock_process, printed

DEMO = ("demo", "p@55w0rd")


def add_face(base: str, identity: str, auth: tuple[str, str] = DEMO) -> int:
    body = requests.post(
        f"{base}/api/v2/face_search/images",
        auth=auth,
        timeout=30,
        json={"image": {"base64": to_base64(images.portrait(identity)), "metadata": {"n": identity}}},
    )
    assert body.json()["status_code"] == 0, body.text
    return int(body.json()["result"]["id"])


def test_serve_announces_itself_and_stops_cleanly_on_sigterm() -> None:
    with cvs_mock_process() as (base, proc):
        response = requests.get(
            f"{base}/api/v2/ekyc/card?img=https://a.vn/x.jpg&format_type=url", auth=DEMO, timeout=30
        )
        assert_conforms(response.json(), "/api/v2/ekyc/card", "GET")
        assert response.headers["Server"] == "cvs-mock"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        output = printed(proc)
    assert "cvs-mock: stopped" in output


def test_serve_sigint_is_a_clean_stop() -> None:
    with cvs_mock_process() as (_, proc):
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0


def test_every_flow_over_real_http() -> None:
    card = images.id_card("chip_id_card_front", name="HOÀNG VĂN NAM")
    with cvs_mock_process() as (base, _):
        ocr = requests.post(
            f"{base}/api/v2/ekyc/card?format_type=file", auth=DEMO, timeout=30, files={"img": ("the.png", card)}
        ).json()
        assert ocr["data"]["info"]["name"] == "HOÀNG VĂN NAM"
        fm = requests.post(
            f"{base}/api/v2/ekyc/face_matching?format_type=base64&type1=card",
            auth=DEMO,
            timeout=30,
            json={"img1": to_base64(images.id_card(identity="nam")), "img2": to_base64(images.portrait("nam"))},
        ).json()
        assert fm["data"]["match"] == "1"
        image_id = add_face(base, "nam")
        crop = requests.get(
            f"{base}/api/v2/smartcrop/crop_image?url=https://a.vn/p.jpg&width=64&height=48", auth=DEMO, timeout=30
        ).json()
        import io

        from PIL import Image

        downloaded = requests.get(crop["url"], timeout=30)
        assert Image.open(io.BytesIO(downloaded.content)).size == (64, 48)
        assert image_id >= 1


def test_state_survives_a_restart(tmp_path) -> None:
    state = str(tmp_path / "cvs.sqlite")
    keys = tmp_path / "keys.toml"
    keys.write_text('[[keys]]\napi_key = "ngan-hang"\napi_secret = "bi-mat"\nquota = 3\n', encoding="utf-8")
    bank = ("ngan-hang", "bi-mat")
    with cvs_mock_process("--state", state, "--keys", str(keys)) as (base, _):
        first = add_face(base, "lan", bank)
        add_face(base, "lan", bank)
    with cvs_mock_process("--state", state, "--keys", str(keys)) as (base, _):
        listed = requests.get(f"{base}/api/v2/face_search/images", auth=bank, timeout=30).json()["result"]
        assert [i["id"] for i in listed] == [first, first + 1]
        assert requests.get(listed[0]["url"], timeout=30).status_code == 200
        # two adds before the restart and one list after it spent the quota of 3
        spent = requests.get(f"{base}/api/v2/face_search/images", auth=bank, timeout=30).json()
        assert spent == {"result": None, "status_code": 5, "message": "Out of requests"}


def test_two_processes_share_one_state_file(tmp_path) -> None:
    state = str(tmp_path / "shared.sqlite")
    with cvs_mock_process("--state", state) as (one, _), cvs_mock_process("--state", state) as (two, _):
        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(lambda n: add_face(one if n % 2 else two, f"p{n}"), range(40)))
        assert len(set(ids)) == 40
        seen_one = requests.get(f"{one}/api/v2/face_search/images?limit=100", auth=DEMO, timeout=30).json()["result"]
        seen_two = requests.get(f"{two}/api/v2/face_search/images?limit=100", auth=DEMO, timeout=30).json()["result"]
        assert sorted(i["id"] for i in seen_one) == sorted(i["id"] for i in seen_two) == sorted(ids)


def test_proxy_command_forwards_to_a_real_upstream() -> None:
    with cvs_mock_process() as (upstream, _):
        import subprocess
        import sys

        from tests.live.helpers import _wait_for_banner

        proc = subprocess.Popen(
            [sys.executable, "-m", "mockserver.cli", "proxy", "--upstream", upstream, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            proxy, _ = _wait_for_banner(proc)
            answer = requests.get(f"{proxy}/api/v2/face_search/images", auth=DEMO, timeout=30)
            assert answer.json() == {"result": [], "status_code": 0, "message": "Success"}
            assert requests.get(f"{proxy}/__mock__/violations", timeout=10).json() == {"violations": []}
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
            if proc.stdout:
                proc.stdout.close()


def test_help_and_bad_keys_file(tmp_path) -> None:
    import subprocess
    import sys

    helped = subprocess.run([sys.executable, "-m", "mockserver.cli", "serve", "--help"], capture_output=True, text=True)
    assert "--state PATH" in helped.stdout and "--keys FILE" in helped.stdout
    bad = tmp_path / "keys.json"
    bad.write_text('{"keys": [{"api_key": "a:b", "api_secret": "x"}]}')
    refused = subprocess.run(
        [sys.executable, "-m", "mockserver.cli", "serve", "--keys", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "keys[0]" in refused.stderr
