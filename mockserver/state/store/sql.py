"""The tables of the SQL backends, written once for SQLite and PostgreSQL.

A backend module supplies a :class:`Database`: transactions, reads, a named lock and the
restart of face ids. The SQL here is the part both engines speak alike: ``?`` placeholders
(the PostgreSQL adapter turns them into its own), ``ON CONFLICT`` upserts, ``RETURNING``.
Rows of no tenant are stored with the tenant ``''``, so every filter is a plain equality.
One job, one module: each table of the store in SQL.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import orjson

from mockserver.state.positions import claim_next
from mockserver.state.store.tables import (
    CROPS_KEPT,
    REFUSED,
    Admission,
    Charge,
    ConfiguredKey,
    Face,
    HostedFile,
    JournalRow,
    SchemaTooNew,
    Steering,
    digest,
    secret_matches,
)

JOURNAL_INSERT = "INSERT INTO journal (time, tenant, entry, request, answer) VALUES (?, ?, ?, ?, ?)"
FILE_CHUNK = 256 * 1024  # bytes of a hosted file read from the database at a time as it is sent
PRUNE_EVERY = 16  # journal inserts between two prunes of the tenant's oldest entries
TAKE_ATTEMPTS = 50  # outcomes another replica took between our read and our delete


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Transaction(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...


class Database(Protocol):
    def tx(self) -> AbstractContextManager[Transaction]:
        """One write transaction, committed when the block ends."""

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...

    def serialise(self, tx: Transaction, name: str) -> None:
        """Hold a lock named ``name`` until ``tx`` ends (SQLite's writer lock already does)."""

    def restart_ids(self, tx: Transaction) -> None:
        """Face ids start again at 1."""

    def unit(self) -> AbstractContextManager[None]:
        """The steps of one request as one transaction (see ``Store.unit``)."""

    def close(self) -> None: ...


def _json(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # a key orjson will not take: say what it was rather than lose the entry
        return orjson.dumps(repr(value)).decode()


def _scope(tenant: str | None) -> str:
    return tenant or ""


class SQLKeys:
    def __init__(self, db: Database, moved: Callable[[], None]) -> None:
        self._db, self._moved = db, moved

    def put(self, api_key: str, api_secret: str, quota: int | None = None) -> None:
        with self._db.tx() as tx:
            tx.execute(
                "INSERT INTO keys (api_key, secret_sha256, quota, owner) VALUES (?, ?, ?, '') ON CONFLICT(api_key) "
                "DO UPDATE SET secret_sha256 = excluded.secret_sha256, quota = excluded.quota, owner = ''",
                (api_key, digest(api_secret), quota),
            )
        self._moved()

    def create(self, api_key: str, api_secret: str, quota: int | None, owner: str | None) -> bool:
        with self._db.tx() as tx:
            made = tx.execute(
                "INSERT INTO keys (api_key, secret_sha256, quota, owner, last_seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(api_key) DO NOTHING RETURNING 1",
                (api_key, digest(api_secret), quota, _scope(owner), time.time()),
            ).fetchone()
        if made is None:  # an open tenant's concurrent first request made it: nothing changed
            return False
        self._moved()
        return True

    def check(self, api_key: str, api_secret: str) -> Admission:
        rows = self._db.read("SELECT secret_sha256, quota IS NOT NULL, owner FROM keys WHERE api_key = ?", (api_key,))
        stored = bytes(rows[0][0]) if rows else None
        if not secret_matches(stored, api_secret):
            return REFUSED
        return Admission(True, bool(rows[0][1]), rows[0][2] or api_key)

    def touch(self, api_key: str, when: float) -> None:
        with self._db.tx() as tx:
            tx.execute("UPDATE keys SET last_seen = ? WHERE api_key = ?", (when, api_key))

    def try_spend(self, api_key: str) -> bool:
        with self._db.tx() as tx:
            spent = tx.execute(
                "UPDATE keys SET used = used + 1 WHERE api_key = ? AND (quota IS NULL OR used < quota) RETURNING 1",
                (api_key,),
            ).fetchone()
            return spent is not None

    def all(self, tenant: str | None = None) -> list[dict[str, Any]]:
        if tenant is None:
            rows = self._db.read("SELECT api_key, quota, used FROM keys ORDER BY api_key")
        else:
            rows = self._db.read(
                "SELECT api_key, quota, used FROM keys WHERE api_key = ? OR owner = ? ORDER BY api_key",
                (tenant, tenant),
            )
        return [{"api_key": k, "quota": q, "used": u} for k, q, u in rows]


class SQLUsage:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(
        self, api_key: str, tenant: str, endpoint: str, code: str, billable: bool, reserved: bool = False
    ) -> None:
        with self._db.tx() as tx:
            tx.execute(
                "INSERT INTO usage (api_key, endpoint, code, billable, count, tenant) VALUES (?, ?, ?, ?, 1, ?) "
                "ON CONFLICT(api_key, endpoint, code) DO UPDATE SET count = usage.count + 1",
                (api_key, endpoint, code, int(billable), tenant),
            )
            if reserved != billable:
                step = 1 if billable else -1
                tx.execute(
                    "UPDATE keys SET used = CASE WHEN used + ? < 0 THEN 0 ELSE used + ? END WHERE api_key = ?",
                    (step, step, api_key),
                )

    def all(self, tenant: str | None = None) -> list[dict[str, Any]]:
        columns = "SELECT api_key, endpoint, code, billable, count FROM usage"
        order = " ORDER BY api_key, endpoint, code"
        if tenant is None:
            rows = self._db.read(columns + order)
        else:
            rows = self._db.read(columns + " WHERE tenant = ?" + order, (tenant,))
        return [{"api_key": k, "endpoint": e, "code": c, "billable": bool(b), "count": n} for k, e, c, b, n in rows]


class SQLFiles:
    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, data: bytes, content_type: str, kind: str = "registered", owner: str | None = None) -> str:
        file_id = secrets.token_urlsafe(12)
        with self._db.tx() as tx:
            tx.execute(
                "INSERT INTO files (id, content_type, data, created, kind, owner) VALUES (?, ?, ?, ?, ?, ?)",
                (file_id, content_type, bytes(data), time.time(), kind, _scope(owner)),
            )
            if kind == "crop":
                tx.execute(
                    "DELETE FROM files WHERE kind = 'crop' AND owner = ? AND id NOT IN "
                    "(SELECT id FROM files WHERE kind = 'crop' AND owner = ? ORDER BY created DESC LIMIT ?)",
                    (_scope(owner), _scope(owner), CROPS_KEPT),
                )
        return file_id

    def get(self, file_id: str) -> tuple[bytes, str] | None:
        rows = self._db.read("SELECT data, content_type FROM files WHERE id = ?", (file_id,))
        return (bytes(rows[0][0]), str(rows[0][1])) if rows else None

    def open(self, file_id: str) -> HostedFile | None:
        rows = self._db.read("SELECT length(data), content_type FROM files WHERE id = ?", (file_id,))
        if not rows:
            return None
        size = int(rows[0][0])
        return HostedFile(size, str(rows[0][1]), self._chunks(file_id, size))

    def _chunks(self, file_id: str, size: int) -> Iterator[bytes]:
        for start in range(0, size, FILE_CHUNK):
            rows = self._db.read("SELECT substr(data, ?, ?) FROM files WHERE id = ?", (start + 1, FILE_CHUNK, file_id))
            if not rows:
                return
            yield bytes(rows[0][0])

    def all(self, owner: str | None = None) -> list[dict[str, Any]]:
        columns = "SELECT id, content_type, length(data), created, kind FROM files"
        if owner is None:
            rows = self._db.read(columns + " ORDER BY created")
        else:
            rows = self._db.read(columns + " WHERE owner = ? ORDER BY created", (owner,))
        return [{"id": i, "content_type": t, "size": n, "created": c, "kind": k} for i, t, n, c, k in rows]


class SQLGalleries:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, owner: str, identity: str, file_id: str, metadata: dict[str, Any]) -> Face:
        with self._db.tx() as tx:
            face_id = tx.execute(
                "INSERT INTO faces (owner, identity, file_id, metadata) VALUES (?, ?, ?, ?) RETURNING id",
                (owner, identity, file_id, _json(metadata)),
            ).fetchone()[0]
        return Face(int(face_id), owner, identity, file_id, metadata)

    def page(self, owner: str, offset: int, limit: int) -> list[Face]:
        # Skip the offset inside the (owner, id) index alone, then read only the page's rows.
        where = (
            "WHERE owner = ? AND id >= (SELECT id FROM faces WHERE owner = ? ORDER BY id LIMIT 1 OFFSET ?) "
            "ORDER BY id LIMIT ?"
        )
        return self._faces(where, (owner, owner, max(0, offset), max(0, limit)))

    def find(self, owner: str, identity: str, limit: int) -> list[Face]:
        return self._faces("WHERE owner = ? AND identity = ? ORDER BY id LIMIT ?", (owner, identity, max(0, limit)))

    def get(self, owner: str, ids: list[int]) -> list[Face]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return self._faces(f"WHERE owner = ? AND id IN ({marks}) ORDER BY id", (owner, *ids))

    def update(self, owner: str, face_id: int, metadata: dict[str, Any]) -> Face | None:
        with self._db.tx() as tx:
            row = tx.execute(
                "UPDATE faces SET metadata = ? WHERE owner = ? AND id = ? RETURNING identity, file_id",
                (_json(metadata), owner, face_id),
            ).fetchone()
        return None if row is None else Face(face_id, owner, row[0], row[1], metadata)

    def delete(self, owner: str, ids: list[int]) -> bool:
        unique = sorted(set(ids))
        if not unique:
            return True
        marks = ",".join("?" * len(unique))
        with self._db.tx() as tx:
            self._db.serialise(tx, f"faces:{owner}")
            count = tx.execute(
                f"SELECT count(*) FROM faces WHERE owner = ? AND id IN ({marks})", (owner, *unique)
            ).fetchone()[0]
            if count != len(unique):
                return False
            tx.execute(f"DELETE FROM faces WHERE owner = ? AND id IN ({marks})", (owner, *unique))
        return True

    def _faces(self, where: str, params: tuple[Any, ...]) -> list[Face]:
        rows = self._db.read(f"SELECT id, owner, identity, file_id, metadata FROM faces {where}", params)
        return [Face(int(i), o, ident, f, orjson.loads(m)) for i, o, ident, f, m in rows]


