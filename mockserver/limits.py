"""Bounds every parsed value obeys. JSON nesting deeper than ``MAX_JSON_DEPTH`` is refused
where it is read, so no later step (validation, the journal, an answer) meets a structure
it would recurse through until RecursionError; numbers an admin call or a start-up option
passes to the store stay within what every backend's columns hold. A leaf module."""

from __future__ import annotations

import json
from typing import Any

import orjson

MAX_JSON_DEPTH = 64  # the contract's deepest answer is 8 levels; a caller's metadata gets the rest
ID_MAX = 2**63 - 1  # row ids are BIGINT in PostgreSQL, INTEGER (64-bit) in SQLite
QUOTA_MAX = 2**31 - 1  # quotas are INTEGER columns
LISTING_MAX = 100_000  # the most rows one admin listing answers


class TooDeep(ValueError):
    def __init__(self, limit: int = MAX_JSON_DEPTH) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")


def depth_over(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` deep (without recursing)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def loads(data: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` (orjson first, the standard parser for what orjson refuses: NaN, integers
    beyond 64 bits), raising :class:`TooDeep`, a ValueError, past ``limit``."""
    try:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            value = json.loads(data)
    except RecursionError:
        raise TooDeep(limit) from None
    if depth_over(value, limit):
        raise TooDeep(limit)
    return value


SCRUB_TEXT_MAX = 100_000  # a longer text in a recorded exchange is dropped whole, not scrubbed
