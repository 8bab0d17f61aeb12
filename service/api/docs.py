"""The OpenAPI side of flask-smorest: the Api subclass, spec options and doc helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask_smorest import Api, Blueprint

from service.api.problems import PROBLEM_BASE, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES
from service.api.schemas import (
    BatchFailedSchema,
    BatchRequestSchema,
    BatchScoredSchema,
    ProblemSchema,
    ScoreRequestSchema,
)

F = TypeVar("F", bound=Callable[..., Any])

OPENAPI_VERSION = "3.1.0"
API_TITLE = "misinfo-signals"
SECURITY_SCHEME = "bearerAuth"


def _description() -> str:
    """Return the spec's top-level description, including the problem type table."""
    rows = "\n".join(
        f"| `{PROBLEM_BASE}{p.slug}` | {p.status} | {p.title} |" for p in PROBLEM_TYPES
    )
    return (
        "Scores each sentence of a news article for misinformation signals.\n\n"
        "Offsets are Unicode code-point offsets into the submitted text, end exclusive.\n\n"
        "When `MISINFO_API_KEYS` is set, every endpoint except `/healthz` and `/readyz` needs "
        "`Authorization: Bearer <key>`.\n\n"
        "Errors are RFC 9457 `application/problem+json` documents `{type, title, status, detail, "
        "errors?}`; `errors` maps a dotted field path (`_body` for the body as a whole) to "
        "messages. A body that is not one UTF-8 JSON value is a 400: that includes an object "
        "repeating a key and the non-JSON NaN/Infinity. Problem types:\n\n"
        "| type | status | title |\n|---|---|---|\n"
        f"{rows}\n\n"
        "Other HTTP errors use `about:blank`."
    )


def api_config(package_version: str) -> dict[str, Any]:
    """Return the Flask config keys flask-smorest reads."""
    return {
        "API_TITLE": API_TITLE,
        "API_VERSION": package_version,
        "OPENAPI_VERSION": OPENAPI_VERSION,
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {"description": _description()},
            "security": [{SECURITY_SCHEME: []}],
            "components": {
                "securitySchemes": {
                    SECURITY_SCHEME: {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "One of MISINFO_API_KEYS (only when it is set).",
                    }
                }
            },
        },
    }


class ProblemApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, with errors left to service.api.problems and no generic error doc."""

    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Leave error handling to register_problem_handlers (one problem+json shape)."""

    def register_schemas(self) -> None:
        """Name the request and batch-result schemas the docs refer to by $ref."""
        self.spec.components.schema("Problem", schema=ProblemSchema)
        self.spec.components.schema("ScoreRequest", schema=ScoreRequestSchema)
        self.spec.components.schema("BatchRequest", schema=BatchRequestSchema)
        self.spec.components.schema("BatchScored", schema=BatchScoredSchema)
        self.spec.components.schema("BatchFailed", schema=BatchFailedSchema)


def json_request_body(schema_name: str, description: str) -> dict[str, Any]:
    """Return an OpenAPI requestBody referring to a registered schema."""
    return {
        "required": True,
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


_PROBLEM_DESCRIPTIONS = {
    400: "Malformed JSON or a body that is not UTF-8.",
    401: "Missing or invalid API key.",
    413: "The body is larger than MISINFO_MAX_BODY_BYTES.",
    415: "The body is not declared as application/json.",
    422: "The body failed validation; errors maps fields to messages.",
    503: "No model is loaded.",
}


def route(blp: Blueprint, rule: str, method: str) -> Callable[[F], F]:
    """Register a view for one method (a typed wrapper over flask-smorest's decorator)."""
    decorator: Callable[[F], F] = blp.route(rule, methods=[method])
    return decorator


def describe(**doc: Any) -> Callable[[F], F]:
    """Add OpenAPI operation fields (requestBody, security, ...) to a view."""
    decorator: Callable[[F], F] = Blueprint.doc(**doc)
    return decorator


def responds(
    blp: Blueprint,
    status: int,
    schema: Any,
    description: str,
    *,
    content_type: str | None = None,
    success: bool = True,
) -> Callable[[F], F]:
    """Document a response without serializing through it (views build their JSON)."""
    decorator: Callable[[F], F] = blp.alt_response(
        status,
        schema=schema,
        description=description,
        content_type=content_type,
        success=success,
    )
    return decorator


def documents_problems(blp: Blueprint, *statuses: int) -> Callable[[F], F]:
    """Document the problem+json responses an endpoint can give."""

    def decorate(view: F) -> F:
        for status in statuses:
            view = responds(
                blp,
                status,
                ProblemSchema,
                _PROBLEM_DESCRIPTIONS[status],
                content_type=PROBLEM_CONTENT_TYPE,
                success=False,
            )(view)
        return view

    return decorate


def public(view: F) -> F:
    """Document that an endpoint needs no API key."""
    return describe(security=[])(view)
