"""Reading request bodies and writing JSON responses, with the API's strictness."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from service.api.jsonio import BodyError, decode_json, dumps
from service.api.problems import (
    INVALID_ENCODING,
    MALFORMED_JSON,
    UNSUPPORTED_MEDIA_TYPE,
    VALIDATION_ERROR,
    ProblemError,
)
from service.api.validation import RequestInvalid

JSON_CONTENT_TYPE = "application/json"
_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,128}")


def request_id(header: str | None) -> str:
    """Return the caller's X-Request-ID if it is 1-128 visible ASCII characters, else a new one."""
    if header is not None and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _check_content_type() -> None:
    """Refuse bodies not declared as UTF-8 JSON, before reading them."""
    mimetype = request.mimetype
    if mimetype != JSON_CONTENT_TYPE and not (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    ):
        shown = mimetype or "none"
        raise ProblemError(
            UNSUPPORTED_MEDIA_TYPE, f"the body must be application/json, not {shown}"
        )
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.lower() not in ("utf-8", "utf8"):
        raise ProblemError(UNSUPPORTED_MEDIA_TYPE, f"the body must be UTF-8, not {charset}")


def _read_body() -> bytes:
    """Read the body, refusing more than MAX_CONTENT_LENGTH bytes with 413."""
    if request.content_length is not None or "wsgi.input_terminated" not in request.environ:
        # werkzeug answers 413 from the Content-Length header alone, before reading anything.
        return request.get_data(cache=False)
    # A streamed (chunked) body: werkzeug would stop *silently* at the limit and hand over a
    # truncated body, so read the server's stream ourselves, one byte past the limit.
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    stream = request.environ["wsgi.input"]
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(1 << 16, limit + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise RequestEntityTooLarge()
    return b"".join(chunks)


def read_json_body() -> Any:
    """Return the decoded JSON body; 415, 413 (body limit, before reading) or 400 otherwise."""
    _check_content_type()
    raw = _read_body()
    try:
        return decode_json(raw)
    except BodyError as exc:
        problem = INVALID_ENCODING if exc.kind == "encoding" else MALFORMED_JSON
        raise ProblemError(problem, exc.detail) from None


def invalid(exc: RequestInvalid) -> ProblemError:
    """Return the 422 for a request that failed validation."""
    return ProblemError(VALIDATION_ERROR, "the request failed validation", errors=exc.errors)


def json_response(payload: Any, status: int = 200) -> Response:
    """Return payload as compact UTF-8 JSON (the same bytes the CLI prints)."""
    return current_app.response_class(dumps(payload), status=status, mimetype=JSON_CONTENT_TYPE)