class SQLJournal:
    def __init__(self, db: Database, size: int, whole: int | None = None) -> None:
        self._db, self.size, self.whole = db, max(1, size), whole
        # Inserts counted by this process, not read back from the database: the insert is then
        # a statement whose answer nobody waits for (PostgreSQL sends it with the commit).
        self._written = itertools.count(1)
        self._pruned = PruneEdges()

    def record(self, tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes) -> None:
        prune = self.prune_due()
        with self._db.tx() as tx:
            tx.execute(JOURNAL_INSERT, self.values(tenant, entry, request, answer))
            if prune:
                self.prune(tx, tenant)

    @staticmethod
    def values(tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes) -> tuple[Any, ...]:
        """The parameters of ``JOURNAL_INSERT`` for one entry."""
        return (time.time(), _scope(tenant), _json(entry), _json(request), bytes(answer))

    def prune_due(self) -> bool:
        """Whether the insert about to be made should prune: one in ``PRUNE_EVERY``."""
        return next(self._written) % PRUNE_EVERY == 0

    def prune(self, tx: Transaction, tenant: str | None) -> None:
        """Drop what no read shows: a tenant's entries past its newest ``size``, and the
        oldest past ``whole``."""
        scope = _scope(tenant)
        self._prune_past(tx, scope, self.size, "WHERE tenant = ?", (scope,))
        if self.whole is not None:
            self._prune_past(tx, None, self.whole, "", ())

    def _prune_past(self, tx: Transaction, scope: str | None, kept: int, where: str, params: tuple[Any, ...]) -> None:
        """Delete the entries ``where`` selects past the newest ``kept``, from the edge this
        scope's prunes reached (None: the whole journal)."""
        newest = f"SELECT id FROM journal {where} ORDER BY id DESC LIMIT 1 OFFSET ?"
        edge = tx.execute(newest, (*params, kept)).fetchone()
        if edge is not None:
            low = self._pruned.passed(scope, int(edge[0]))
            above = "AND" if where else "WHERE"
            tx.execute(f"DELETE FROM journal {where} {above} id > ? AND id <= ?", (*params, low, int(edge[0])))

    def restarted(self) -> None:
        """The journal's ids begin again from the first."""
        self._pruned.forget()

    def rows(self, limit: int | None = None, tenant: str | None = None) -> list[JournalRow]:
        columns = "SELECT id, time, tenant, entry, request, answer FROM journal"
        where, params = (" WHERE tenant = ?", [tenant]) if tenant is not None else ("", [])
        sql = f"SELECT * FROM ({columns}{where} ORDER BY id DESC LIMIT ?) AS newest ORDER BY id"
        rows = self._db.read(sql, (*params, min(limit or self.size, self.size)))
        return [self._row(r) for r in rows]

    def row(self, entry_id: int, tenant: str | None = None) -> JournalRow | None:
        columns = "SELECT id, time, tenant, entry, request, answer FROM journal WHERE id = ?"
        if tenant is None:
            rows = self._db.read(columns, (entry_id,))
        else:
            rows = self._db.read(columns + " AND tenant = ?", (entry_id, tenant))
        return self._row(rows[0]) if rows else None

    def clear(self, tenant: str | None = None) -> None:
        with self._db.tx() as tx:
            if tenant is None:
                tx.execute("DELETE FROM journal")
            else:
                tx.execute("DELETE FROM journal WHERE tenant = ?", (tenant,))

    @staticmethod
    def _row(row: Any) -> JournalRow:
        entry_id, when, tenant, entry, request, answer = row
        return JournalRow(
            int(entry_id), float(when), tenant or None, orjson.loads(entry), orjson.loads(request), bytes(answer)
        )


