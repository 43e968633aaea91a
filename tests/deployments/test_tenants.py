"""Open tenants: any well-formed key:secret pair is a tenant of its own, made on first use,
and nothing one tenant does is seen or changed by another."""

from __future__ import annotations

import io
from typing import Any

from cvs_testkit import images
from mockserver import create_app
from tests.conftest import Api, basic

CARDS = "/api/v2/ekyc/cards"
SEARCH_ADD = "/api/v2/face_search/images"


def _card(api: Api) -> Any:
    front = images.id_card("chip_id_card_front")
    back = images.id_card("chip_id_card_back")
    data = {"img1": (io.BytesIO(front), "front.jpg"), "img2": (io.BytesIO(back), "back.jpg")}
    return api.post(CARDS + "?format_type=file", data=data, content_type="multipart/form-data")


def _add_face(api: Api, who: str) -> Any:
    from cvs_testkit.images import to_base64

    return api.post(SEARCH_ADD, json={"image": {"base64": to_base64(images.portrait(who))}, "metadata": {"who": who}})


def test_a_new_pair_is_a_tenant_and_its_secret_is_fixed_then(tenant_api) -> None:
    first = _card(tenant_api("ngan-hang-a"))
    assert (first.status_code, first.json["errorCode"]) == (200, "0")
    wrong = _card(tenant_api("ngan-hang-a", "other-secret"))
    assert wrong.status_code == 200
    assert (wrong.json["errorCode"], wrong.json["errorMessage"]) == ("5", "Incorrect Api_key or api_secret")
    assert wrong.headers["X-CVS-Mock-Trigger"] == "auth:wrong"


def test_configured_tenants_refuse_an_unknown_pair() -> None:
    api = Api(create_app({"TESTING": True}).test_client(), basic("ngan-hang-a", "s"))
    assert _card(api).json["errorCode"] == "5"


def test_open_tenants_get_the_tenant_quota() -> None:
    app = create_app({"TESTING": True, "TENANTS": "open", "TENANT_QUOTA": 1})
    api = Api(app.test_client(), basic("ngan-hang-q", "s"))
    assert _card(api).json["errorCode"] == "0"
    spent = _card(api)
    assert (spent.json["errorCode"], spent.headers["X-CVS-Mock-Trigger"]) == ("4", "quota:spent")
    assert Api(app.test_client(), basic("other", "s")).get("/__mock__/usage").json["keys"] == [
        {"api_key": "other", "quota": 1, "used": 0}
    ]


def test_galleries_files_usage_and_journal_are_each_tenants_own(tenant_api) -> None:
    a, b = tenant_api("a"), tenant_api("b")
    added = _add_face(a, "khach-1")
    assert added.json["status_code"] == 0
    assert b.get(SEARCH_ADD).json["result"] == []  # b's gallery is empty
    assert len(a.get(SEARCH_ADD).json["result"]) == 1
    _card(b)
    journal_a = a.get("/__mock__/journal").json["entries"]
    journal_b = b.get("/__mock__/journal").json["entries"]
    assert {e["api_key"] for e in journal_a} == {"a"} and {e["api_key"] for e in journal_b} == {"b"}
    assert b.get(f"/__mock__/journal/{journal_a[-1]['id']}").status_code == 404  # a's entry is not b's
    assert list(a.get("/__mock__/usage").json["totals"]) == ["a"]
    assert list(b.get("/__mock__/usage").json["totals"]) == ["b"]
    assert [f["kind"] for f in a.get("/__mock__/files").json["files"]] == ["face"]
    assert b.get("/__mock__/files").json["files"] == []
    whole = Api(a.client, None).get("/__mock__/journal").json["entries"]  # loopback, no credentials
    assert {e["api_key"] for e in whole} == {"a", "b"}


def test_a_forced_outcome_is_taken_by_its_own_tenant_only(tenant_api) -> None:
    a, b = tenant_api("a"), tenant_api("b")
    queued = a.post("/__mock__/outcomes", json={"flow": "ocr", "code": "3"})
    assert (queued.status_code, queued.json) == (201, {"pending": {"ocr": 1}})
    assert b.get("/__mock__/outcomes").json == {"pending": {}}
    assert _card(b).json["errorCode"] == "0"  # b is not given a's outcome
    forced = _card(a)
    assert (forced.json["errorCode"], forced.headers["X-CVS-Mock-Trigger"]) == ("3", "forced:code")
    assert _card(a).json["errorCode"] == "0"  # taken once


