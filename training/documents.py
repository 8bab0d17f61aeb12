"""Resolve the project's document ids ("polnear/dev/<stem>", "ptc/test/article<ID>") to texts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from training.loaders._common import document_path, read_exact


@lru_cache(maxsize=4096)
def read_document(data_dir: Path, doc: str) -> str:
    """Return a document's exact text (cached: gold and annotation files revisit articles)."""
    return read_exact(document_path(data_dir, doc))
