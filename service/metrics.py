"""Prometheus metrics, one registry per app.

Under gunicorn every worker is its own process, so gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at a fresh folder before anything imports prometheus_client; the
values then live in per-process files and /metrics sums them over all workers. Without that
variable (tests, a single process) the app's own registry is rendered directly.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client import generate_latest as _generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Scoring a long article takes tens of milliseconds; a full batch can take seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The counters and histograms the app updates on every request."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "misinfo_http_requests",
            "HTTP requests by endpoint, method and status.",
            ["endpoint", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "misinfo_http_request_duration_seconds",
            "HTTP request latency in seconds by endpoint and status.",
            ["endpoint", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.sentences = Counter(
            "misinfo_sentences_scored", "Sentences scored.", registry=self.registry
        )
        self.documents = Counter(
            "misinfo_documents_scored", "Documents scored.", registry=self.registry
        )

    def observe_request(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        """Count one request and record its latency."""
        self.requests.labels(endpoint, method, str(status)).inc()
        self.latency.labels(endpoint, str(status)).observe(seconds)

    def observe_scored(self, documents: int, sentences: int) -> None:
        """Count scored documents and sentences."""
        self.documents.inc(documents)
        self.sentences.inc(sentences)

    def render(self) -> tuple[bytes, str]:
        """Return the exposition text and its content type."""
        directory = os.environ.get(MULTIPROC_ENV)
        if directory:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
            return _generate_latest(registry), CONTENT_TYPE_LATEST
        return _generate_latest(self.registry), CONTENT_TYPE_LATEST
