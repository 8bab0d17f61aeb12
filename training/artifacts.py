"""Write a model directory: model.joblib plus metadata.json recording its sha256."""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

import joblib
from sklearn.pipeline import Pipeline

from service.core.model import METADATA_FILE, MODEL_FILE, file_sha256

_LIBRARIES = ("scikit-learn", "numpy", "scipy", "joblib")


def library_versions() -> dict[str, str]:
    """Return the versions of the libraries the pickled model depends on."""
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        versions[name] = package_metadata.version(name)
    return versions


def save_model(
    pipeline: Pipeline,
    model_dir: Path,
    *,
    name: str,
    version: str,
    thresholds: Mapping[str, float],
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Dump the fitted pipeline, then write metadata.json with its sha256; return the metadata."""
    model_dir.mkdir(parents=True, exist_ok=True)
    model_path = model_dir / MODEL_FILE
    joblib.dump(pipeline, model_path, compress=("zlib", 6))
    signals = list(pipeline.steps[-1][1].signals)
    metadata: dict[str, Any] = {
        "name": name,
        "version": version,
        "signals": signals,
        "thresholds": {s: round(float(thresholds[s]), 4) for s in signals},
        "sha256": file_sha256(model_path),
        "size_bytes": model_path.stat().st_size,
        "libraries": library_versions(),
        **(extra or {}),
    }
    (model_dir / METADATA_FILE).write_text(
        json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return metadata
