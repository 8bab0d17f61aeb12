"""Fixtures for the HTTP API tests: apps built by the real factory around the tiny model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from api_helpers import API_KEYS, JSON, MakeApp, Post, body
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service import create_app
from service.core.model import Model


@pytest.fixture(scope="session")
def make_app(tiny_model: Model) -> MakeApp:
    """Return a factory for apps around the tiny model; keyword arguments are config keys."""

    def make(**config: Any) -> Flask:
        config.setdefault("MODEL", tiny_model)
        return create_app({"TESTING": True, **config})

    return make


@pytest.fixture(scope="session")
def app(make_app: MakeApp) -> Flask:
    """Return an app with default settings and no API keys (shared: do not count on its metrics)."""
    return make_app()


@pytest.fixture(scope="session")
def keyed_app(make_app: MakeApp) -> Flask:
    """Return an app that requires one of API_KEYS."""
    return make_app(API_KEYS=API_KEYS)


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    """Return a test client of the default app."""
    with app.test_client() as test_client:
        yield test_client


@pytest.fixture
def keyed_client(keyed_app: Flask) -> Iterator[FlaskClient]:
    """Return a test client of an app that requires one of API_KEYS."""
    with keyed_app.test_client() as test_client:
        yield test_client


@pytest.fixture
def post_json(client: FlaskClient) -> Post:
    """Return a helper that POSTs a JSON-serialized payload to the default app."""

    def post(path: str, payload: Any, **kwargs: Any) -> TestResponse:
        return client.post(path, data=body(payload), content_type=JSON, **kwargs)

    return post
