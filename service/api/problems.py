"""RFC 9457 problem details: the one error shape of the HTTP API.

Every error response, whoever raises it (a view, werkzeug routing, the body limit, the core's
domain errors, an unexpected bug), is ``application/problem+json`` with the members
``{type, title, status, detail}`` and, for validation failures, ``errors``: a map from the
dotted path of the offending field (``text``, ``thresholds.hedging``, ``documents.2.id``;
``_body`` for the body as a whole) to a list of messages.

``type`` is ``https://misinfo-signals.dev/problems/<slug>``; the slugs below are stable API.
Any other HTTP error werkzeug raises uses ``about:blank`` with the status phrase as title.

    slug                     status  when
    malformed-json           400     the body is not one JSON value (syntax, duplicate keys, NaN)
    invalid-encoding         400     the body is not UTF-8
    unauthorized             401     API keys are configured and the bearer token is missing/wrong
    not-found                404     no endpoint at this path
    method-not-allowed       405     the endpoint exists but not for this method
    payload-too-large        413     the body is longer than MISINFO_MAX_BODY_BYTES (not read)
    unsupported-media-type   415     the body is not declared as application/json (UTF-8)
    validation-error         422     well-formed JSON the API cannot accept (field -> messages)
    internal-error           500     a bug; the details are in the log, never in the response
    not-ready                503     no usable model is loaded
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from service.api.jsonio import dumps
from service.core.errors import (
    InputError,
    InvalidThresholdError,
    ModelError,
    TextTooLongError,
    UnknownSignalError,
)
from service.logging import get_logger

PROBLEM_BASE = "https://misinfo-signals.dev/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"
BLANK = "about:blank"

Errors = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One kind of error: a stable slug, its HTTP status and a short title."""

    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        """Return the problem type URI."""
        return PROBLEM_BASE + self.slug


MALFORMED_JSON = ProblemType("malformed-json", 400, "Malformed JSON")
INVALID_ENCODING = ProblemType("invalid-encoding", 400, "Body is not UTF-8")
UNAUTHORIZED = ProblemType("unauthorized", 401, "Missing or invalid API key")
NOT_FOUND = ProblemType("not-found", 404, "Not found")
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", 405, "Method not allowed")
PAYLOAD_TOO_LARGE = ProblemType("payload-too-large", 413, "Request body too large")
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", 415, "Unsupported media type")
VALIDATION_ERROR = ProblemType("validation-error", 422, "Validation failed")
INTERNAL_ERROR = ProblemType("internal-error", 500, "Internal server error")
NOT_READY = ProblemType("not-ready", 503, "Service not ready")

PROBLEM_TYPES: tuple[ProblemType, ...] = (
    MALFORMED_JSON,
    INVALID_ENCODING,
    UNAUTHORIZED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION_ERROR,
    INTERNAL_ERROR,
    NOT_READY,
)
_FOR_HTTP_STATUS = {
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    413: PAYLOAD_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
}


class ProblemError(Exception):
    """Raise to answer the request with a problem document."""

    def __init__(
        self,
        problem: ProblemType,
        detail: str,
        *,
        errors: Errors | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}

    def to_dict(self) -> dict[str, Any]:
        """Return the problem document."""
        return problem_body(self.problem, self.detail, self.errors)


def problem_body(problem: ProblemType, detail: str, errors: Errors | None = None) -> dict[str, Any]:
    """Return a problem document for a known problem type."""
    body: dict[str, Any] = {
        "type": problem.uri,
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """Return a problem document as an application/problem+json response."""
    response = current_app.response_class(
        dumps(body), status=int(body["status"]), mimetype=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def input_error_problem(exc: InputError) -> ProblemError:
    """Translate a core input error into a 422 naming the field it concerns."""
    field = "_body"
    if isinstance(exc, TextTooLongError):
        field = "text"
    elif isinstance(exc, UnknownSignalError):
        field = "signals"
    elif isinstance(exc, InvalidThresholdError):
        field = "thresholds"
    return ProblemError(
        VALIDATION_ERROR, "the request failed validation", errors={field: [str(exc)]}
    )


def _http_exception(exc: HTTPException) -> Response:
    """Answer any werkzeug HTTP error (routing, body limit) with a problem document."""
    status = exc.code or 500
    # Keep headers such as Allow (405); werkzeug's own HTML content type is replaced.
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    known = _FOR_HTTP_STATUS.get(status)
    if known is NOT_FOUND:
        detail = "no endpoint at this path; GET /openapi.json lists them"
    elif known is METHOD_NOT_ALLOWED:
        detail = f"{request.method} is not allowed here; allowed: {headers.get('Allow', 'none')}"
    elif known is PAYLOAD_TOO_LARGE:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        detail = f"the request body is larger than the limit of {limit} bytes"
    else:
        detail = exc.description or HTTPStatus(status).phrase
    if known is not None:
        return problem_response(problem_body(known, detail), headers)
    body = {"type": BLANK, "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    return problem_response(body, headers)


def _problem_error(exc: ProblemError) -> Response:
    """Answer a ProblemError raised by a view or a hook."""
    return problem_response(exc.to_dict(), exc.headers)


def _input_error(exc: InputError) -> Response:
    """Answer a core input error the API's own validation did not catch first."""
    return _problem_error(input_error_problem(exc))


def _model_error(exc: ModelError) -> Response:
    """Answer a model failure with 503; the file path goes to the log only."""
    get_logger().error("model_error", error=str(exc))
    return problem_response(problem_body(NOT_READY, "the model cannot be used; see the server log"))


def _unexpected(exc: Exception) -> Response:
    """Answer a bug with a bare 500; the traceback goes to the log, never to the client."""
    get_logger().error("unhandled_exception", exc_info=exc)
    return problem_response(
        problem_body(INTERNAL_ERROR, "the server failed to answer this request; see the server log")
    )


def register_problem_handlers(app: Flask) -> None:
    """Route every error the app can raise to a problem+json response."""
    app.register_error_handler(ProblemError, _problem_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(InputError, _input_error)
    app.register_error_handler(ModelError, _model_error)
    app.register_error_handler(Exception, _unexpected)
