"""Small helpers shared by the dataset loaders: reading text exactly and sentence splitting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol


class SentenceLike(Protocol):
    """What a loader needs from a segmenter's sentence: exact offsets into the text."""

    @property
    def start(self) -> int:
        """Return the first code point of the sentence."""
        ...

    @property
    def end(self) -> int:
        """Return the code point after the sentence."""
        ...


Splitter = Callable[[str], Sequence[SentenceLike]]


def read_exact(path: Path) -> str:
    """Read UTF-8 text without newline translation, so offsets match the annotations."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def default_splitter() -> Splitter:
    """Return the service's sentence splitter (imported lazily: it is an optional dependency)."""
    from service.core.segment import split_sentences

    def split(text: str) -> Sequence[SentenceLike]:
        return split_sentences(text)

    return split


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