class PruneEdges:
    """Where this process's prunes of each scope reached, so the next starts from there.

    PostgreSQL keeps a deleted row's index entry until a vacuum, which by default comes a
    minute or more later: a delete of "every id up to N" would walk every entry pruned since,
    tens of thousands at a few hundred requests a second. Starting at the edge of the prune
    before the last one skips them, and still reaches a row that was committed late, with an
    id below the last edge (an insert of another connection still in flight then). One prune
    in ``SWEEP_EVERY`` of a scope starts from the first id, so a row committed later still is
    dropped in the end too."""

    KEPT = 256  # scopes remembered; one forgotten starts again from the first id
    SWEEP_EVERY = 64

    def __init__(self) -> None:
        self._edges: dict[str | None, tuple[int, int, int]] = {}

    def passed(self, scope: str | None, edge: int) -> int:
        """The id this prune of ``scope`` (None: the whole journal) starts above, as it
        reaches ``edge``."""
        before, last, count = self._edges.pop(scope, (0, 0, 0))
        if len(self._edges) >= self.KEPT:
            self._edges.clear()
        self._edges[scope] = (last, edge, count + 1)
        if count % self.SWEEP_EVERY == 0 or before > edge:  # a sweep, or the ids began again
            return 0
        return before

    def forget(self) -> None:
        """The ids begin again (a reset): no edge reached so far holds."""
        self._edges.clear()


