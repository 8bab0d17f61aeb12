"""The real server: gunicorn + gunicorn.conf.py + the shipped model, over real HTTP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from e2e_helpers import REPO, Server
from jsonschema import Draft202012Validator
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.e2e

SPEC: dict[str, Any] = json.loads((REPO / "docs" / "openapi.json").read_text(encoding="utf-8"))

# (a phrase that picks out one sentence of the example article, the signal, flagged or not)
EXPECTED_FLAGS = [
    ("Russia provided no evidence to support its claims", "no_evidence", True),
    ("According to a U.S. official", "anonymous_sourcing", True),
    ("Russian officials have claimed to have foiled", "unverified_claim", True),
    ("Ukraine has been fighting against Russian-backed separatists", None, False),
]


def post_score(server: Server, auth: dict[str, str], payload: Any) -> requests.Response:
    """POST /score with a JSON payload."""
    return requests.post(f"{server.url}/score", json=payload, headers=auth, timeout=30)


@pytest.fixture(scope="module")
def example_scores(server: Server, auth: dict[str, str], example_article: str) -> dict[str, Any]:
    """Return the server's scores for the example article, with evidence."""
    response = post_score(server, auth, {"text": example_article, "explain": True})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def sentence_with(scores: dict[str, Any], phrase: str) -> dict[str, Any]:
    """Return the one sentence containing phrase."""
    matches: list[dict[str, Any]] = [s for s in scores["sentences"] if phrase in s["text"]]
    assert len(matches) == 1, [s["text"] for s in matches]
    return matches[0]


@pytest.mark.parametrize(("phrase", "signal", "flagged"), EXPECTED_FLAGS)
def test_example_article_is_flagged_as_an_editor_would(
    example_scores: dict[str, Any], phrase: str, signal: str | None, flagged: bool
) -> None:
    sentence = sentence_with(example_scores, phrase)
    if signal is None:
        assert sentence["flags"] == [], sentence
    else:
        assert (signal in sentence["flags"]) is flagged, sentence


def test_example_article_offsets_and_schema(
    example_scores: dict[str, Any], example_article: str
) -> None:
    for sentence in example_scores["sentences"]:
        assert example_article[sentence["start"] : sentence["end"]] == sentence["text"]
        for evidence in sentence["evidence"]:
            assert example_article[evidence["start"] : evidence["end"]] == evidence["text"]
    schema = SPEC["paths"]["/score"]["post"]["responses"]["200"]["content"]["application/json"]
    validator = Draft202012Validator({**schema["schema"], "components": SPEC["components"]})
    assert [e.message for e in validator.iter_errors(example_scores)] == []


def test_health_endpoints_are_open(server: Server) -> None:
    assert requests.get(f"{server.url}/healthz", timeout=5).json() == {"status": "ok"}
    assert requests.get(f"{server.url}/readyz", timeout=5).json()["status"] == "ready"


def test_scoring_needs_the_key(server: Server) -> None:
    response = requests.post(f"{server.url}/score", json={"text": "a"}, timeout=5)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "slug"),
    [
        (b'{"text": ', "application/json", 400, "malformed-json"),
        (b'{"text": "\xff"}', "application/json", 400, "invalid-encoding"),
        (b'{"text": "a"}', "text/plain", 415, "unsupported-media-type"),
        (b'{"text": 1}', "application/json", 422, "validation-error"),
    ],
)
def test_malformed_requests_get_problems(
    server: Server,
    auth: dict[str, str],
    raw: bytes,
    content_type: str,
    status: int,
    slug: str,
) -> None:
    response = requests.post(
        f"{server.url}/score",
        data=raw,
        headers={**auth, "Content-Type": content_type},
        timeout=5,
    )
    assert response.status_code == status
    assert response.json()["type"].endswith("/" + slug)


def test_oversized_body_is_refused_before_it_is_sent(server: Server, auth: dict[str, str]) -> None:
    # Announce a gigabyte and send none of it: a 413 can only come from the header.
    host, port = server.url.removeprefix("http://").split(":")
    request = (
        "POST /score HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"Authorization: {auth['Authorization']}\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 1000000000\r\n"
        "Connection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request.encode("ascii"))
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, payload = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"application/problem+json" in head
    assert json.loads(payload)["type"].endswith("/payload-too-large")


def test_batch_over_http(server: Server, auth: dict[str, str]) -> None:
    documents = [{"id": "ok", "text": "Officials said it may rain."}, {"id": "bad", "text": ""}]
    response = requests.post(
        f"{server.url}/score/batch", json={"documents": documents}, headers=auth, timeout=30
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["ok", "bad"]
    assert "sentences" in results[0]
    assert results[1]["error"]["status"] == 422


def test_request_id_is_echoed_and_logged_once_without_text(
    server: Server, auth: dict[str, str]
) -> None:
    request_id = f"e2e-{uuid.uuid4().hex}"
    marker = f"Quetzalcoatl{uuid.uuid4().hex} said officials."
    response = requests.post(
        f"{server.url}/score",
        json={"text": marker},
        headers={**auth, "X-Request-ID": request_id},
        timeout=30,
    )
    assert response.headers["X-Request-ID"] == request_id
    log = server.log_text()
    assert marker not in log
    assert auth["Authorization"].split()[1] not in log
    lines = [json.loads(line) for line in log.splitlines() if request_id in line]
    assert len(lines) == 1
    assert lines[0]["endpoint"] == "/score"
    assert lines[0]["status"] == 200
    assert lines[0]["sentence_count"] == 1


def scrape(server: Server, auth: dict[str, str]) -> dict[tuple[str, frozenset[Any]], float]:
    """Return the server's metric samples."""
    response = requests.get(f"{server.url}/metrics", headers=auth, timeout=5)
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_metrics_sum_every_worker(server: Server, auth: dict[str, str]) -> None:
    key = (
        "misinfo_http_requests_total",
        frozenset({("endpoint", "/version"), ("method", "GET"), ("status", "200")}),
    )
    before = scrape(server, auth).get(key, 0.0)
    for _ in range(12):  # two sync workers share these: each scrape must still see all
        requests.get(f"{server.url}/version", headers=auth, timeout=5)
    after = [scrape(server, auth).get(key, 0.0) for _ in range(3)]
    assert after == [before + 12] * 3


def test_cli_prints_what_the_server_returns(
    server: Server, auth: dict[str, str], shipped_model_dir: Path, example_article: str
) -> None:
    cli = Path(sys.executable).parent / "misinfo-signals"
    article = REPO.parent / "shared" / "examples" / "kremlin-drone-claims.txt"
    printed = subprocess.run(
        [str(cli), "score", str(article), "--explain", "--model-dir", str(shipped_model_dir)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    served = post_score(server, auth, {"text": example_article, "explain": True}).content
    assert printed == served
