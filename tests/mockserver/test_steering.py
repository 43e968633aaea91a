"""What steers a request is read in one step, and what it cost is written in one, on every
backend alike: the key's admission, the settings in effect for its tenant and whether an
outcome waits; then its usage and journal entry, both or neither."""

from __future__ import annotations

from mockserver.state.store import Admission, Charge, Steering, Store
from mockserver.state.store.sql import PRUNE_EVERY
from mockserver.state.store.tables import REFUSED
from tests.mockserver.conftest import JOURNAL_SIZE


def test_a_key_is_steered_by_the_whole_fakes_settings_under_its_tenants_own(store: Store) -> None:
    store.settings.put("", "dialect", "everyone")
    store.settings.put("", "replay", "all")
    store.settings.put("demo", "dialect", "mine")
    store.settings.put("other", "replay", "theirs")
    assert store.steer("demo", "p@55w0rd", "ocr") == Steering(
        Admission(True, False, "demo"), {"dialect": "mine", "replay": "all"}, False
    )


def test_a_key_a_tenant_made_is_steered_by_that_tenants_settings(store: Store) -> None:
    assert store.keys.create("chi-nhanh@demo", "k", 3, "demo") is True
    store.settings.put("demo", "dialect", "mine")
    assert store.steer("chi-nhanh@demo", "k", "ocr") == Steering(
        Admission(True, True, "demo"), {"dialect": "mine"}, False
    )


def test_a_refused_key_is_told_only_the_whole_fakes_settings_and_no_outcome(store: Store) -> None:
    store.settings.put("", "dialect", "everyone")
    store.settings.put("demo", "dialect", "mine")
    store.outcomes.push("ocr", {"code": 1}, tenant="demo")
    store.outcomes.push("ocr", {"code": 2})
    assert store.steer("demo", "wrong", "ocr") == Steering(REFUSED, {"dialect": "everyone"}, False)
    assert store.steer("nobody", "p@55w0rd", "ocr") == Steering(REFUSED, {"dialect": "everyone"}, False)


def test_an_outcome_is_seen_waiting_for_its_flow_only_and_taking_it_empties_the_queue(store: Store) -> None:
    store.outcomes.push("face_search", {"code": 6}, tenant="demo")
    assert store.steer("demo", "p@55w0rd", "face_search").outcome_queued is True
    assert store.steer("demo", "p@55w0rd", "ocr").outcome_queued is False
    assert store.outcomes.take("face_search", "demo") == {"code": 6}
    assert store.steer("demo", "p@55w0rd", "face_search").outcome_queued is False
    store.outcomes.push("ocr", {"code": 2})  # queued for anyone
    assert store.steer("demo", "p@55w0rd", "ocr").outcome_queued is True


def test_an_answer_is_accounted_with_its_journal_entry(store: Store) -> None:
    store.account(Charge("demo", "demo", "ekyc/card", "0", True), "demo", {"path": "/a"}, {"q": 1}, b'{"x":1}')
    store.account(None, None, {"path": "/nobody"}, {}, b"")
    assert store.usage.all() == [
        {"api_key": "demo", "endpoint": "ekyc/card", "code": "0", "billable": True, "count": 1}
    ]
    assert store.keys.all() == [{"api_key": "demo", "quota": None, "used": 1}]
    rows = store.journal.rows()
    assert [(r.tenant, r.entry, r.request, r.answer) for r in rows] == [
        ("demo", {"path": "/a"}, {"q": 1}, b'{"x":1}'),
        (None, {"path": "/nobody"}, {}, b""),
    ]


def test_a_reservation_an_answer_did_not_bill_is_given_back(store: Store) -> None:
    store.keys.put("demo", "p@55w0rd", quota=1)
    assert store.keys.try_spend("demo") is True
    store.account(Charge("demo", "demo", "ekyc/card", "3", False, reserved=True), "demo", {}, {}, b"")
    assert store.keys.all() == [{"api_key": "demo", "quota": 1, "used": 0}]
    assert store.keys.try_spend("demo") is True
    store.account(Charge("demo", "demo", "ekyc/card", "0", True, reserved=True), "demo", {}, {}, b"")
    assert store.keys.all() == [{"api_key": "demo", "quota": 1, "used": 1}]
    assert store.keys.try_spend("demo") is False


def test_accounting_many_answers_keeps_each_tenants_newest_entries_within_bounds(store: Store) -> None:
    for n in range(3 * PRUNE_EVERY):
        store.account(Charge("demo", "demo", "ekyc/card", "0", True), "demo", {"n": n}, {}, b"")
    assert [r.entry["n"] for r in store.journal.rows(tenant="demo")] == list(range(3 * PRUNE_EVERY))[-JOURNAL_SIZE:]
    assert store.counts()["journal_entries"] <= JOURNAL_SIZE + PRUNE_EVERY  # pruned as it went, not kept whole
    assert store.usage.all()[0]["count"] == 3 * PRUNE_EVERY