class SQLOutcomes:
    def __init__(self, db: Database, moved: Callable[[], None]) -> None:
        self._db, self._moved = db, moved

    def push(self, flow: str, outcome: dict[str, Any], count: int = 1, tenant: str | None = None) -> None:
        with self._db.tx() as tx:
            for _ in range(count):
                tx.execute(
                    "INSERT INTO outcomes (tenant, flow, outcome) VALUES (?, ?, ?)",
                    (_scope(tenant), flow, _json(outcome)),
                )
        self._moved()

    def take(self, flow: str, tenant: str | None) -> dict[str, Any] | None:
        scopes = [_scope(tenant)] + ([""] if tenant else [])
        marks = ",".join("?" * len(scopes))
        # Without a queued outcome for this flow, the common case, nothing is locked or written.
        for _ in range(TAKE_ATTEMPTS):
            first = self._db.read(
                f"SELECT id FROM outcomes WHERE flow = ? AND tenant IN ({marks}) "
                "ORDER BY CASE WHEN tenant = '' THEN 1 ELSE 0 END, id LIMIT 1",
                (flow, *scopes),
            )
            if not first:
                return None
            with self._db.tx() as tx:  # exactly once: only one replica's delete returns the row
                taken = tx.execute("DELETE FROM outcomes WHERE id = ? RETURNING outcome", (first[0][0],)).fetchone()
            if taken is not None:
                self._moved()
                outcome: dict[str, Any] = orjson.loads(taken[0])
                return outcome
        return None

    def pending(self, tenant: str | None = None) -> dict[str, int]:
        rows = self._db.read(
            "SELECT flow, count(*) FROM outcomes WHERE tenant = ? GROUP BY flow ORDER BY flow", (_scope(tenant),)
        )
        return {flow: int(n) for flow, n in rows}

    def clear(self, tenant: str | None = None) -> None:
        with self._db.tx() as tx:
            if tenant is None:
                tx.execute("DELETE FROM outcomes")
            else:
                tx.execute("DELETE FROM outcomes WHERE tenant = ?", (tenant,))
        self._moved()


