"""A deliberately wrong CVS server: the fake, with its answers broken in known ways."""

from __future__ import annotations

import json

from flask import Flask, Response, request

from mockserver import create_app


def wrong_app() -> Flask:
    app = create_app({"SELF_CHECK": "off"})

    @app.after_request
    def break_answers(response: Response) -> Response:
        if response.mimetype != "application/json" or not request.path.startswith("/api/"):
            return response
        body = json.loads(response.get_data())
        path = request.path
        if path == "/api/v2/ekyc/cards" and body.get("errorCode") == "0":
            del body["data"][0]["type"]  # a required field dropped
        elif path == "/api/v2/ekyc/face_matching" and body.get("errorCode") == "0":
            body["data"]["match"] = 1.5  # a changed type
        elif path == "/api/v2/face_search/images" and request.method == "GET":
            body["status_code"] = 42  # an invented code
        elif path == "/api/v2/smartcrop/crop_image":
            return Response("<html><body>502 Bad Gateway</body></html>", status=200, mimetype="text/html")
        elif path == "/api/v2/ekyc/card":
            body["Exception"] = "Lỗi hệ thống"  # an extra, undocumented field
        response.set_data(json.dumps(body, ensure_ascii=False))
        return response

    return app
