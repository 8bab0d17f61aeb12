"""Helpers shared by the API tests (a plain module: conftest files are not for importing)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse

from service.api.problems import PROBLEM_BASE, PROBLEM_CONTENT_TYPE

API_KEYS = ("first-key-0123456789", "second-key-abcdefghij")
JSON = "application/json"

MakeApp = Callable[..., Flask]
Post = Callable[..., TestResponse]


def body(payload: Any) -> bytes:
    """Serialize a payload the way a client would."""
    return json.dumps(payload).encode("utf-8")


def assert_problem(response: TestResponse, status: int, slug: str | None) -> dict[str, Any]:
    """Assert response is a problem document of this status and type (None: about:blank)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_CONTENT_TYPE
    problem: dict[str, Any] = json.loads(response.get_data())
    assert (
        {"type", "title", "status", "detail"}
        <= set(problem)
        <= {
            "type",
            "title",
            "status",
            "detail",
            "errors",
        }
    )
    assert problem["status"] == status
    assert problem["type"] == (PROBLEM_BASE + slug if slug is not None else "about:blank")
    return problem
