"""Flask's JSON provider on orjson: the same bytes as the standard one (compact separators,
UTF-8 rather than escapes, key order kept, a closing newline) at a fraction of the cost.
Values orjson does not take (integers beyond 64 bits in a forced body) fall back to the
standard encoder."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask import Response
from flask.json.provider import DefaultJSONProvider

from mockserver import limits


class OrjsonProvider(DefaultJSONProvider):
    ensure_ascii = False
    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Every ``request.get_json``: nesting past the limit is a malformed body (ValueError),
        never a RecursionError."""
        return limits.loads(s)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:
            return super().dumps(obj, **kwargs)
        return _encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return Response(_encode(obj) + b"\n", mimetype=self.mimetype)


def _encode(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str).encode()