def test_a_tenant_reset_leaves_other_tenants_be(tenant_api) -> None:
    a, b = tenant_api("a"), tenant_api("b")
    _add_face(a, "khach-1")
    _add_face(b, "khach-2")
    b.post("/__mock__/outcomes", json={"flow": "ocr", "code": "3"})
    assert a.post("/__mock__/reset").json == {"status": "reset", "tenant": "a"}
    assert a.get("/__mock__/journal").json["entries"] == []
    assert a.get(SEARCH_ADD).json["result"] == []
    assert len(b.get(SEARCH_ADD).json["result"]) == 1
    assert b.get("/__mock__/outcomes").json == {"pending": {"ocr": 1}}
    assert len(b.get("/__mock__/journal").json["entries"]) == 2


def test_a_tenants_dialect_is_its_own(tenant_api) -> None:
    a, b = tenant_api("a"), tenant_api("b")
    switched = a.put("/__mock__/dialect", json={"options": {"ocr.error_code": "integer"}})
    assert switched.status_code == 200 and switched.json["options"]["ocr.error_code"] == "integer"
    assert _card(a).json["errorCode"] == 0
    assert _card(b).json["errorCode"] == "0"
    assert b.get("/__mock__/dialect").json["name"] == "default"
    a.post("/__mock__/reset")
    assert _card(a).json["errorCode"] == "0"


def test_a_tenants_keys_are_named_after_it_and_belong_to_it(tenant_api) -> None:
    a, b = tenant_api("a"), tenant_api("b")
    made = a.post("/__mock__/keys", json={"api_key": "ngan-hang", "api_secret": "bi-mat", "quota": 1})
    assert (made.status_code, made.json) == (201, {"api_key": "ngan-hang@a", "quota": 1, "tenant": "a"})
    assert b.post("/__mock__/keys", json={"api_key": "ngan-hang", "api_secret": "x"}).json["api_key"] == "ngan-hang@b"
    again = a.post("/__mock__/keys", json={"api_key": "ngan-hang", "api_secret": "other"})
    assert (again.status_code, again.json) == (
        409,
        {"error": "a key 'ngan-hang@a' exists already; reset the tenant to make it again"},
    )
    child = Api(a.client, basic("ngan-hang@a", "bi-mat"))
    assert _card(child).json["errorCode"] == "0"
    assert set(a.get("/__mock__/usage").json["totals"]) == {"ngan-hang@a"}  # the tenant sees its key's use
    assert [k["api_key"] for k in a.get("/__mock__/keys").json["keys"]] == ["a", "ngan-hang@a"]
    assert "ngan-hang@a" not in {k["api_key"] for k in b.get("/__mock__/keys").json["keys"]}
    a.post("/__mock__/reset")  # the tenant's keys are gone with its reset
    assert [k["api_key"] for k in a.get("/__mock__/keys").json["keys"]] == ["a"]
    assert a.get("/__mock__/usage").json["totals"] == {}


def test_a_tenant_cannot_take_over_another_key(tenant_api) -> None:
    a = tenant_api("a")
    _card(tenant_api("b"))
    answer = a.post("/__mock__/keys", json={"api_key": "b", "api_secret": "mine"})
    assert answer.json["api_key"] == "b@a"  # never the key b itself
    assert _card(tenant_api("b")).json["errorCode"] == "0"


def test_wrong_credentials_on_an_admin_call_are_refused(tenant_api) -> None:
    _card(tenant_api("a"))
    answer = tenant_api("a", "not-its-secret").get("/__mock__/journal")
    assert (answer.status_code, answer.json) == (401, {"error": "these credentials are not a key of this fake"})
    assert "WWW-Authenticate" not in answer.headers  # no browser prompt


def test_health_names_the_tenancy_and_the_store(open_app) -> None:
    health = open_app.test_client().get("/__mock__/health", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert health.json["tenants"] == "open" and health.json["store"] in ("memory", "sqlite")


def test_a_new_tenants_first_requests_at_once_are_all_admitted(open_app) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def first(_: int) -> int:
        api = Api(open_app.test_client(), basic("tenant-at-once", "s"))
        return int(api.get(SEARCH_ADD).json["status_code"])

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(first, range(16))) == [0] * 16


def test_an_open_tenants_name_cannot_squat_another_tenants_key(tenant_api: Any) -> None:
    squatter = tenant_api("k@t-victim")
    refused = squatter.get("/api/v2/face_search/images")
    assert refused.json == {"result": None, "status_code": 4, "message": "Incorrect Api_key or api_secret"}
    assert refused.headers["X-CVS-Mock-Trigger"] == "auth:wrong"
    victim = tenant_api("t-victim")
    made = victim.post("/__mock__/keys", json={"api_key": "k", "api_secret": "s2"})
    assert (made.status_code, made.json) == (201, {"api_key": "k@t-victim", "quota": None, "tenant": "t-victim"})
    own = tenant_api("k@t-victim", "s2").get("/api/v2/face_search/images")
    assert own.json["status_code"] == 0  # the tenant's own key, as the tenant made it
