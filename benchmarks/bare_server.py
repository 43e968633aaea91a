"""The baseline server: a bare Flask app answering fixed JSON bytes, on the same waitress settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flask import Flask, Response

from mockserver.server import MockServer


def bare_app(body: bytes) -> Flask:
    app = Flask("bare")

    @app.route("/<path:anything>", methods=["GET", "POST"])
    def answer(anything: str) -> Response:
        return Response(body, mimetype="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    server = MockServer(bare_app(args.body.read_bytes()), port=0, threads=args.threads)
    print(f"bare serving on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
