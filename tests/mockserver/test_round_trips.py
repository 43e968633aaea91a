"""A request costs the store what the design says, counted where it happens: on PostgreSQL
the times the server answered (libpq's protocol trace), on SQLite the writer's lock taken."""

from __future__ import annotations

from tests.helpers.round_trips import ROUND_TRIP, per_request

LIGHT = "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url"
LIST = "/api/v2/face_search/images"


def test_on_postgresql_a_request_of_a_known_key_is_the_one_write_that_settles_it(pg_url: str) -> None:
    found = per_request(pg_url, {"light": LIGHT, "list": LIST})
    assert found["light"][ROUND_TRIP] == 1  # the steering this replica remembers is checked in the write
    assert found["light"]["statement: WITH steady AS"] == 1
    assert found["list"][ROUND_TRIP] == 2  # the gallery's page is the view's own read


def test_on_postgresql_a_key_first_seen_is_read_once_then_written(pg_url: str) -> None:
    found = per_request(pg_url, {"light": LIGHT}, times=1, warm=False)
    assert found["light"][ROUND_TRIP] == 2
    assert found["light"]["statement: SELECT 'key', secret_sha256,"] == 1
    assert found["light"]["statement: WITH counted AS"] == 1


def test_on_sqlite_a_request_takes_the_writers_lock_once(tmp_path) -> None:
    found = per_request(str(tmp_path / "s.sqlite"), {"light": LIGHT, "list": LIST})
    assert found["light"][ROUND_TRIP] == 1 and found["list"][ROUND_TRIP] == 1
