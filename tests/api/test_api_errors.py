"""Malformed requests, one table per endpoint: exact status and problem type, never a 500."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from api_helpers import API_KEYS, JSON, MakeApp, assert_problem, body
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from service.api.problems import PROBLEM_CONTENT_TYPE

SMALL_LIMITS = {"MAX_CHARS": 50, "MAX_BATCH": 3, "MAX_BODY_BYTES": 8192}


def doc(**fields: Any) -> dict[str, Any]:
    """Return a valid batch document with some fields replaced."""
    return {"id": "d1", "text": "The council met on Tuesday.", **fields}


# (case id, raw body, content type, status, problem slug, field path expected in errors or None)
Case = tuple[str, bytes, str | None, int, str, str | None]

COMMON_BODY_CASES: list[Case] = [
    ("empty body", b"", JSON, 400, "malformed-json", None),
    ("truncated json", b'{"text": "a', JSON, 400, "malformed-json", None),
    ("trailing garbage", b'{"text": "a"} x', JSON, 400, "malformed-json", None),
    ("single quotes", b"{'text': 'a'}", JSON, 400, "malformed-json", None),
    ("duplicate key", b'{"text": "a", "text": "b"}', JSON, 400, "malformed-json", None),
    (
        "nested duplicate key",
        b'{"text": "a", "thresholds": {"hedging": 0.1, "hedging": 0.2}}',
        JSON,
        400,
        "malformed-json",
        None,
    ),
    ("NaN", b'{"text": "a", "thresholds": {"hedging": NaN}}', JSON, 400, "malformed-json", None),
    (
        "Infinity",
        b'{"text": "a", "thresholds": {"hedging": Infinity}}',
        JSON,
        400,
        "malformed-json",
        None,
    ),
    ("deep nesting", b"[" * 3000 + b"]" * 3000, JSON, 400, "malformed-json", None),
    (
        "integer with 5000 digits",
        b'{"text": ' + b"7" * 5000 + b"}",
        JSON,
        400,
        "malformed-json",
        None,
    ),
    ("utf-8 BOM", b'\xef\xbb\xbf{"text": "a"}', JSON, 400, "malformed-json", None),
    ("invalid utf-8 byte", b'{"text": "caf\xe9"}', JSON, 400, "invalid-encoding", None),
    ("utf-16 body", '{"text": "a"}'.encode("utf-16"), JSON, 400, "invalid-encoding", None),
    ("overlong utf-8", b'{"text": "\xc0\xaf"}', JSON, 400, "invalid-encoding", None),
    ("no content type", body({"text": "a"}), None, 415, "unsupported-media-type", None),
    ("text/plain", body({"text": "a"}), "text/plain", 415, "unsupported-media-type", None),
    (
        "form encoded",
        b"text=a",
        "application/x-www-form-urlencoded",
        415,
        "unsupported-media-type",
        None,
    ),
    ("multipart", b"--x--", "multipart/form-data; boundary=x", 415, "unsupported-media-type", None),
    (
        "latin-1 charset",
        body({"text": "a"}),
        "application/json; charset=latin-1",
        415,
        "unsupported-media-type",
        None,
    ),
    ("over the body limit", body({"text": "a" * 9000}), JSON, 413, "payload-too-large", None),
    ("top-level array", body([{"text": "a"}]), JSON, 422, "validation-error", "_body"),
    ("top-level string", body("a"), JSON, 422, "validation-error", "_body"),
    ("top-level null", b"null", JSON, 422, "validation-error", "_body"),
    ("top-level number", b"3", JSON, 422, "validation-error", "_body"),
]

SCORE_CASES: list[Case] = [
    *COMMON_BODY_CASES,
    ("empty object", body({}), JSON, 422, "validation-error", "text"),
    ("text is a number", body({"text": 42}), JSON, 422, "validation-error", "text"),
    ("text is null", body({"text": None}), JSON, 422, "validation-error", "text"),
    ("text is a list", body({"text": ["a"]}), JSON, 422, "validation-error", "text"),
    ("text is empty", body({"text": ""}), JSON, 422, "validation-error", "text"),
    ("text is too long", body({"text": "a" * 51}), JSON, 422, "validation-error", "text"),
    ("text has a lone surrogate", b'{"text": "a\\ud800b"}', JSON, 422, "validation-error", "text"),
    (
        "unknown field",
        body({"text": "a", "language": "en"}),
        JSON,
        422,
        "validation-error",
        "language",
    ),
    (
        "unknown format",
        body({"text": "a", "format": "pdf"}),
        JSON,
        422,
        "validation-error",
        "format",
    ),
    (
        "format is a number",
        body({"text": "a", "format": 1}),
        JSON,
        422,
        "validation-error",
        "format",
    ),
    (
        "signals is a string",
        body({"text": "a", "signals": "hedging"}),
        JSON,
        422,
        "validation-error",
        "signals",
    ),
    (
        "signals is empty",
        body({"text": "a", "signals": []}),
        JSON,
        422,
        "validation-error",
        "signals",
    ),
    (
        "signals is null",
        body({"text": "a", "signals": None}),
        JSON,
        422,
        "validation-error",
        "signals",
    ),
    (
        "unknown signal",
        body({"text": "a", "signals": ["hedging", "astrology"]}),
        JSON,
        422,
        "validation-error",
        "signals.1",
    ),
    (
        "signal is a number",
        body({"text": "a", "signals": [3]}),
        JSON,
        422,
        "validation-error",
        "signals.0",
    ),
    (
        "explain is a string",
        body({"text": "a", "explain": "true"}),
        JSON,
        422,
        "validation-error",
        "explain",
    ),
    ("explain is 1", body({"text": "a", "explain": 1}), JSON, 422, "validation-error", "explain"),
    (
        "threshold above 1",
        body({"text": "a", "thresholds": {"hedging": 1.5}}),
        JSON,
        422,
        "validation-error",
        "thresholds.hedging",
    ),
    (
        "threshold below 0",
        body({"text": "a", "thresholds": {"hedging": -0.01}}),
        JSON,
        422,
        "validation-error",
        "thresholds.hedging",
    ),
    (
        "threshold is a string",
        body({"text": "a", "thresholds": {"hedging": "0.5"}}),
        JSON,
        422,
        "validation-error",
        "thresholds.hedging",
    ),
    (
        "threshold is a boolean",
        body({"text": "a", "thresholds": {"hedging": True}}),
        JSON,
        422,
        "validation-error",
        "thresholds.hedging",
    ),
    (
        "threshold for an unknown signal",
        body({"text": "a", "thresholds": {"astrology": 0.5}}),
        JSON,
        422,
        "validation-error",
        "thresholds.astrology",
    ),
    (
        "thresholds is a list",
        body({"text": "a", "thresholds": [0.5]}),
        JSON,
        422,
        "validation-error",
        "thresholds",
    ),
]

BATCH_CASES: list[Case] = [
    *COMMON_BODY_CASES,
    ("empty object", body({}), JSON, 422, "validation-error", "documents"),
    (
        "documents is an object",
        body({"documents": {"id": "a"}}),
        JSON,
        422,
        "validation-error",
        "documents",
    ),
    ("documents is null", body({"documents": None}), JSON, 422, "validation-error", "documents"),
    ("no documents", body({"documents": []}), JSON, 422, "validation-error", "documents"),
    (
        "too many documents",
        body({"documents": [doc(id=str(n)) for n in range(4)]}),
        JSON,
        422,
        "validation-error",
        "documents",
    ),
    (
        "unknown top-level field",
        body({"documents": [doc()], "explain": True}),
        JSON,
        422,
        "validation-error",
        "explain",
    ),
    (
        "duplicate ids",
        body({"documents": [doc(), doc(text="Other.")]}),
        JSON,
        422,
        "validation-error",
        "documents.1.id",
    ),
]


def send(client: FlaskClient, path: str, case: Case) -> TestResponse:
    """POST one table case."""
    _, raw, content_type, *_ = case
    headers = {"Content-Type": content_type} if content_type is not None else {}
    return client.post(path, data=raw, headers=headers)


@pytest.fixture(scope="module")
def limited_app(make_app: MakeApp) -> Flask:
    """Return an app with small limits, so 'too long' and 'too large' are cheap."""
    return make_app(**SMALL_LIMITS)


@pytest.fixture
def limited_client(limited_app: Flask) -> FlaskClient:
    """Return a client of the app with small limits."""
    return limited_app.test_client()


@pytest.mark.parametrize("case", SCORE_CASES, ids=[c[0] for c in SCORE_CASES])
def test_score_rejects_malformed_request(limited_client: FlaskClient, case: Case) -> None:
    response = send(limited_client, "/score", case)
    problem = assert_problem(response, case[3], case[4])
    if case[5] is not None:
        assert case[5] in problem["errors"], problem


@pytest.mark.parametrize("case", BATCH_CASES, ids=[c[0] for c in BATCH_CASES])
def test_batch_rejects_malformed_request(limited_client: FlaskClient, case: Case) -> None:
    response = send(limited_client, "/score/batch", case)
    problem = assert_problem(response, case[3], case[4])
    if case[5] is not None:
        assert case[5] in problem["errors"], problem


# (case id, method, path, status, slug: None means about:blank)
RouteCase = tuple[str, str, str, int, str | None]

ROUTE_CASES: list[RouteCase] = [
    ("GET /score", "GET", "/score", 405, "method-not-allowed"),
    ("PUT /score", "PUT", "/score", 405, "method-not-allowed"),
    ("GET /score/batch", "GET", "/score/batch", 405, "method-not-allowed"),
    ("DELETE /score/batch", "DELETE", "/score/batch", 405, "method-not-allowed"),
    ("POST /signals", "POST", "/signals", 405, "method-not-allowed"),
    ("POST /version", "POST", "/version", 405, "method-not-allowed"),
    ("POST /healthz", "POST", "/healthz", 405, "method-not-allowed"),
    ("POST /readyz", "POST", "/readyz", 405, "method-not-allowed"),
    ("POST /metrics", "POST", "/metrics", 405, "method-not-allowed"),
    ("POST /openapi.json", "POST", "/openapi.json", 405, "method-not-allowed"),
    ("unknown path", "GET", "/nope", 404, "not-found"),
    ("trailing slash", "POST", "/score/", 404, "not-found"),
    ("case differs", "GET", "/Signals", 404, "not-found"),
    ("path traversal", "GET", "/../etc/passwd", 404, "not-found"),
    ("very long path", "GET", "/" + "a" * 5000, 404, "not-found"),
]


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c[0] for c in ROUTE_CASES])
def test_routing_errors_are_problems(client: FlaskClient, case: RouteCase) -> None:
    _, method, path, status, slug = case
    assert_problem(client.open(path, method=method), status, slug)


def test_method_not_allowed_lists_allowed_methods(client: FlaskClient) -> None:
    response = client.get("/score")
    assert "POST" in response.headers["Allow"]


# Every endpoint that needs a key, with a body that would otherwise be valid.
KEYED_REQUESTS = [
    ("POST", "/score", body({"text": "a"})),
    ("POST", "/score/batch", body({"documents": [doc()]})),
    ("GET", "/signals", None),
    ("GET", "/version", None),
    ("GET", "/metrics", None),
    ("GET", "/openapi.json", None),
    ("GET", "/nope", None),
]
BAD_AUTHORIZATION = [
    ("missing", None),
    ("empty", ""),
    ("wrong key", f"Bearer {API_KEYS[0]}x"),
    ("prefix of a key", f"Bearer {API_KEYS[0][:-1]}"),
    ("basic scheme", f"Basic {API_KEYS[0]}"),
    ("no token", "Bearer "),
    ("key without scheme", API_KEYS[0]),
    ("non-ascii token", "Bearer clé-secrète"),
]


@pytest.mark.parametrize(("method", "path", "raw"), KEYED_REQUESTS)
@pytest.mark.parametrize(("label", "authorization"), BAD_AUTHORIZATION)
def test_bad_or_missing_key_is_401(
    keyed_client: FlaskClient,
    method: str,
    path: str,
    raw: bytes | None,
    label: str,
    authorization: str | None,
) -> None:
    headers = {"Content-Type": JSON}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = keyed_client.open(path, method=method, data=raw, headers=headers)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="misinfo-signals"')


def _all_cases() -> list[tuple[str, str, bytes, str | None]]:
    """Return every malformed request of this module as (method, path, body, content type)."""
    cases = [("POST", "/score", c[1], c[2]) for c in SCORE_CASES]
    cases += [("POST", "/score/batch", c[1], c[2]) for c in BATCH_CASES]
    cases += [(c[1], c[2], b"", None) for c in ROUTE_CASES]
    return cases


def test_no_malformed_request_gets_a_500_or_a_stack_trace(limited_client: FlaskClient) -> None:
    client = limited_client
    for method, path, raw, content_type in _all_cases():
        headers = {"Content-Type": content_type} if content_type else {}
        response = client.open(path, method=method, data=raw, headers=headers)
        text = response.get_data(as_text=True)
        assert 400 <= response.status_code < 500, (method, path, raw[:80], text)
        assert response.mimetype == PROBLEM_CONTENT_TYPE
        assert "Traceback" not in text
        assert 'File "' not in text


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["text", "format", "signals", "explain", "thresholds", "id", "documents", "x"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=JSON_VALUES, path=st.sampled_from(["/score", "/score/batch"]))
def test_any_json_value_gets_an_answer_not_a_500(app: Flask, payload: Any, path: str) -> None:
    response = app.test_client().post(path, data=body(payload), content_type=JSON)
    assert response.status_code in (200, 422), response.get_data(as_text=True)


def test_unexpected_exception_is_a_bare_500(
    make_app: MakeApp, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app()

    def broken() -> str:
        article = "a local variable holding article text"
        raise RuntimeError(f"secret internal detail ({len(article)})")

    app.add_url_rule("/broken", view_func=broken)
    capsys.readouterr()
    response = app.test_client().get("/broken")
    problem = assert_problem(response, 500, "internal-error")
    assert "secret internal detail" not in json.dumps(problem)
    err = capsys.readouterr().err
    assert "secret internal detail" in err  # the log keeps the error ...
    assert "holding article text" not in err  # ... but never local variables


def test_problem_echoing_a_lone_surrogate_is_still_valid_json(client: FlaskClient) -> None:
    response = client.post("/score", data=b'{"text": "a", "\\udc00": 1}', content_type=JSON)
    problem = assert_problem(response, 422, "validation-error")
    assert "\udc00" in problem["errors"]


@pytest.mark.parametrize(("size", "status"), [(20_000, 413), (40, 200)])
def test_chunked_body_is_limited_while_it_is_read(
    limited_client: FlaskClient, size: int, status: int
) -> None:
    # No Content-Length (chunked transfer): the limit applies while the body is read.
    response = limited_client.post(
        "/score",
        input_stream=io.BytesIO(body({"text": "a" * size})),
        content_type=JSON,
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == status
