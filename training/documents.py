"""Resolve the project's document ids ("polnear/dev/<stem>", "ptc/test/article<ID>") to texts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from training.loaders._common import read_exact


class UnknownDocumentError(ValueError):
    """A document id names no known dataset layout."""


def document_path(data_dir: Path, doc: str) -> Path:
    """Return the text file of a document id under the data directory."""
    corpus, split, name = [*doc.split("/", 2), "", ""][:3]
    if corpus == "polnear" and split in {"train", "dev"} and name:
        return data_dir / "polnear" / "data" / split / "text" / f"{name}.txt"
    if corpus == "ptc" and split in {"train", "dev", "test"} and name.startswith("article"):
        return data_dir / "ptc_semeval2020" / f"{split}-articles" / f"{name}.txt"
    raise UnknownDocumentError(f"unknown document id {doc!r}")


@lru_cache(maxsize=4096)
def read_document(data_dir: Path, doc: str) -> str:
    """Return a document's exact text (cached: gold and annotation files revisit articles)."""
    return read_exact(document_path(data_dir, doc))
