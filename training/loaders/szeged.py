"""Szeged Uncertainty Corpus loader: <Sentence> elements with <ccue> cues -> hedging rows.

wiki.xml and factbank.xml are news-like enough for the default table; the BioScope files
(bio_*.xml) load under their own dataset names but stay out of load_all's defaults.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from training.labels import ATTRIBUTION_ONLY_CUES, HEDGING, szeged_hedging
from training.table import Row, split_by_hash, squash_space

PARTS = {"wiki": "wiki.xml", "factbank": "factbank.xml"}
BIO_PARTS = {"bio_bmc": "bio_bmc.xml", "bio_fly": "bio_fly.xml", "bio_hbc": "bio_hbc.xml"}
_WORD = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")


def dataset_name(part: str) -> str:
    """Return the table's dataset name for one Szeged file."""
    return f"szeged_{part}"


Sentence = tuple[str, str, list[tuple[str, str]]]  # doc id, text, (cue type, cue text) pairs


def iter_sentences(path: Path, part: str) -> Iterator[Sentence]:
    """Yield (doc id, sentence text, cues) for the body sentences of one Szeged XML file."""
    root = ET.parse(path).getroot()  # noqa: S314 - local research files
    for document in root.iter("Document"):
        doc_id = squash_space(document.findtext("DocID") or "")
        doc = f"szeged/{part}/{doc_id}"
        for section in document.iter("DocumentPart"):
            if section.get("type") == "Title":
                continue  # headings are not sentences
            for sentence in section:
                if sentence.tag.lower() != "sentence":
                    continue
                text = squash_space("".join(sentence.itertext()))
                cues = [
                    (cue.get("type") or "", squash_space("".join(cue.itertext())))
                    for cue in sentence.iter("ccue")
                ]
                if text:
                    yield doc, text, cues


def load(data_dir: Path, parts: dict[str, str] | None = None) -> list[Row]:
    """Load Szeged sentences (wiki and factbank by default) as hedging rows split by document."""
    rows: list[Row] = []
    for part, filename in (parts or PARTS).items():
        path = data_dir / "szeged_uncertainty" / filename
        prev_doc, prev = "", ""
        for doc, text, cues in iter_sentences(path, part):
            if doc != prev_doc:
                prev_doc, prev = doc, ""
            labels = {HEDGING: szeged_hedging(cues)}
            rows.append(Row(text, prev, dataset_name(part), doc, split_by_hash(doc), labels))
            prev = text
    return rows


def _words(text: str) -> tuple[str, ...]:
    """Lowercase word tokens used to match cue phrases against sentences."""
    return tuple(_WORD.findall(text.lower()))


def speculation_cues(szeged_dir: Path, min_count: int = 2, min_precision: float = 0.2) -> list[str]:
    """Collect speculation cue phrases from train-split wiki and factbank documents.

    A phrase is kept when it was a cue at least ``min_count`` times and in at least
    ``min_precision`` of the train sentences that contain it (so "will" or "can", cues only in
    rare readings, drop out). Attribution words are left to the other signals.
    """
    cue_counts: Counter[tuple[str, ...]] = Counter()
    sentences: list[tuple[str, ...]] = []
    for part, filename in PARTS.items():
        for doc, text, cues in iter_sentences(szeged_dir / filename, part):
            if split_by_hash(doc) != "train":
                continue
            sentences.append(_words(text))
            for kind, cue in cues:
                phrase = _words(cue)
                if kind.replace(" ", "").startswith("speculation") and phrase:
                    cue_counts[phrase] += 1
    seen: Counter[tuple[str, ...]] = Counter()
    lengths = {len(p) for p in cue_counts}
    for words in sentences:
        present = {
            words[i : i + n] for n in lengths for i in range(len(words) - n + 1)
        } & cue_counts.keys()
        seen.update(present)
    return [
        " ".join(phrase)
        for phrase, n in cue_counts.most_common()
        if n >= min_count
        and n / max(seen[phrase], 1) >= min_precision
        and " ".join(phrase) not in ATTRIBUTION_ONLY_CUES
    ]
