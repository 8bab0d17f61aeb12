"""Operational endpoints, authentication, readiness and the app factory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from api_helpers import API_KEYS, JSON, MakeApp, assert_problem, body
from flask.testing import FlaskClient

from service import StartupError, create_app
from service.core.model import Model
from service.core.signals import KNOWN_SIGNALS


def test_healthz_is_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_names_the_loaded_model(client: FlaskClient, tiny_model: Model) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "model": {"name": tiny_model.name, "version": tiny_model.version},
    }


def test_version_reports_package_model_and_libraries(
    client: FlaskClient, tiny_model: Model
) -> None:
    result = client.get("/version").get_json()
    assert result["name"] == "misinfo-signals"
    assert result["version"]
    assert result["model"]["sha256"] == tiny_model.sha256
    assert result["model"]["name"] == tiny_model.name
    assert result["model"]["trained_with"]["scikit-learn"]
    assert {"python", "flask", "scikit-learn", "numpy", "gunicorn"} <= set(result["libraries"])


def test_signals_lists_the_model_signals_with_taxonomy_and_thresholds(
    client: FlaskClient, tiny_model: Model
) -> None:
    result = client.get("/signals").get_json()
    assert [s["id"] for s in result["signals"]] == list(tiny_model.signals)
    for signal in result["signals"]:
        assert signal["description"] == KNOWN_SIGNALS[signal["id"]].description
        assert signal["core"] is KNOWN_SIGNALS[signal["id"]].core
        assert signal["threshold"] == tiny_model.thresholds[signal["id"]]


# -- not ready --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unready_client() -> FlaskClient:
    """Return a client of an app started without a model (MODEL_DIR None)."""
    return create_app({"MODEL_DIR": None, "TESTING": True}).test_client()


@pytest.mark.parametrize(
    ("method", "path", "raw"),
    [
        ("GET", "/readyz", None),
        ("GET", "/signals", None),
        ("POST", "/score", body({"text": "a"})),
        ("POST", "/score/batch", body({"documents": [{"id": "a", "text": "a"}]})),
    ],
)
def test_without_a_model_scoring_endpoints_are_503(
    unready_client: FlaskClient, method: str, path: str, raw: bytes | None
) -> None:
    response = unready_client.open(path, method=method, data=raw, content_type=JSON)
    assert_problem(response, 503, "not-ready")


@pytest.mark.parametrize("path", ["/healthz", "/version", "/metrics", "/openapi.json"])
def test_without_a_model_other_endpoints_answer(unready_client: FlaskClient, path: str) -> None:
    assert unready_client.get(path).status_code == 200


def test_without_a_model_version_has_no_model(unready_client: FlaskClient) -> None:
    assert unready_client.get("/version").get_json()["model"] is None


# -- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", API_KEYS)
@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_any_configured_key_is_accepted(keyed_client: FlaskClient, key: str, scheme: str) -> None:
    response = keyed_client.post(
        "/score",
        data=body({"text": "The council met."}),
        content_type=JSON,
        headers={"Authorization": f"{scheme} {key}"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_need_no_key(keyed_client: FlaskClient, path: str) -> None:
    assert keyed_client.get(path).status_code == 200


def test_missing_key_is_told_apart_from_a_wrong_one(keyed_client: FlaskClient) -> None:
    missing = keyed_client.get("/signals")
    wrong = keyed_client.get("/signals", headers={"Authorization": "Bearer nope"})
    assert "error=" not in missing.headers["WWW-Authenticate"]
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]


def test_keys_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tiny_model: Model) -> None:
    monkeypatch.setenv("MISINFO_API_KEYS", " env-key-1 , env-key-2 ,")
    client = create_app({"MODEL": tiny_model}).test_client()
    assert client.get("/signals").status_code == 401
    assert client.get("/signals", headers={"Authorization": "Bearer env-key-2"}).status_code == 200


# -- the factory ------------------------------------------------------------------------------


def test_create_app_loads_the_model_from_model_dir(tiny_model_dir: Path) -> None:
    client = create_app({"MODEL_DIR": str(tiny_model_dir)}).test_client()
    assert client.get("/readyz").status_code == 200


def test_create_app_reads_model_dir_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tiny_model_dir: Path, tiny_model: Model
) -> None:
    monkeypatch.setenv("MISINFO_MODEL_DIR", str(tiny_model_dir))
    version = create_app().test_client().get("/version").get_json()
    assert version["model"]["sha256"] == tiny_model.sha256


@pytest.mark.parametrize("damage", ["missing", "truncated", "mismatched"])
def test_unusable_model_stops_the_app_naming_the_file(
    tiny_model_dir: Path, tmp_path: Path, damage: str
) -> None:
    model_dir = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model_dir)
    model_file = model_dir / "model.joblib"
    if damage == "missing":
        model_file.unlink()
    elif damage == "truncated":
        model_file.write_bytes(model_file.read_bytes()[:100])
    else:
        metadata = json.loads((model_dir / "metadata.json").read_text())
        metadata["sha256"] = "0" * 64
        (model_dir / "metadata.json").write_text(json.dumps(metadata))
    with pytest.raises(StartupError, match="cannot load the model") as caught:
        create_app({"MODEL_DIR": model_dir})
    assert str(model_file) in str(caught.value)


def test_invalid_setting_stops_the_app_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tiny_model: Model
) -> None:
    monkeypatch.setenv("MISINFO_MAX_BATCH", "lots")
    with pytest.raises(StartupError, match="MISINFO_MAX_BATCH"):
        create_app({"MODEL": tiny_model})


def test_config_overrides_reach_the_limits(make_app: MakeApp) -> None:
    client = make_app(MAX_CHARS="5").test_client()
    response = client.post("/score", data=body({"text": "123456"}), content_type=JSON)
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"]["text"] == ["Longer than the limit of 5 characters (got 6)."]