class SQLSettings:
    def __init__(self, db: Database, moved: Callable[[], None]) -> None:
        self._db, self._moved = db, moved

    def get(self, scope: str, name: str) -> str | None:
        rows = self._db.read("SELECT value FROM settings WHERE scope = ? AND name = ?", (scope, name))
        return str(rows[0][0]) if rows else None

    def put(self, scope: str, name: str, value: str | None) -> None:
        with self._db.tx() as tx:
            if value is None:
                tx.execute("DELETE FROM settings WHERE scope = ? AND name = ?", (scope, name))
            else:
                tx.execute(
                    "INSERT INTO settings (scope, name, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(scope, name) DO UPDATE SET value = excluded.value",
                    (scope, name, value),
                )
        self._moved()

    def effective(self, tenant: str | None) -> dict[str, str]:
        rows = self._db.read("SELECT scope, name, value FROM settings WHERE scope IN (?, '')", (_scope(tenant),))
        # the whole fake's first, then the tenant's over them
        return {name: str(value) for _, name, value in sorted(rows, key=lambda r: r[0] != "")}


class SQLReplay:
    def __init__(self, db: Database) -> None:
        self._db = db

    def claim(self, scope: str, generation: str, matching: list[int], after_last: str) -> int | None:
        if not matching:
            return None
        marks = ",".join("?" * len(matching))
        with self._db.tx() as tx:
            self._db.serialise(tx, f"replay:{scope}")
            rows = tx.execute(
                f"SELECT idx FROM replay_used WHERE scope = ? AND generation = ? AND idx IN ({marks})",
                (scope, generation, *matching),
            )
            before = {int(r[0]) for r in rows.fetchall()}
            used = set(before)
            found = claim_next(used, matching, after_last)
            for idx in before - used:
                tx.execute(
                    "DELETE FROM replay_used WHERE scope = ? AND generation = ? AND idx = ?", (scope, generation, idx)
                )
            for idx in used - before:
                tx.execute(
                    "INSERT INTO replay_used (scope, generation, idx) VALUES (?, ?, ?)", (scope, generation, idx)
                )
        return found

    def rewind(self, scope: str | None = None) -> None:
        with self._db.tx() as tx:
            if scope is None:
                tx.execute("DELETE FROM replay_used")
            else:
                tx.execute("DELETE FROM replay_used WHERE scope = ?", (scope,))


