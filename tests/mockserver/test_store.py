"""The store without HTTP: usage counted in memory is never lost to a reader, and a reset
that has nothing to undo still returns to the start."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from mockserver.state.store import Admission, Store, open_store
from mockserver.state.store.sql import FILE_CHUNK
from mockserver.state.store.tables import REFUSED
from tests.mockserver.conftest import KEYS


def test_usage_of_unlimited_keys_is_exact_when_read(store: Store) -> None:
    for code, billable in [("0", True), ("0", True), ("3", False)]:
        store.usage.record("demo", "demo", "ekyc/card", code, billable)
    assert store.usage.all() == [
        {"api_key": "demo", "endpoint": "ekyc/card", "code": "0", "billable": True, "count": 2},
        {"api_key": "demo", "endpoint": "ekyc/card", "code": "3", "billable": False, "count": 1},
    ]
    assert store.keys.all() == [{"api_key": "demo", "quota": None, "used": 2}]


def test_a_key_given_a_quota_keeps_what_it_already_spent(store: Store) -> None:
    store.usage.record("demo", "demo", "ekyc/card", "0", True)
    store.keys.put("demo", "p@55w0rd", quota=2)
    assert store.keys.try_spend("demo") is True
    assert store.keys.try_spend("demo") is False  # one spent before the quota, one now


def test_a_changed_secret_is_checked_at_once(store: Store) -> None:
    assert store.keys.check("demo", "p@55w0rd") == Admission(True, False, "demo")
    store.keys.put("demo", "moi", quota=5)
    assert store.keys.check("demo", "p@55w0rd") == REFUSED
    assert store.keys.check("demo", "moi") == Admission(True, True, "demo")
    assert store.keys.check("nobody", "moi") == REFUSED


def test_reset_undoes_writes_and_counted_usage(store: Store) -> None:
    store.keys.put("tam", "s")
    store.usage.record("demo", "demo", "ekyc/card", "0", True)
    store.files.put(b"x", "image/png")
    store.reset(KEYS)
    assert store.usage.all() == [] and store.files.all() == []
    assert [k["api_key"] for k in store.keys.all()] == ["demo"]
    assert store.keys.check("tam", "s") == REFUSED
    store.reset(KEYS)  # nothing to undo
    assert store.keys.all() == [{"api_key": "demo", "quota": None, "used": 0}]
    store.reset([("other", "s", 3)])  # other keys: rebuilt
    assert store.keys.all() == [{"api_key": "other", "quota": 3, "used": 0}]


def test_close_writes_what_was_counted(tmp_path) -> None:
    path = str(tmp_path / "s.sqlite")
    first = open_store(path)
    first.reset(KEYS)
    first.usage.record("demo", "demo", "ekyc/card", "0", True)
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


def test_a_tenant_reset_forgets_its_own_state_only(store: Store) -> None:
    store.keys.put("other", "s")
    assert store.keys.create("made@demo", "s2", 3, "demo")
    assert store.keys.check("made@demo", "s2") == Admission(True, True, "demo")
    for key, tenant in [("demo", "demo"), ("made@demo", "demo"), ("other", "other")]:
        store.usage.record(key, tenant, "ekyc/cards", "0", True)
        store.galleries.add(key, "khach", "f", {})
        store.files.put(b"x", "image/png", owner=tenant)
        store.journal.record(tenant, {"path": "/x"}, {}, b"{}")
        store.outcomes.push("ocr", {"code": "3"}, 1, tenant)
        store.settings.put(tenant, "dialect", tenant)
        store.replay.claim(tenant, "g", [0, 1], "cycle")
    store.reset_tenant("demo")
    assert store.keys.all() == [
        {"api_key": "demo", "quota": None, "used": 0},
        {"api_key": "other", "quota": None, "used": 1},
    ]
    assert [r["api_key"] for r in store.usage.all()] == ["other"]
    assert store.galleries.page("demo", 0, 10) == [] and store.galleries.page("made@demo", 0, 10) == []
    assert len(store.galleries.page("other", 0, 10)) == 1
    assert store.files.all("demo") == [] and len(store.files.all("other")) == 1
    assert store.journal.rows(tenant="demo") == [] and len(store.journal.rows(tenant="other")) == 1
    assert store.outcomes.pending("demo") == {} and store.outcomes.pending("other") == {"ocr": 1}
    assert store.settings.effective("demo") == {} and store.settings.effective("other") == {"dialect": "other"}
    assert store.replay.claim("demo", "g", [0, 1], "cycle") == 0  # positions start over
    assert store.replay.claim("other", "g", [0, 1], "cycle") == 1


def test_a_key_that_exists_is_not_created_again(store: Store) -> None:
    assert store.keys.create("demo", "stolen", None, "someone") is False
    assert store.keys.check("demo", "stolen") == REFUSED
    assert store.keys.check("demo", "p@55w0rd") == Admission(True, False, "demo")


def test_a_tenant_takes_its_own_outcomes_first_then_anyones(store: Store) -> None:
    store.outcomes.push("ocr", {"code": "anyone"}, 1)
    store.outcomes.push("ocr", {"code": "mine"}, 2, "demo")
    assert store.outcomes.pending() == {"ocr": 1} and store.outcomes.pending("demo") == {"ocr": 2}
    assert store.outcomes.take("ocr", "other") == {"code": "anyone"}
    assert store.outcomes.take("ocr", "other") is None
    assert [store.outcomes.take("ocr", "demo") for _ in range(3)] == [{"code": "mine"}, {"code": "mine"}, None]
    assert store.outcomes.take("face_search", "demo") is None


def test_the_journal_keeps_each_tenants_newest_entries(tmp_path) -> None:
    store = open_store(str(tmp_path / "j.sqlite"), journal_size=3)
    for n in range(5):
        store.journal.record("a", {"n": n}, {"json": {"n": n}}, b'{"ok": 1}')
    store.journal.record(None, {"n": "anonymous"}, {}, b"")
    assert [r.entry["n"] for r in store.journal.rows(tenant="a")] == [2, 3, 4]
    assert [r.entry["n"] for r in store.journal.rows(limit=2)] == [4, "anonymous"]
    newest = store.journal.rows(tenant="a")[-1]
    assert store.journal.row(newest.id, "a") == newest and store.journal.row(newest.id, "b") is None
    assert newest.request == {"json": {"n": 4}} and newest.answer == b'{"ok": 1}'


def test_settings_of_a_tenant_override_the_whole_fakes(store: Store) -> None:
    store.settings.put("", "dialect", "everyone")
    store.settings.put("demo", "dialect", "mine")
    assert store.settings.effective("demo") == {"dialect": "mine"}
    assert store.settings.effective("other") == {"dialect": "everyone"}
    assert store.settings.effective(None) == {"dialect": "everyone"}
    store.settings.put("demo", "dialect", None)
    assert store.settings.effective("demo") == {"dialect": "everyone"}


@pytest.mark.parametrize(
    ("after_last", "claims"), [("cycle", [0, 2, 0, 2]), ("repeat", [0, 2, 2, 2]), ("exhausted", [0, 2, None, None])]
)
def test_replay_positions_follow_the_after_last_rule(store: Store, after_last: str, claims: list) -> None:
    assert [store.replay.claim("demo", "g", [0, 2], after_last) for _ in range(4)] == claims
    assert store.replay.claim("demo", "other-cassettes", [0, 2], after_last) == 0


def test_an_older_sqlite_file_is_upgraded_and_keeps_its_rows(tmp_path) -> None:
    import sqlite3

    from mockserver.state.store.sqlite import MIGRATIONS

    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as old:
        for statement in MIGRATIONS[0]:
            old.execute(statement)
        old.execute("INSERT INTO usage VALUES ('demo', 'ekyc/cards', '0', 1, 4)")
    store = open_store(str(path))
    assert store.usage.all("demo") == [
        {"api_key": "demo", "endpoint": "ekyc/cards", "code": "0", "billable": True, "count": 4}
    ]
    store.journal.record("demo", {}, {}, b"")
    assert len(store.journal.rows()) == 1


def test_a_hosted_file_is_sent_in_chunks_of_exactly_its_bytes(store: Store) -> None:
    data = bytes(range(256)) * (3 * 1024 + 7)  # three chunks and a bit, on the SQL backends
    file_id = store.files.put(data, "image/jpeg")
    opened = store.files.open(file_id)
    assert opened is not None and (opened.size, opened.content_type) == (len(data), "image/jpeg")
    chunks = list(opened.chunks)
    assert b"".join(chunks) == data
    if store.kind != "memory":  # a database reads no more than a chunk at a time
        assert [len(chunk) for chunk in chunks] == [FILE_CHUNK, FILE_CHUNK, FILE_CHUNK, len(data) - 3 * FILE_CHUNK]
    assert store.files.open("no-such-file") is None


def test_a_newer_schema_is_refused_untouched(tmp_path) -> None:
    import sqlite3

    from mockserver.state.store import SchemaTooNew

    path = tmp_path / "new.sqlite"
    open_store(str(path)).close()
    with sqlite3.connect(path) as newer:
        newer.execute("UPDATE store_meta SET value = '99' WHERE name = 'schema_version'")
    with pytest.raises(SchemaTooNew, match="schema version 99; this cvs-testkit knows versions up to 3"):
        open_store(str(path))
    with sqlite3.connect(path) as after:
        assert after.execute("SELECT value FROM store_meta").fetchone() == ("99",)


def test_a_newer_postgres_schema_is_refused_untouched(pg_url: str) -> None:
    import psycopg

    from mockserver.state.store import SchemaTooNew

    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE store_meta SET value = '7' WHERE name = 'schema_version'")
    with pytest.raises(SchemaTooNew, match="schema version 7"):
        open_store(pg_url)


def test_a_postgres_commit_does_not_wait_for_its_flush_unless_the_url_says_so(pg_url: str) -> None:
    setting = "SELECT current_setting('synchronous_commit')"
    made = open_store(pg_url)
    try:
        assert made.database.read(setting) == [("off",)]  # type: ignore[attr-defined]
    finally:
        made.close()
    joined = "&" if "?" in pg_url else "?"
    made = open_store(pg_url + joined + "options=" + quote("-c synchronous_commit=on"))
    try:
        assert made.database.read(setting) == [("on",)]  # type: ignore[attr-defined]
    finally:
        made.close()
