"""Logs captured under load hold no article text and no API key, at the most verbose level."""

from __future__ import annotations

import json
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from rel_helpers import ARTICLE, Load, Server, launch

pytestmark = pytest.mark.e2e

KEY = "log-key-" + secrets.token_hex(12)
WRONG_KEY = "wrong-key-" + secrets.token_hex(12)
CANARY = "Zqvlorbex" + secrets.token_hex(6)  # one word no log could contain by chance
TEXT = f"{ARTICLE} The {CANARY} agency reportedly hid the figures."


@pytest.fixture(scope="module")
def loaded_log(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run a debug-level server through load and hostile requests; yield everything it logged."""
    log = tmp_path_factory.mktemp("logs") / "server.log"
    server = launch(
        tiny_model_dir, log, MISINFO_WORKERS="2", MISINFO_API_KEYS=KEY, MISINFO_LOG_LEVEL="debug"
    )
    try:
        auth = {"Authorization": f"Bearer {KEY}"}
        with Load(server.url, auth, clients=4, text=TEXT) as load, ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda call: call(server), HOSTILE_CALLS * 5))
            time.sleep(2.0)  # keep the load running a little beyond the hostile calls
        assert load.failures == 0, dict(load.outcomes)
    finally:
        server.stop()
    return log.read_text(encoding="utf-8", errors="replace")


def _wrong_key(server: Server) -> int:
    """Score with a wrong key."""
    headers = {"Authorization": f"Bearer {WRONG_KEY}"}
    return requests.post(f"{server.url}/score", json={"text": TEXT}, headers=headers).status_code


def _malformed(server: Server) -> int:
    """Send a body that breaks off in the middle of the text."""
    body = json.dumps({"text": TEXT})[:-5].encode()
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    return requests.post(f"{server.url}/score", data=body, headers=headers).status_code


def _invalid(server: Server) -> int:
    """Send the text where a number belongs and an unknown field named after it."""
    body: dict[str, Any] = {"text": TEXT, "thresholds": {"hedging": TEXT}, CANARY: TEXT}
    headers = {"Authorization": f"Bearer {KEY}"}
    return requests.post(f"{server.url}/score", json=body, headers=headers).status_code


def _batch(server: Server) -> int:
    """Score a batch with one bad document."""
    body: dict[str, Any] = {"documents": [{"id": "a", "text": TEXT}, {"id": "b", "text": 5}]}
    headers = {"Authorization": f"Bearer {KEY}"}
    return requests.post(f"{server.url}/score/batch", json=body, headers=headers).status_code


HOSTILE_CALLS = [_wrong_key, _malformed, _invalid, _batch]


def test_logs_were_captured_under_load(loaded_log: str) -> None:
    requests_logged = [line for line in loaded_log.splitlines() if '"event":"request"' in line]
    assert len(requests_logged) > 50


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param(CANARY, id="article-word"),
        pytest.param("reportedly hid the figures", id="article-phrase"),
        pytest.param("People familiar with the talks", id="article-sentence"),
        pytest.param(KEY, id="api-key"),
        pytest.param(WRONG_KEY, id="wrong-key"),
    ],
)
def test_no_log_line_holds_a_secret(loaded_log: str, secret: str) -> None:
    leaks = [line for line in loaded_log.splitlines() if secret in line]
    assert not leaks, leaks[:3]
