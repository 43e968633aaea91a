"""Round trips to the store per API request, by operation, on a real PostgreSQL and on SQLite
(counted as ``tests.helpers.round_trips`` says)."""

from __future__ import annotations

import tempfile
from pathlib import Path

Row = tuple[str, str, str, str, str, str]
REQUESTS = {
    "light OCR GET": "/api/v2/ekyc/card?img=https://cdn.example.vn/a.jpg&format_type=url",
    "Face Search list": "/api/v2/face_search/images",
}


def round_trips() -> list[Row]:
    from tests.helpers.components import postgres_cluster
    from tests.helpers.round_trips import ROUND_TRIP, per_request

    rows: list[Row] = []
    with postgres_cluster() as cluster, tempfile.TemporaryDirectory() as folder:
        for backend, state in (("postgresql", cluster.database("trips")), ("sqlite", str(Path(folder) / "t.sqlite"))):
            for name, counts in per_request(state, REQUESTS).items():
                trips = counts.pop(ROUND_TRIP, 0)
                detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                what = f"statements: {detail}" if detail else "write transactions; a read takes no lock"
                label = f"{backend}, {name} ({what})"
                rows.append(("round trips", label, str(trips), "2", f"{trips / 2:.1f}", "≤ 2"))
    return rows


if __name__ == "__main__":
    for row in round_trips():
        print(" | ".join(row))
