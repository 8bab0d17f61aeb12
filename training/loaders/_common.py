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
