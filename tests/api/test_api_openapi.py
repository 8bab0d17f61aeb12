"""The OpenAPI document: committed copy in sync, every route documented, real responses valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_helpers import JSON, body
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from service.api.openapi import DEFAULT_OUTPUT, generate_spec, render_spec
from service.api.problems import PROBLEM_TYPES

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
TEXT = "According to a senior official, the talks may have stalled. The museum opened in 1928."


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """Return the spec generated from the app."""
    return generate_spec()


def test_committed_copy_is_in_sync(spec: dict[str, Any]) -> None:
    assert DEFAULT_OUTPUT == COMMITTED
    assert COMMITTED.read_text(encoding="utf-8") == render_spec(spec), (
        "docs/openapi.json is stale: run `python -m service.api.openapi`"
    )


def test_served_spec_is_the_generated_one(client: FlaskClient, spec: dict[str, Any]) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == json.loads(render_spec(spec))


def test_every_route_is_documented(app: Flask, spec: dict[str, Any]) -> None:
    documented = {
        (path, method.upper())
        for path, operations in spec["paths"].items()
        for method in operations
    }
    served = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS") and rule.endpoint != "static"
    }
    assert served - documented == {("/openapi.json", "GET")}


def test_every_problem_type_is_described(spec: dict[str, Any]) -> None:
    for problem in PROBLEM_TYPES:
        assert problem.uri in spec["info"]["description"]


def validator_for(
    spec: dict[str, Any], path: str, method: str, status: int, mimetype: str | None
) -> Draft202012Validator:
    """Return a validator for the documented response body of one operation."""
    response = spec["paths"][path][method]["responses"][str(status)]
    assert mimetype is not None
    schema = response["content"][mimetype]["schema"]
    # Embed the components so "#/components/schemas/..." references resolve.
    return Draft202012Validator({**schema, "components": spec["components"]})


CASES: list[tuple[str, str, Any, int]] = [
    ("post", "/score", {"text": TEXT}, 200),
    ("post", "/score", {"text": TEXT, "explain": True, "thresholds": {"hedging": 0.0}}, 200),
    ("post", "/score", {"text": TEXT, "format": "markdown", "signals": ["hedging"]}, 200),
    ("post", "/score", {"text": ""}, 422),
    ("post", "/score", "not an object", 422),
    (
        "post",
        "/score/batch",
        {
            "documents": [
                {"id": "ok", "text": TEXT, "explain": True},
                {"id": "bad", "text": 3},
                {"text": "no id"},
            ]
        },
        200,
    ),
    ("post", "/score/batch", {"documents": []}, 422),
    ("get", "/signals", None, 200),
    ("get", "/version", None, 200),
    ("get", "/healthz", None, 200),
    ("get", "/readyz", None, 200),
]


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    CASES,
    ids=[f"{m} {p} {s} #{n}" for n, (m, p, _, s) in enumerate(CASES)],
)
def test_real_responses_match_the_documented_schema(
    client: FlaskClient,
    spec: dict[str, Any],
    method: str,
    path: str,
    payload: Any,
    status: int,
) -> None:
    if payload is None:
        response = client.open(path, method=method.upper())
    else:
        response = client.open(path, method=method.upper(), data=body(payload), content_type=JSON)
    assert response.status_code == status
    validator = validator_for(spec, path, method, status, response.mimetype)
    errors = [error.message for error in validator.iter_errors(json.loads(response.get_data()))]
    assert errors == []


@pytest.mark.parametrize(
    ("method", "path", "raw", "content_type", "status"),
    [
        ("post", "/score", b"{", JSON, 400),
        ("post", "/score", b"{}", "text/plain", 415),
        ("post", "/score/batch", b'{"documents": 1}', JSON, 422),
    ],
)
def test_problem_responses_match_the_documented_schema(
    client: FlaskClient,
    spec: dict[str, Any],
    method: str,
    path: str,
    raw: bytes,
    content_type: str,
    status: int,
) -> None:
    response = client.open(path, method=method.upper(), data=raw, content_type=content_type)
    assert response.status_code == status
    validator = validator_for(spec, path, method, status, response.mimetype)
    assert [e.message for e in validator.iter_errors(json.loads(response.get_data()))] == []


def test_unready_response_matches_the_documented_schema(spec: dict[str, Any]) -> None:
    from service import create_app

    response = create_app({"MODEL_DIR": None}).test_client().get("/readyz")
    assert response.status_code == 503
    validator = validator_for(spec, "/readyz", "get", 503, response.mimetype)
    assert [e.message for e in validator.iter_errors(json.loads(response.get_data()))] == []


def test_schema_check_catches_an_undocumented_member(
    client: FlaskClient, spec: dict[str, Any]
) -> None:
    response = client.post("/score", data=body({"text": TEXT}), content_type=JSON)
    tampered = {**json.loads(response.get_data()), "surprise": 1}
    tampered["sentences"][0]["scores"]["hedging"] = "high"
    validator = validator_for(spec, "/score", "post", 200, JSON)
    assert len(list(validator.iter_errors(tampered))) == 2
