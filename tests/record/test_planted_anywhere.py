"""Personal values planted by Hypothesis in any position of a generated answer and its request
(a string, a number, an object key, a header parameter, the path, a query name or value, a URL
host), in any spelling: none survives the recorder, the scrubbed answer still validates where
the planted one did, the leak check passes the cassette, and replay still finds it."""

from __future__ import annotations

import html
import json
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cvs_testkit import strategies as cvs
from cvs_testkit.contract import contract, problems_for_schema
from mockserver.generation.people import unaccent
from mockserver.recording import suspects
from mockserver.recording.check import check_document, parts
from mockserver.recording.recorder import Recorder
from mockserver.recording.replayer import Replayer, load
from mockserver.recording.request import describe
from mockserver.recording.scrub import Scrubber
from mockserver.state.positions import LocalPositions

HERE = Path(__file__).parent
PLANTS = [e["value"] for e in yaml.safe_load((HERE / "leak_corpus.yaml").read_text(encoding="utf-8"))["personal"]]
PLANTS = [p for p in PLANTS if len(suspects.fold(p)) >= 8][::3]  # long enough that no drawn text spells it by chance
SPELLINGS = {
    "as written": lambda v: v,
    "NFD": lambda v: unicodedata.normalize("NFD", v),
    "upper case": str.upper,
    "no diacritics": unaccent,
    "entities": lambda v: "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in v),
    "escapes": lambda v: json.dumps(v)[1:-1],
    "percent": quote,
    "percent twice": lambda v: quote(quote(v)),
    "no-break spaces": lambda v: v.replace(" ", "\u00a0"),
    "zero-width": lambda v: "\u200b".join(v),
    "underscores": lambda v: v.replace(" ", "_"),
    "html": html.escape,
}
POSITIONS = ("string", "number", "key", "metadata", "header", "path", "query name", "query value", "url host")
OPERATIONS = {op.operation_id: op for op in contract().operations}


def leaves(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in leaves(v, (*at, k))]
    if isinstance(node, list):
        return [p for n, v in enumerate(node) for p in leaves(v, (*at, n))]
    return [at] if at else []


def put(node: Any, at: tuple[Any, ...], value: Any) -> None:
    for step in at[:-1]:
        node = node[step]
    node[at[-1]] = value


def digits(value: str) -> int | None:
    found = "".join(c for c in value if c.isdigit())
    return int("9" + found) if len(found) >= 7 else None  # a leading 9: no digit is lost to int()


@settings(max_examples=60)
@given(
    st.sampled_from(sorted(OPERATIONS)).flatmap(
        lambda name: st.tuples(st.just(name), cvs.from_contract(name, reading="tolerant"))
    ),
    st.sampled_from(PLANTS),
    st.sampled_from(sorted(SPELLINGS)),
    st.sampled_from(POSITIONS),
    st.integers(min_value=0, max_value=10_000),
)
def test_a_planted_value_survives_nowhere(
    tmp_path_factory: pytest.TempPathFactory, drawn: Any, plant: str, spelling: str, position: str, pick: int
) -> None:
    name, body = drawn
    op = OPERATIONS[name]
    spelled = SPELLINGS[spelling](plant)
    path, query, headers = op.path, {"format_type": "url", "img": "https://cdn.example.vn/a.jpg"}, {}
    body = json.loads(json.dumps(body))
    places = leaves(body)
    if position == "string" and places:
        put(body, places[pick % len(places)], spelled)
    elif position == "number" and places and digits(plant) is not None:
        put(body, places[pick % len(places)], digits(plant))
    elif position == "key" and isinstance(body, dict):
        body[spelled] = "x"
    elif position == "metadata" and isinstance(body, dict):
        body["metadata"] = {spelled: spelled, "note": json.dumps({"hoTen": spelled}, ensure_ascii=False)}
    elif position == "header":
        headers["Content-Type"] = f'application/json; name="{quote(spelled)}.json"'
    elif position == "path":
        path = f"{op.path}/{quote(spelled, safe='')}"
    elif position == "query name":
        query[spelled] = "1"
    elif position == "query value":
        query["img"] = f"https://cdn.example.vn/{quote(spelled, safe='')}.jpg?owner={quote(spelled)}"
    elif position == "url host":
        host = "-".join(unaccent(plant).lower().split())[:40].strip("-") or "x"
        query["img"] = f"https://{quote(host)}.s3.amazonaws.com/a.jpg"
    else:
        body = {"errorMessage": spelled, **(body if isinstance(body, dict) else {"data": body})}

    url = path + "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe=':/')}" for k, v in query.items())
    sent = describe(op.method, url, "application/json", b'{"img": "x"}' if op.method != "GET" else None)
    recorder = Recorder(tmp_path_factory.mktemp("planted"), "planted", Scrubber())
    raw = json.dumps(body, ensure_ascii=False).encode()
    answer_headers = {"Content-Type": "application/json", **headers}
    recorder.record(sent, "https://cloud.computervision.com.vn", 200, answer_headers, raw)
    document = yaml.safe_load(recorder.path.read_text(encoding="utf-8"))

    wanted = suspects.fold(plant)
    for _, pointer, text in parts(document["interactions"][0]):
        assert wanted not in suspects.fold(text), (position, spelling, pointer)
    leaks = check_document(document, str(recorder.path))
    assert leaks == [], [(leak, [t for _, p, t in parts(document["interactions"][0]) if p == leak.pointer])
                         for leak in leaks]  # fmt: skip

    scrubbed = json.loads(document["interactions"][0]["response"]["body"]["string"])
    if op.schema and not problems_for_schema(body, op.schema, "tolerant"):
        assert problems_for_schema(scrubbed, op.schema, "tolerant") == []
    if position != "path":  # an undocumented path is kept as placeholders: nothing can ask for it again
        assert Replayer(load([recorder.path])).match(sent, LocalPositions()) is not None
