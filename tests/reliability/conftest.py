"""Fixtures for the reliability tests: an app around the tiny model and one real gunicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from rel_helpers import Server, launch

from service import create_app
from service.core.model import Model

REL_KEY = "rel-key-5f3a9c1e7b2d4068"


@pytest.fixture(scope="session")
def rel_app(tiny_model: Model) -> Flask:
    """Return an app with default limits around the tiny model."""
    return create_app({"TESTING": True, "MODEL": tiny_model})


@pytest.fixture(scope="session")
def rel_key() -> str:
    """Return the API key rel_server accepts."""
    return REL_KEY


@pytest.fixture(scope="session")
def rel_server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Start one gunicorn (tiny model, two workers, an API key) for the session."""
    log = tmp_path_factory.mktemp("rel") / "server.log"
    running = launch(tiny_model_dir, log, MISINFO_WORKERS="2", MISINFO_API_KEYS=REL_KEY)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def rel_auth() -> dict[str, str]:
    """Return the Authorization header rel_server accepts."""
    return {"Authorization": f"Bearer {REL_KEY}"}
