"""Request ids, the one JSON log line per request, and the Prometheus metrics."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from api_helpers import API_KEYS, JSON, MakeApp, body
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

SECRET_TEXT = "Zanzibar-unique-article-text said officials."


@pytest.fixture
def fresh_app(make_app: MakeApp) -> Flask:
    """Return a new app, so its metrics start at zero."""
    return make_app(API_KEYS=API_KEYS)


def auth() -> dict[str, str]:
    """Return a valid Authorization header."""
    return {"Authorization": f"Bearer {API_KEYS[0]}"}


def log_lines(err: str) -> list[dict[str, Any]]:
    """Parse the JSON lines of captured stderr."""
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


# -- request ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["abc-123", "x" * 128, "req:1/2?3=4", "~!@#$%^&*()_+"])
def test_valid_request_id_is_echoed(client: FlaskClient, given: str) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given


@pytest.mark.parametrize(
    "given", ["", "x" * 129, "has space", "tab\there", "naïve", "line\u2028sep"]
)
def test_invalid_request_id_is_replaced_by_a_uuid4(client: FlaskClient, given: str) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)


def test_error_responses_carry_the_request_id(client: FlaskClient) -> None:
    response = client.get("/nope", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "trace-me"


# -- logs -------------------------------------------------------------------------------------


def test_one_log_line_per_request_without_text_or_key(
    fresh_app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = fresh_app.test_client().post(
        "/score",
        data=body({"text": SECRET_TEXT}),
        content_type=JSON,
        headers={**auth(), "X-Request-ID": "log-check"},
    )
    assert response.status_code == 200
    err = capsys.readouterr().err
    assert SECRET_TEXT not in err
    assert "Zanzibar" not in err
    assert API_KEYS[0] not in err
    lines = log_lines(err)
    assert len(lines) == 1
    line = lines[0]
    assert line["event"] == "request"
    assert line["request_id"] == "log-check"
    assert line["method"] == "POST"
    assert line["endpoint"] == "/score"
    assert line["status"] == 200
    assert line["sentence_count"] == 1
    assert line["model_version"] == "0.0.0"
    assert isinstance(line["latency_ms"], float)


def test_rejected_request_is_logged_once_too(
    fresh_app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    fresh_app.test_client().get("/signals", headers={"Authorization": "Bearer wrong-key"})
    lines = log_lines(capsys.readouterr().err)
    assert [(x["endpoint"], x["status"]) for x in lines] == [("/signals", 401)]
    assert "wrong-key" not in json.dumps(lines)


def test_batch_log_line_counts_every_scored_sentence(
    fresh_app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = [
        {"id": "a", "text": "One sentence. Two sentences."},
        {"id": "b", "text": "Three."},
        {"id": "c", "text": ""},
    ]
    capsys.readouterr()
    fresh_app.test_client().post(
        "/score/batch", data=body({"documents": documents}), content_type=JSON, headers=auth()
    )
    assert log_lines(capsys.readouterr().err)[0]["sentence_count"] == 3


# -- metrics ----------------------------------------------------------------------------------


def samples(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Scrape /metrics into {(sample name, labels): value}."""
    response = client.get("/metrics", headers=auth())
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def test_metrics_count_requests_by_endpoint_method_and_status(fresh_app: Flask) -> None:
    client = fresh_app.test_client()
    for _ in range(3):
        client.post(
            "/score", data=body({"text": "It may rain."}), content_type=JSON, headers=auth()
        )
    client.get("/nope/at/all", headers=auth())
    found = samples(client)
    ok = frozenset({("endpoint", "/score"), ("method", "POST"), ("status", "200")})
    assert found[("misinfo_http_requests_total", ok)] == 3
    unmatched = frozenset({("endpoint", "<unmatched>"), ("method", "GET"), ("status", "404")})
    assert found[("misinfo_http_requests_total", unmatched)] == 1
    latency = frozenset({("endpoint", "/score"), ("status", "200")})
    assert found[("misinfo_http_request_duration_seconds_count", latency)] == 3


def test_metrics_count_sentences_and_documents_scored(fresh_app: Flask) -> None:
    client = fresh_app.test_client()
    client.post(
        "/score", data=body({"text": "One. Two. Three."}), content_type=JSON, headers=auth()
    )
    documents = [{"id": "a", "text": "Four. Five."}, {"id": "b", "text": 5}]
    client.post(
        "/score/batch", data=body({"documents": documents}), content_type=JSON, headers=auth()
    )
    found = samples(client)
    assert found[("misinfo_sentences_scored_total", frozenset())] == 5
    assert found[("misinfo_documents_scored_total", frozenset())] == 2
