"""Build benchmark articles from real news sentences, read at run time and never stored.

The sentence pool is every sentence of the PTC dev articles in ../shared/data (news text with
realistic sentence lengths); without the data it falls back to the hand-written sentences of
check_speed.py, which are shorter, so figures from the fallback are optimistic.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

from benchmarks.check_speed import SENTENCES
from service.core.segment import split_sentences

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE_ARTICLE = SHARED / "examples" / "kremlin-drone-claims.txt"
PTC_DEV = SHARED / "data" / "ptc_semeval2020" / "dev-articles"
SEED = 11
MIN_WORDS = 4  # headlines and bylines shorter than this are not sentences (SIGNALS.md)


@cache
def sentence_pool() -> tuple[str, tuple[str, ...]]:
    """Return (source name, sentences): real news sentences when the data is present."""
    pool: list[str] = []
    if PTC_DEV.is_dir():
        for path in sorted(PTC_DEV.glob("article*.txt")):
            text = path.read_text(encoding="utf-8")
            pool.extend(
                s.text
                for s in split_sentences(text)
                if len(s.text.split()) >= MIN_WORDS and "\n" not in s.text
            )
    if pool:
        return "ptc-dev-sentences", tuple(pool)
    return "check_speed-sentences", SENTENCES


def article(sentences: int, seed: int = SEED) -> str:
    """Return a plain-text article of `sentences` pool sentences in paragraphs of 3 to 6."""
    rng = random.Random(seed)
    pool = sentence_pool()[1]
    paragraphs: list[str] = []
    left = sentences
    while left > 0:
        size = min(left, rng.randint(3, 6))
        paragraphs.append(" ".join(rng.choice(pool) for _ in range(size)))
        left -= size
    return "\n\n".join(paragraphs) + "\n"


def article_of_chars(chars: int, seed: int = SEED) -> str:
    """Return an article as long as possible without exceeding `chars` code points."""
    count = max(1, chars // 60)
    text = article(count, seed)
    while len(text) > chars:
        count -= max(1, (len(text) - chars) // 200)
        text = article(count, seed)
    return text


def example_article() -> tuple[str, str]:
    """Return (name, text) of the README's example article, or a 40-sentence stand-in."""
    if EXAMPLE_ARTICLE.is_file():
        return EXAMPLE_ARTICLE.name, EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    return "synthetic-40-sentences", article(40)
