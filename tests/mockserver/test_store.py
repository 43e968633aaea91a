"""The store without HTTP: usage counted in memory is never lost to a reader, and a reset
that has nothing to undo still returns to the start."""

from __future__ import annotations

import pytest

from mockserver.state.store import Store, open_store

KEYS = [("demo", "p@55w0rd", None)]


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path) -> Store:
    made = open_store(None if request.param == "memory" else str(tmp_path / "s.sqlite"))
    made.reset(KEYS)
    return made


def test_usage_of_unlimited_keys_is_exact_when_read(store: Store) -> None:
    for code, billable in [("0", True), ("0", True), ("3", False)]:
        store.usage.record("demo", "ekyc/card", code, billable)
    assert store.usage.all() == [
        {"api_key": "demo", "endpoint": "ekyc/card", "code": "0", "billable": True, "count": 2},
        {"api_key": "demo", "endpoint": "ekyc/card", "code": "3", "billable": False, "count": 1},
    ]
    assert store.keys.all() == [{"api_key": "demo", "quota": None, "used": 2}]


def test_a_key_given_a_quota_keeps_what_it_already_spent(store: Store) -> None:
    store.usage.record("demo", "ekyc/card", "0", True)
    store.keys.put("demo", "p@55w0rd", quota=2)
    assert store.keys.try_spend("demo") is True
    assert store.keys.try_spend("demo") is False  # one spent before the quota, one now


def test_a_changed_secret_is_checked_at_once(store: Store) -> None:
    assert store.keys.check("demo", "p@55w0rd") == (True, False)
    store.keys.put("demo", "moi", quota=5)
    assert store.keys.check("demo", "p@55w0rd") == (False, True)
    assert store.keys.check("demo", "moi") == (True, True)
    assert store.keys.check("nobody", "moi") == (False, False)


def test_reset_undoes_writes_and_counted_usage(store: Store) -> None:
    store.keys.put("tam", "s")
    store.usage.record("demo", "ekyc/card", "0", True)
    store.files.put(b"x", "image/png")
    store.reset(KEYS)
    assert store.usage.all() == [] and store.files.all() == []
    assert [k["api_key"] for k in store.keys.all()] == ["demo"]
    assert store.keys.check("tam", "s") == (False, False)
    store.reset(KEYS)  # nothing to undo
    assert store.keys.all() == [{"api_key": "demo", "quota": None, "used": 0}]
    store.reset([("other", "s", 3)])  # other keys: rebuilt
    assert store.keys.all() == [{"api_key": "other", "quota": 3, "used": 0}]


def test_close_writes_what_was_counted(tmp_path) -> None:
    path = str(tmp_path / "s.sqlite")
    first = open_store(path)
    first.reset(KEYS)
    first.usage.record("demo", "ekyc/card", "0", True)
    first.close()
    assert open_store(path).usage.all()[0]["count"] == 1


def test_a_search_sees_every_add_update_and_delete(store: Store) -> None:
    first = store.galleries.add("demo", "khach-a", "f1", {"n": 1})
    assert [f.id for f in store.galleries.find("demo", "khach-a", 100)] == [first.id]
    assert [f.id for f in store.galleries.page("demo", 0, 50)] == [first.id]
    second = store.galleries.add("demo", "khach-a", "f2", {})
    assert [f.id for f in store.galleries.find("demo", "khach-a", 100)] == [first.id, second.id]
    assert [f.id for f in store.galleries.page("demo", 0, 50)] == [first.id, second.id]
    store.galleries.update("demo", first.id, {"n": 2})
    assert store.galleries.find("demo", "khach-a", 100)[0].metadata == {"n": 2}
    assert store.galleries.delete("demo", [second.id])
    assert [f.id for f in store.galleries.find("demo", "khach-a", 100)] == [first.id]
    assert [f.id for f in store.galleries.page("demo", 0, 50)] == [first.id]
    assert store.galleries.find("other-key", "khach-a", 100) == [] and store.galleries.page("other-key", 0, 50) == []
    store.reset(KEYS)
    assert store.galleries.find("demo", "khach-a", 100) == []
