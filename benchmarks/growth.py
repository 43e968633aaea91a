"""How a shared store grows with open tenants, and what expiry gives back: N tenants make a
call each on a SQLite store, then sit idle past ``--tenant-ttl``; the store's size, this
replica's RSS and the admin answers' sizes are measured before and after, side by side. (A
SQLite file keeps its pages for reuse: it does not shrink until VACUUM.)"""

from __future__ import annotations

import base64
import os
import tempfile
import time
from pathlib import Path

import psutil

from mockserver import create_app
from mockserver.state.fake_state import state_of

Row = tuple[str, str, str, str, str, str]
TTL = 2.0
LIST = "/api/v2/face_search/images"


def _auth(n: int) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"t-{n:06d}:secret".encode()).decode()}


def _sizes(client: object, folder: Path) -> dict[str, float]:
    get = client.get  # type: ignore[attr-defined]
    database = sum(p.stat().st_size for p in folder.glob("growth.sqlite*"))
    return {
        "store (MB)": database / 1e6,
        "RSS (MB)": psutil.Process(os.getpid()).memory_info().rss / 1e6,
        "GET /__mock__/usage (kB)": len(get("/__mock__/usage").data) / 1e3,
        "GET /__mock__/keys (kB)": len(get("/__mock__/keys").data) / 1e3,
        "tenants": float(state_of(client.application).store.counts()["tenants"]),  # type: ignore[attr-defined]
        "journal entries": float(state_of(client.application).store.counts()["journal_entries"]),  # type: ignore[attr-defined]
    }


def growth(tenants: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as where:
        folder = Path(where)
        app = create_app({"TENANTS": "open", "STATE": str(folder / "growth.sqlite")})
        client = app.test_client()
        started = time.perf_counter()
        for n in range(tenants):
            client.get(LIST, headers=_auth(n))
        made = time.perf_counter() - started
        before = _sizes(client, folder)
        app.config["TENANT_TTL"] = TTL  # from now on: every tenant made above is idle past it
        time.sleep(TTL * 1.2)
        started = time.perf_counter()
        client.get("/__mock__/health")  # a probe runs the sweep of idle tenants
        swept = time.perf_counter() - started
        after = _sizes(client, folder)
        state_of(app).store.close()
    rows: list[Row] = [
        ("growth", f"{tenants} tenants made, one call each (s)", f"{made:.1f}", "-", "-", "-"),
        ("growth", f"expiry of {tenants} idle tenants (s)", f"{swept:.1f}", "-", "-", "-"),
    ]
    for measure, value in before.items():
        ratio = after[measure] / value if value else 0.0
        rows.append(
            (
                "growth",
                f"{measure}: after expiry vs before",
                f"{after[measure]:.1f}",
                f"{value:.1f}",
                f"{ratio:.2f}",
                "tenants 0",
            )
        )
    return rows