class SQLStore:
    """Every table in one SQL database, shared by every process that opens it."""

    def __init__(self, kind: str, database: Database, journal_size: int, journal_max: int | None = None) -> None:
        self.kind, self.database = kind, database
        self.keys = SQLKeys(database, self.steering_moved)
        self.usage = SQLUsage(database)
        self.files = SQLFiles(database)
        self.galleries = SQLGalleries(database)
        self.journal = SQLJournal(database, journal_size, journal_max)
        self.outcomes = SQLOutcomes(database, self.steering_moved)
        self.settings = SQLSettings(database, self.steering_moved)
        self.replay = SQLReplay(database)

    def steering_moved(self) -> None:
        """This process changed what steers requests (a key, a setting, a queued outcome);
        a backend that remembers steering forgets it here."""

    def reset(self, keys: list[ConfiguredKey]) -> None:
        self.steering_moved()
        with self.database.tx() as tx:
            for table in TABLES:
                tx.execute(f"DELETE FROM {table}")
            self.database.restart_ids(tx)
            self.journal.restarted()
            for key, secret, quota in keys:
                tx.execute(
                    "INSERT INTO keys (api_key, secret_sha256, quota, owner) VALUES (?, ?, ?, '')",
                    (key, digest(secret), quota),
                )

    def reset_tenant(self, tenant: str, forget_key: bool = False) -> None:
        self.steering_moved()
        with self.database.tx() as tx:
            members = [r[0] for r in tx.execute("SELECT api_key FROM keys WHERE owner = ?", (tenant,)).fetchall()]
            for owner in [tenant, *members]:
                tx.execute("DELETE FROM faces WHERE owner = ?", (owner,))
            tx.execute("DELETE FROM keys WHERE owner = ?", (tenant,))
            tx.execute("UPDATE keys SET used = 0 WHERE api_key = ?", (tenant,))
            for table, column in _TENANT_COLUMNS:
                tx.execute(f"DELETE FROM {table} WHERE {column} = ?", (tenant,))
            if forget_key:
                tx.execute("DELETE FROM keys WHERE api_key = ?", (tenant,))

    def idle_tenants(self, before: float, keep: set[str]) -> list[str]:
        rows = self.database.read(
            "SELECT api_key FROM keys WHERE owner = '' AND last_seen > 0 AND last_seen < ? ORDER BY api_key", (before,)
        )
        return [r[0] for r in rows if r[0] not in keep]

    def steer(self, api_key: str, api_secret: str, flow: str) -> Steering:
        return self.steering_of(self.database.read(STEERING, (api_key, api_key, api_key)), api_key, api_secret, flow)

    @staticmethod
    def steering_of(rows: list[Any], api_key: str, api_secret: str, flow: str) -> Steering:
        """The :class:`Steering` the rows of ``STEERING`` tell."""
        key = next((r for r in rows if r[0] == "key"), None)
        stored = bytes(key[1]) if key is not None else None
        if secret_matches(stored, api_secret):  # constant time, an unknown key included
            assert key is not None
            admission = Admission(True, bool(key[5]), key[2] or api_key)
        else:
            admission = REFUSED
        scopes = ("", admission.tenant) if admission.accepted else ("",)
        # the whole fake's settings first, then the tenant's over them
        found = sorted((r for r in rows if r[0] == "setting" and r[2] in scopes), key=lambda r: r[2] != "")
        queued = admission.accepted and any(r[0] == "outcome" and r[3] == flow for r in rows)
        return Steering(admission, {r[3]: str(r[4]) for r in found}, queued)

    def account(
        self, charge: Charge | None, tenant: str | None, entry: dict[str, Any], request: dict[str, Any], answer: bytes
    ) -> None:
        with self.database.tx():
            if charge is not None:
                self.usage.record(
                    charge.api_key, charge.tenant, charge.endpoint, charge.code, charge.billable, charge.reserved
                )
            self.journal.record(tenant, entry, request, answer)

    def unit(self) -> AbstractContextManager[None]:
        return self.database.unit()

    def ping(self) -> None:
        self.database.read("SELECT value FROM store_meta WHERE name = 'schema_version'")

    def counts(self) -> dict[str, int]:
        tenants = self.database.read("SELECT COUNT(*) FROM keys WHERE owner = ''")[0][0]
        entries = self.database.read("SELECT COUNT(*) FROM journal")[0][0]
        return {"tenants": int(tenants), "journal_entries": int(entries)}

    def close(self) -> None:
        self.database.close()


# What steers a request (see ``Store.steer``) in one statement both engines run: the key's
# row, the settings of the whole fake and of the key's tenant, and each flow an outcome waits for.
TENANT_OF_KEY = "(SELECT CASE WHEN owner = '' THEN api_key ELSE owner END FROM keys WHERE api_key = ?)"
STEERING = (
    "SELECT 'key', secret_sha256, owner, NULL, NULL, CASE WHEN quota IS NULL THEN 0 ELSE 1 END "
    "FROM keys WHERE api_key = ? "
    "UNION ALL SELECT 'setting', NULL, scope, name, value, NULL FROM settings "
    f"WHERE scope = '' OR scope = {TENANT_OF_KEY} "
    "UNION ALL SELECT 'outcome', NULL, NULL, flow, NULL, NULL FROM (SELECT DISTINCT flow FROM outcomes "
    f"WHERE tenant = '' OR tenant = {TENANT_OF_KEY}) AS waiting"
)

TABLES = ("usage", "faces", "files", "keys", "journal", "outcomes", "settings", "replay_used")
_TENANT_COLUMNS = (
    ("usage", "tenant"),
    ("files", "owner"),
    ("journal", "tenant"),
    ("outcomes", "tenant"),
    ("settings", "scope"),
    ("replay_used", "scope"),
)


def upgrade(tx: Transaction, current: int, migrations: Sequence[Sequence[str]], where: str) -> int:
    """Run the steps from ``current`` up to the newest version and return it; a database
    newer than the code is refused untouched."""
    known = len(migrations)
    if current > known:
        raise SchemaTooNew(
            f"{where} has store schema version {current}; this cvs-testkit knows versions up to {known}. "
            "Upgrade cvs-testkit, or give --state a new database."
        )
    for steps in migrations[current:]:
        for statement in steps:
            tx.execute(statement)
    return known
