"""load_model: the sha256 is checked before unpickling, and every failure names its file."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from service.core.errors import (
    ModelError,
    ModelFileMissingError,
    ModelFormatError,
    ModelIntegrityError,
)
from service.core.model import METADATA_FILE, MODEL_FILE, Model, file_sha256, load_model


@pytest.fixture
def model_dir(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """Return a private copy of the tiny model's folder to damage."""
    target = tmp_path / "model"
    shutil.copytree(tiny_model_dir, target)
    return target


def read_metadata(model_dir: Path) -> dict[str, Any]:
    """Read metadata.json."""
    metadata: dict[str, Any] = json.loads((model_dir / METADATA_FILE).read_text())
    return metadata


def write_metadata(model_dir: Path, metadata: dict[str, Any]) -> None:
    """Write metadata.json."""
    (model_dir / METADATA_FILE).write_text(json.dumps(metadata))


def test_loads_a_verified_model(tiny_model_dir: Path) -> None:
    model = load_model(tiny_model_dir)
    metadata = read_metadata(tiny_model_dir)
    assert isinstance(model, Model)
    assert model.sha256 == metadata["sha256"] == file_sha256(tiny_model_dir / MODEL_FILE)
    assert model.signals == tuple(metadata["signals"])
    assert dict(model.thresholds) == metadata["thresholds"]
    assert (model.name, model.version) == (metadata["name"], metadata["version"])


def test_loaded_model_scores_sentences(tiny_model: Model) -> None:
    rows = tiny_model.vectorize(["Russia provided no evidence.", "The museum opened in 1928."])
    probabilities = tiny_model.probabilities(rows)
    assert probabilities.shape == (2, len(tiny_model.signals))
    no_evidence = tiny_model.signals.index("no_evidence")
    assert probabilities[0, no_evidence] > probabilities[1, no_evidence]


def test_missing_folder_names_the_metadata_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileMissingError) as caught:
        load_model(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere" / METADATA_FILE) in str(caught.value)


def test_missing_model_file_is_named(model_dir: Path) -> None:
    (model_dir / MODEL_FILE).unlink()
    with pytest.raises(ModelFileMissingError) as caught:
        load_model(model_dir)
    assert caught.value.path == model_dir / MODEL_FILE
    assert str(model_dir / MODEL_FILE) in str(caught.value)


def test_truncated_model_fails_the_sha256_check(model_dir: Path) -> None:
    path = model_dir / MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelIntegrityError) as caught:
        load_model(model_dir)
    assert caught.value.actual == file_sha256(path)
    assert caught.value.expected == read_metadata(model_dir)["sha256"]
    message = str(caught.value)
    assert str(path) in message
    assert caught.value.expected in message
    assert caught.value.actual in message


def test_wrong_sha256_in_metadata_names_both_values(model_dir: Path) -> None:
    metadata = read_metadata(model_dir)
    metadata["sha256"] = "ab" * 32
    write_metadata(model_dir, metadata)
    with pytest.raises(ModelIntegrityError, match="ab" * 32):
        load_model(model_dir)


class _Tripwire:
    """Unpickling this touches a marker file: proof that a pickle was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_a_swapped_pickle_is_never_unpickled(model_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    (model_dir / MODEL_FILE).write_bytes(pickle.dumps(_Tripwire(marker)))
    with pytest.raises(ModelIntegrityError):
        load_model(model_dir)
    assert not marker.exists()


def test_corrupt_file_with_matching_sha256_is_a_format_error(model_dir: Path) -> None:
    path = model_dir / MODEL_FILE
    path.write_bytes(b"this is not a joblib file")
    metadata = read_metadata(model_dir)
    metadata["sha256"] = file_sha256(path)
    write_metadata(model_dir, metadata)
    with pytest.raises(ModelFormatError, match="cannot unpickle") as caught:
        load_model(model_dir)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "unreadable metadata"),
        ("[]", "metadata lacks"),
        (json.dumps({"name": "x"}), "metadata lacks version, signals, thresholds, sha256"),
    ],
)
def test_bad_metadata_is_a_format_error(model_dir: Path, content: str, message: str) -> None:
    (model_dir / METADATA_FILE).write_text(content)
    with pytest.raises(ModelFormatError, match=message):
        load_model(model_dir)


def test_signals_disagreeing_with_the_model_are_a_format_error(model_dir: Path) -> None:
    metadata = read_metadata(model_dir)
    metadata["signals"] = list(reversed(metadata["signals"]))
    write_metadata(model_dir, metadata)
    with pytest.raises(ModelFormatError, match="does not match the signals"):
        load_model(model_dir)


def test_every_model_error_is_a_model_error() -> None:
    for error in (ModelFileMissingError, ModelIntegrityError, ModelFormatError):
        assert issubclass(error, ModelError)
