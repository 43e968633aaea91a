"""``python -m benchmarks.profile``: where the time of one fake request goes (cProfile)."""

from __future__ import annotations

import argparse
import base64
import cProfile
import pstats
import time

from cvs_testkit import images
from cvs_testkit.images import to_base64
from mockserver import create_app

AUTH = {"Authorization": "Basic " + base64.b64encode(b"demo:p@55w0rd").decode()}
REQUESTS = {
    "ocr-get": ("GET", "/api/v2/ekyc/card?img=https://cdn.example.vn/kyc/a.jpg&format_type=url&get_thumb=false", None),
    "ocr-cards": (
        "POST",
        "/api/v2/ekyc/cards?format_type=base64",
        {
            "img1": to_base64(images.id_card("chip_id_card_front")),
            "img2": to_base64(images.id_card("chip_id_card_back")),
        },
    ),
    "face-search": ("POST", "/api/v2/face_search/search", {"image": {"base64": to_base64(images.portrait("a"))}}),
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("request", choices=sorted(REQUESTS), nargs="?", default="ocr-get")
    parser.add_argument("-n", type=int, default=1000, help="requests to profile (default 1000)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    method, path, body = REQUESTS[args.request]
    client = create_app().test_client()
    for _ in range(50):
        client.open(path, method=method, json=body, headers=AUTH)
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.n):
        client.open(path, method=method, json=body, headers=AUTH)
    profile.disable()
    print(f"{args.request}: {(time.perf_counter() - started) / args.n * 1000:.3f} ms per request under cProfile")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
