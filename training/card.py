"""Render MODEL_CARD.md from the evaluation report, so the card's figures are the measured ones."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from service.core.model import METADATA_FILE
from service.core.signals import CORE_SIGNALS, describe

SYSTEM_NAMES = {
    "model": "model",
    "lexicon": "lexicon rules",
    "peer": "MiniLM + LR peer",
}


def _missing(value: Any) -> bool:
    """Tell whether a metric was not measurable: None in the JSON report, NaN before it."""
    return value is None or (isinstance(value, float) and value != value)


def _fmt(value: Any) -> str:
    """Format a metric for a table cell."""
    if _missing(value):
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def metrics_table(report: Mapping[str, Any], set_name: str, signals: list[str]) -> str:
    """Return a Markdown table of every system's metrics on one evaluation set."""
    lines = [
        "| signal | system | n | pos | threshold | precision | recall | F1 | AP | Brier | ECE |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for signal in signals:
        for system, label in SYSTEM_NAMES.items():
            m = report["results"].get(system, {}).get(set_name, {}).get(signal)
            if m is None:
                continue
            cells = [
                f"`{signal}`" if system == "model" else "",
                label,
                _fmt(m["n"]),
                _fmt(m["positives"]),
                _fmt(m["threshold"]),
                _fmt(m["precision"]),
                _fmt(m["recall"]),
                f"**{_fmt(m['f1'])}**" if system == "model" else _fmt(m["f1"]),
                _fmt(m["average_precision"]),
                _fmt(m["brier"]),
                _fmt(m["ece"]),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_card(report: Mapping[str, Any], model_dir: Path) -> str:
    """Return the model card text for the evaluated model."""
    metadata = json.loads((model_dir / METADATA_FILE).read_text(encoding="utf-8"))
    signals = list(metadata["signals"])
    training = metadata.get("training", {})
    sections = [_header(metadata, signals, training)]
    set_names = list(report["sets"])
    ordered = (
        ["gold-test"] + [s for s in set_names if s not in {"gold-test", "gold-dev"}] + ["gold-dev"]
    )
    for set_name in ordered:
        if set_name not in report["sets"]:
            continue
        present = [s for s in signals if s in report["results"]["model"].get(set_name, {})]
        if not present:
            continue
        note = _SET_NOTES.get(set_name.removesuffix("-test"), "")
        sections.append(
            f"### {set_name} ({report['sets'][set_name]} sentences)\n\n{note}\n\n"
            + metrics_table(report, set_name, present)
        )
        if set_name == "gold-test":
            sections.append(interval_section(report))
    maps = {
        SYSTEM_NAMES[s]: report["results"][s].get("clef19-test-map")
        for s in SYSTEM_NAMES
        if s in report["results"]
    }
    sections.append(
        "### CLEF CheckThat! 2019 Task 1 (test, 7,080 lines)\n\n"
        "Mean average precision of ranking each debate's lines by `checkworthy_claim` "
        "(published best: 0.166).\n\n"
        + "\n".join(f"- {name}: {_fmt(value)}" for name, value in maps.items())
    )
    overlap = report["explanation_overlap_gold_test"]
    beyond = report["no_evidence_beyond_patterns_gold_test"]
    sections.append(
        "### Explanations and generalisation (gold-test)\n\n"
        "Share of true-positive flagged sentences where an evidence phrase overlaps the "
        "annotated trigger span: "
        + ", ".join(f"`{s}` {_fmt(v)}" for s, v in overlap.items() if not s.endswith("_share"))
        + ". The evidence phrases cover on average "
        + ", ".join(
            f"{_fmt(v)} (`{s.removesuffix('_evidence_share')}`)"
            for s, v in overlap.items()
            if s.endswith("_share")
        )
        + " of the sentence's characters.\n\n"
        f"`no_evidence` beyond its weak-supervision patterns: {beyond['positives_patterns_miss']} "
        f"gold-test positives are missed by the patterns; the model recalls "
        f"{_fmt(beyond['model_recall_on_them'])} of them (and {_fmt(beyond['model_recall_on_those'])} "
        f"of the {beyond['positives_patterns_match']} the patterns do match)."
    )
    sections.append(_agreement_section(report.get("label_agreement_gold_dev", {})))
    sections.append(_FOOTER)
    return "\n\n".join(section for section in sections if section) + "\n"


def _span(interval: Mapping[str, Any], *, signed: bool = False) -> str:
    """Format an interval for a table cell (signed: a difference, so show the sign)."""
    low, high = interval["low"], interval["high"]
    if _missing(low) or _missing(high):
        return "–"
    form = "{:+.3f}" if signed else "{:.3f}"
    return f"{form.format(low)} to {form.format(high)}"


def interval_section(report: Mapping[str, Any]) -> str:
    """Describe how far the gold-test figures could move with another draw of articles."""
    intervals: Mapping[str, Mapping[str, Any]] = report.get("intervals_gold_test", {})
    if not intervals:
        return ""
    leads = [
        s for s in ("lexicon", "peer") if any(f"f1_minus_{s}" in v for v in intervals.values())
    ]
    some = next(iter(intervals.values()))
    lines = [
        "| signal | F1 | F1, 95 % interval | AP | AP, 95 % interval | "
        + " | ".join(f"F1 lead over {SYSTEM_NAMES[s]}, 95 % interval" for s in leads)
        + " |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(leads),
    ]
    for signal, interval in intervals.items():
        measured = report["results"]["model"]["gold-test"][signal]
        cells = [
            f"`{signal}`",
            _fmt(measured["f1"]),
            _span(interval["f1"]),
            _fmt(measured["average_precision"]),
            _span(interval["average_precision"]),
            *(
                _span(interval[f"f1_minus_{s}"], signed=True)
                if f"f1_minus_{s}" in interval
                else "–"
                for s in leads
            ),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return (
        "### How much the gold-test figures could move\n\n"
        f"Percentile intervals over {some['f1']['resamples']:,} resamples of the gold-test "
        "articles: each draws as many articles as the half holds, with replacement, keeping "
        "every sentence of a drawn article (sentences of one article are not independent), "
        "and scores them at the shipped thresholds. The leads are paired: the model and the "
        "baseline are scored on the same resample, and the interval is of the difference.\n\n"
        + "\n".join(lines)
    )


def _agreement_section(agreement: Mapping[str, Mapping[str, Any]]) -> str:
    """Describe how far a second annotator agrees with the gold labels (the labels' ceiling)."""
    if not agreement:
        return ""
    some = next(iter(agreement.values()))
    return (
        "### Label agreement (gold-dev)\n\n"
        f"A second annotator labelled {some['sentences']} gold-dev sentences without seeing the "
        'gold labels (training/gold/GUIDELINES.md, "Second annotator"). F1 of one annotation '
        "against the other, a rough ceiling for any model judged by these labels: "
        + ", ".join(f"`{s}` {_fmt(a['f1'])} (κ {_fmt(a['kappa'])})" for s, a in agreement.items())
        + "."
    )


_SET_NOTES = {
    "gold": "The project's hand-annotated gold set (training/gold/), test half: articles that "
    "training never read. Primary yardstick for the core signals; never used for any choice.",
    "gold-dev": "Gold dev half: thresholds and C were chosen on it, so these figures are optimistic.",
    "annotations": "The project's own annotations of training-pool articles, test split by article hash.",
    "polnear": "PolNeAR train articles held out by hash; labels derived from attribution spans.",
    "szeged": "Szeged uncertainty corpus (Wikipedia + FactBank) documents held out by hash.",
    "conll2010": "CoNLL-2010 weasel/uncertainty sample, held out by sentence hash.",
    "claimbuster": "ClaimBuster's own test.json.",
    "clef19": "CLEF CheckThat! 2019 Task 1 official test set.",
    "clef20_task5": "CLEF CheckThat! 2020 Task 5 official test set.",
    "ptc": "PTC train articles held out by hash (propaganda techniques at sentence level).",
}


def _header(metadata: Mapping[str, Any], signals: list[str], training: Mapping[str, Any]) -> str:
    """Return the fixed parts of the card before the metrics."""
    signal_lines = "\n".join(
        f"- `{s}` (threshold {metadata['thresholds'][s]:.3f}){' — core' if s in CORE_SIGNALS else ''}: "
        f"{describe(s).description}"
        for s in signals
    )
    left_out = training.get("left_out_signals", {})
    left_out_text = (
        ", ".join(f"`{s}` (dev AP {v:.3f})" for s, v in sorted(left_out.items()))
        if left_out
        else "none"
    )
    rows = training.get("rows_per_dataset", {})
    rows_text = ", ".join(f"{k} {v:,}" for k, v in rows.items())
    libraries = ", ".join(f"{k} {v}" for k, v in metadata.get("libraries", {}).items())
    return f"""# Model card: {metadata["name"]} {metadata["version"]}

This card is generated by `python -m training evaluate` from the measured figures; edit
`training/card.py`, not this file.

- **Model file**: `model.joblib`, {metadata.get("size_bytes", 0) / 1e6:.1f} MB, sha256 `{metadata["sha256"]}`
- **Built with**: {libraries}
- **Architecture**: one scikit-learn `Pipeline`: `SentenceFeatures` (sublinear tf-idf word
  1–{training.get("feature_settings", {}).get("ngram_max", 3)}-grams with digits folded; shape
  2–{training.get("feature_settings", {}).get("shape_ngram_max", 0)}-grams where words outside a closed
  class of function words, reporting verbs and generic-source nouns become `Cap`/`w`/`0`;
  cue-lexicon hits learned from the training data; attribution-structure features: who a
  reporting verb credits — a vague group, a named source, a pronoun — and agentless attribution)
  then `MultiSignalClassifier` (one L2 logistic regression per signal, trained only on rows whose
  dataset labels that signal, class-balanced, Platt-calibrated on out-of-fold margins; feature
  weighting `{training.get("feature_weighting", "none")}`: with `nb-sqrt` each signal's features
  are first rescaled by the square root of their absolute log-count ratio between its classes,
  learned from the training rows (and inside each calibration fold) and folded into the weights,
  so scoring is still one sparse product). Per-signal
  C chosen on dev data: {", ".join(f"`{s}` {c:g}" for s, c in training.get("C", {}).items())}.
- **Explanations**: each feature's contribution (value × weight × Platt slope) is spread over the
  tokens it covers; runs of tokens carrying at least 30 % of the strongest token's contribution
  become evidence phrases (at most three per signal).
- **Reproducible**: `make train` on the same data rebuilds this `model.joblib` byte for byte.

## Intended use

Pointing an editor or a moderation queue at sentences that deserve a second look before
publication: unnamed sources, claims the text does not establish, statements that evidence is
missing, and hedged speculation. Scores are calibrated probabilities per sentence; flags use
the thresholds below, chosen to maximise F1 on dev data.

## Misuse

Not a truth detector: a flagged sentence is not false, and an unflagged one is not verified.
Do not use scores to rank outlets or authors, to moderate speech automatically, or on
languages other than English. Attribution to anonymous sources is normal, sometimes
necessary, journalism; the signal asks for scrutiny, not removal.

## Signals shipped

{signal_lines}

Optional signals left out because their held-out (dev) average precision stayed under 0.5:
{left_out_text}.

## Training data (research use only)

All datasets are research-use copies (no clear open licence; news texts belong to their
publishers). They are read from `../shared/data` at training time and never copied into this
repository. Train-split rows used: {rows_text}.

- PolNeAR (Newell, Margolin, Ruths 2018), train articles: attribution spans → derived
  `anonymous_sourcing` / `unverified_claim` labels, plus `no_evidence` weak supervision.
- Szeged Uncertainty Corpus (Szarvas et al. 2012), Wikipedia + FactBank: `hedging` (CC BY-SA per its authors).
- CoNLL-2010 Wikipedia weasels (Farkas et al. 2010): `anonymous_sourcing`, `hedging`, cue lists.
- SemEval-2020 Task 11 PTC (Da San Martino et al. 2020), train articles: propaganda techniques
  and `no_evidence` weak supervision.
- ClaimBuster (Arslan et al. 2020) and CLEF CheckThat! 2019/2020 (Atanasova et al. 2019;
  Barrón-Cedeño et al. 2020): `checkworthy_claim`.
- The project's own annotations (`training/annotations/`): hand-labelled sentences from
  PolNeAR and PTC **train** articles in nine rounds (cue-enriched, then rounds chosen by the
  previous model's uncertainty or aimed at `no_evidence`; each round's effect, and the four rounds
  tried and not kept, are in that folder's README), weighted {training.get("dataset_weights", {}).get("annotations", 1)}×.

How each label is derived: `training/LABELS.md`. Gold set and its guidelines: `training/gold/`.

## Measured quality

Precision, recall and F1 at the shipped threshold; average precision (AP); calibration as
Brier score and expected calibration error (ECE, 10 bins). Baselines measured in the same run:
**lexicon rules** flag a sentence when a cue phrase from the learned lexicons occurs (the way a
prose linter's weasel-word rules work); the **MiniLM + LR peer** is logistic regression on
all-MiniLM-L6-v2 sentence embeddings trained on the same rows, thresholds chosen on the same dev
data. `–` means not measurable there (no positives, or the system lacks the signal)."""


_FOOTER = """## Known failure modes

- Vague groups credited with a stance rather than speech ("many consider", "environmentalists
  worry", "other leaders proposed") make up most missed `anonymous_sourcing` sentences on
  gold dev (about 20 of 28 misses of model 1.7.0).
- Attribution is judged from surface structure: a pronoun ("he said") whose antecedent is a
  named person two sentences back looks the same as an unnamed one; the model reads one
  sentence at a time.
- Titles shared by many people ("a White House official") versus unique ones ("the White House
  press secretary") are learned from few examples; unusual unique titles may be flagged.
- `no_evidence` has few positives in every dataset; wordings far from "no evidence",
  "could not verify", "declined to release" are recalled less often.
- `hedging` was learned mostly from Wikipedia and TimeBank news; opinion writing with heavy
  rhetorical questions is scored less reliably.
- Quotations are scored like the writer's own voice: a hedge inside a quote counts.
- Tokens are lower-cased before scoring, so a date such as "3 May" can read as the modal
  "may" and raise `hedging`. Keeping "May" capitalised as a word of its own was tried and
  lowered gold-dev `hedging` AP (0.665 → 0.644), so it is not done.
- A claim verb with a named institution as its subject ("The Kremlin claimed …") is sometimes
  missed as `unverified_claim` when the rest of the sentence reads as plain reporting.
- English only; sentence segmentation errors (unusual abbreviations) can merge sentences."""
