"""Face Search: a gallery per key, with the full lifecycle and no leak between keys."""

from __future__ import annotations

from typing import Any

import pytest

from cvs_testkit import images
from cvs_testkit.contract import assert_conforms
from cvs_testkit.images import to_base64
from tests.conftest import Api, basic

IMAGES = "/api/v2/face_search/images"


def add(api: Api, identity: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    body = api.post(
        IMAGES, json={"image": {"base64": to_base64(images.portrait(identity)), "metadata": metadata or {}}}
    ).get_json()
    assert body["status_code"] == 0, body
    assert_conforms(body, IMAGES, "POST")
    return dict(body["result"])


def search(api: Api, identity: str) -> list[int]:
    body = api.post("/api/v2/face_search/search", json={"image": {"base64": to_base64(images.portrait(identity))}})
    assert_conforms(body.get_json(), "/api/v2/face_search/search", "POST")
    return [item["id"] for item in body.get_json()["result"]]


def test_lifecycle(api: Api) -> None:
    hoa = add(api, "hoa", {"hoTen": "Lê Thị Hoa", "soCCCD": "001190000001"})
    minh = add(api, "minh", {"hoTen": "Phạm Văn Minh"})
    hoa2 = add(api, "hoa")
    assert isinstance(hoa["id"], int) and hoa["metadata"]["hoTen"] == "Lê Thị Hoa"
    assert search(api, "hoa") == [hoa["id"], hoa2["id"]]
    assert search(api, "khong-co") == []
    listed = api.get(f"{IMAGES}?offset=1&limit=1").get_json()
    assert_conforms(listed, IMAGES, "GET")
    assert [i["id"] for i in listed["result"]] == [minh["id"]]
    updated = api.put(f"{IMAGES}/{minh['id']}", json={"image_id": 999, "metadata": {"hoTen": "P. V. Minh"}})
    assert_conforms(updated.get_json(), f"{IMAGES}/{minh['id']}", "PUT")
    assert updated.get_json()["result"]["metadata"] == {"hoTen": "P. V. Minh"}
    assert api.delete(IMAGES, json={"ids": [hoa["id"], hoa2["id"]]}).get_json() == {
        "result": None,
        "status_code": 0,
        "message": "Success",
    }
    assert search(api, "hoa") == []


def test_image_urls_are_served_by_the_fake(api: Api) -> None:
    url = add(api, "hoa")["url"]
    assert api.client.get(url.replace("http://localhost", "")).mimetype == "image/png"


def test_delete_is_all_or_nothing(api: Api) -> None:
    kept = add(api, "an")["id"]
    body = api.delete(IMAGES, json={"ids": [kept, kept + 1000]}).get_json()
    assert body == {"result": None, "status_code": 7, "message": "Incorrect Id"}
    assert [i["id"] for i in api.get(IMAGES).get_json()["result"]] == [kept]


@pytest.mark.parametrize("key", ["user", "encoding", "_id"])
def test_reserved_metadata_keys_are_refused_on_add_and_update(api: Api, key: str) -> None:
    refused = {"result": None, "status_code": 6, "message": "Error when processing the request"}
    body = api.post(IMAGES, json={"image": {"base64": to_base64(images.portrait("an")), "metadata": {key: "x"}}})
    assert body.get_json() == refused
    image_id = add(api, "an")["id"]
    assert api.put(f"{IMAGES}/{image_id}", json={"metadata": {key: "x"}}).get_json() == refused


@pytest.mark.parametrize("query", ["limit=-1", "offset=abc", "limit=1.5", "offset=-3"])
def test_bad_paging_is_status_6(api: Api, query: str) -> None:
    assert api.get(f"{IMAGES}?{query}").get_json()["status_code"] == 6


@pytest.mark.parametrize("image_id", ["abc", "-1", "0", "99999999999999999999999"])
def test_bad_or_unknown_ids_are_incorrect_id(api: Api, image_id: str) -> None:
    assert api.put(f"{IMAGES}/{image_id}", json={"metadata": {}}).get_json()["status_code"] == 7


def test_doc_demo_delete_posted_to_add_path_is_an_add_without_image(api: Api) -> None:
    body = api.post(IMAGES, data='{"ids": [123456, 987654]}').get_json()
    assert body == {"result": None, "status_code": 1, "message": "Incorrect image format"}


def test_body_without_content_type_is_parsed_as_json(api: Api) -> None:
    import json

    raw = json.dumps({"image": {"base64": to_base64(images.portrait("an"))}})
    assert api.post("/api/v2/face_search/search", data=raw).get_json()["status_code"] == 0


def test_two_keys_never_see_each_others_faces(api: Api) -> None:
    api.client.application.extensions["cvs"].store.keys.put("ngan-hang-b", "bi-mat-b")
    other = api.with_auth(basic("ngan-hang-b", "bi-mat-b"))
    mine = add(api, "hoa", {"chu": "A"})
    theirs = add(other, "hoa", {"chu": "B"})
    assert [i["id"] for i in api.get(IMAGES).get_json()["result"]] == [mine["id"]]
    assert [i["id"] for i in other.get(IMAGES).get_json()["result"]] == [theirs["id"]]
    assert search(api, "hoa") == [mine["id"]] and search(other, "hoa") == [theirs["id"]]
    assert other.put(f"{IMAGES}/{mine['id']}", json={"metadata": {"x": 1}}).get_json()["status_code"] == 7
    assert other.delete(IMAGES, json={"ids": [mine["id"]]}).get_json()["status_code"] == 7
    assert api.get(IMAGES).get_json()["result"][0]["metadata"] == {"chu": "A"}
