"""The fake's Prometheus metrics, in the text format ``prometheus_client`` writes.

Counters and the duration histogram are counted by the accounting point (every answer of the
API paths), forced outcomes where they are taken, store errors where they are answered. The
tenant and journal gauges are read from the store at each scrape, so every replica of a
shared store reports the same. Labels never carry a key or a tenant name.

Under ``--workers N`` the command line sets ``PROMETHEUS_MULTIPROC_DIR`` before any worker
starts; each worker then writes its numbers to that folder and a scrape of any of them adds
all of them up (the library's multiprocess mode).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

# prometheus_client is imported by the first Metrics, not with this module: the library picks
# its multiprocess mode from the environment when it is first imported, and the command line
# sets that environment only once it knows --workers.
from mockserver.state.store.tables import StoreUnavailable

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _StoreGauges:
    """The gauges read from the store when scraped: open tenants and journal entries."""

    def __init__(self, read: Callable[[], dict[str, int]]) -> None:
        self._read = read

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        try:
            counts = self._read()
        except StoreUnavailable:  # the counters are still worth a scrape; these two wait for the store
            return
        yield GaugeMetricFamily("cvs_mock_tenants", "Tenants the store holds", value=counts["tenants"])
        yield GaugeMetricFamily(
            "cvs_mock_journal_entries", "Journal entries the store holds", value=counts["journal_entries"]
        )


class Metrics:
    """One fake's metrics. Each app has its own registry, so the fakes a test suite builds
    count apart; in multiprocess mode the numbers live in the shared folder instead."""

    def __init__(self, store_counts: Callable[[], dict[str, int]]) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.multiprocess = bool(os.environ.get(MULTIPROCESS_DIR))
        self._gauges = _StoreGauges(store_counts)
        self.registry = CollectorRegistry()
        self.registry.register(self._gauges)
        registry = None if self.multiprocess else self.registry
        self.requests = Counter(
            "cvs_mock_requests", "Answers of the API paths", ["flow", "endpoint", "code"], registry=registry
        )
        self.duration = Histogram(
            "cvs_mock_request_duration_seconds",
            "Time from a request's arrival to its answer",
            ["flow"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.forced = Counter("cvs_mock_forced_outcomes", "Forced outcomes taken", ["flow", "kind"], registry=registry)
        self.store_errors = Counter(
            "cvs_mock_store_errors", "Requests answered 503: the store failed", registry=registry
        )

    def answered(self, flow: str, endpoint: str, code: str, seconds: float) -> None:
        self.requests.labels(flow, endpoint, code).inc()
        self.duration.labels(flow).observe(seconds)

    def exposition(self) -> bytes:
        """The text a Prometheus scrape reads."""
        from prometheus_client import CollectorRegistry, generate_latest

        if not self.multiprocess:
            return generate_latest(self.registry)
        from prometheus_client import multiprocess

        every_worker = CollectorRegistry()
        multiprocess.MultiProcessCollector(every_worker)  # type: ignore[no-untyped-call]
        every_worker.register(self._gauges)
        return generate_latest(every_worker)
