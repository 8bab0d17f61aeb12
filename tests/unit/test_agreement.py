"""Agreement between two annotations of the same gold sentences."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.core.signals import CORE_SIGNALS
from training.__main__ import cli
from training.agreement import agreement, format_agreement, signal_agreement
from training.card import _agreement_section
from training.gold import GoldSentence, Span

SIGNAL = "anonymous_sourcing"


def sentence(number: int, spans: list[Span] | None = None, *, doc: str = "a") -> GoldSentence:
    """Build a gold sentence whose anonymous_sourcing label is given by its trigger spans."""
    marked: dict[str, list[Span]] = {signal: [] for signal in CORE_SIGNALS}
    marked[SIGNAL] = list(spans or [])
    return GoldSentence(
        doc=doc,
        start=10 * number,
        end=10 * number + 9,
        text="x" * 9,
        prev="",
        sample="",
        labels={signal: int(bool(marked[signal])) for signal in CORE_SIGNALS},
        spans=marked,
    )


def pairs_of(
    first: list[GoldSentence], second: list[GoldSentence]
) -> list[tuple[GoldSentence, GoldSentence]]:
    """Pair two annotations sentence by sentence."""
    return list(zip(first, second, strict=True))


@pytest.fixture
def gold() -> list[GoldSentence]:
    """Ten sentences, the first four marked."""
    return [sentence(n, [(0, 3)] if n < 4 else None) for n in range(10)]


def test_identical_annotations_agree_fully(gold: list[GoldSentence]) -> None:
    result = signal_agreement(pairs_of(gold, gold), SIGNAL)
    assert (result.kappa, result.f1, result.trigger_overlap) == (1.0, 1.0, 1.0)


def test_counts_follow_the_two_by_two_table(gold: list[GoldSentence]) -> None:
    second = [sentence(n, [(0, 3)] if n in (2, 3, 4) else None) for n in range(10)]
    result = signal_agreement(pairs_of(gold, second), SIGNAL)
    assert (result.both, result.first_only, result.second_only, result.neither) == (2, 2, 1, 5)


def test_kappa_corrects_for_chance(gold: list[GoldSentence]) -> None:
    second = [sentence(n, [(0, 3)] if n in (2, 3, 4) else None) for n in range(10)]
    # Observed 0.7; chance 0.4 * 0.3 + 0.6 * 0.7 = 0.54; kappa = 0.16 / 0.46.
    assert signal_agreement(pairs_of(gold, second), SIGNAL).kappa == pytest.approx(0.16 / 0.46)


def test_f1_is_the_same_whichever_annotation_is_the_reference(gold: list[GoldSentence]) -> None:
    second = [sentence(n, [(0, 3)] if n in (2, 3, 4) else None) for n in range(10)]
    forward = signal_agreement(pairs_of(gold, second), SIGNAL).f1
    assert forward == signal_agreement(pairs_of(second, gold), SIGNAL).f1 == pytest.approx(4 / 7)


def test_disjoint_annotations_have_no_f1(gold: list[GoldSentence]) -> None:
    second = [sentence(n, [(0, 3)] if n >= 4 else None) for n in range(10)]
    assert signal_agreement(pairs_of(gold, second), SIGNAL).f1 == 0.0


def test_trigger_overlap_counts_sentences_whose_spans_meet(gold: list[GoldSentence]) -> None:
    second = [sentence(n, [(2, 5)] if n < 2 else [(3, 6)] if n < 4 else None) for n in range(10)]
    assert signal_agreement(pairs_of(gold, second), SIGNAL).trigger_overlap == 0.5


def test_trigger_overlap_is_undefined_without_shared_positives(gold: list[GoldSentence]) -> None:
    unmarked = [sentence(n) for n in range(10)]
    assert signal_agreement(pairs_of(unmarked, unmarked), SIGNAL).trigger_overlap is None


def test_agreement_compares_only_the_sentences_both_hold(gold: list[GoldSentence]) -> None:
    sample = [sentence(n, [(0, 3)]) for n in (1, 2, 3)] + [sentence(1, [(0, 3)], doc="b")]
    result = agreement(gold, sample)[SIGNAL]
    assert (result.sentences, result.both) == (3, 3)


def test_agreement_covers_every_core_signal(gold: list[GoldSentence]) -> None:
    assert list(agreement(gold, gold)) == list(CORE_SIGNALS)


def test_annotations_without_a_shared_sentence_are_refused(gold: list[GoldSentence]) -> None:
    with pytest.raises(ValueError, match="share no sentence"):
        agreement(gold, [sentence(1, doc="elsewhere")])


def test_the_table_has_a_row_per_signal(gold: list[GoldSentence]) -> None:
    table = format_agreement(agreement(gold, gold))
    assert [line.split("|")[1].strip() for line in table.splitlines()[2:]] == [
        f"`{signal}`" for signal in CORE_SIGNALS
    ]


@pytest.fixture(scope="module")
def data() -> Path:
    """Return the research datasets beside the checkout, which the gold offsets point into."""
    found = Path(__file__).resolve().parents[3] / "shared" / "data"
    if not found.is_dir():
        pytest.skip("the research datasets are not beside the checkout")
    return found


@pytest.fixture(scope="module")
def shipped_second_annotation(data: Path) -> str:
    """Run the agreement command over the stored second annotation and the real articles."""
    result = CliRunner().invoke(cli, ["agreement", "--data", str(data)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_compares_the_whole_stored_sample(shipped_second_annotation: str) -> None:
    rows = shipped_second_annotation.splitlines()[2:]
    assert [row.split("|")[2].strip() for row in rows] == ["400"] * len(CORE_SIGNALS)


def test_the_command_prints_a_kappa_per_signal(shipped_second_annotation: str) -> None:
    rows = shipped_second_annotation.splitlines()[2:]
    assert all(-1.0 <= float(row.split("|")[6]) <= 1.0 for row in rows)


GOOD_RECORD = {"doc": "polnear/dev/none", "start": 0, "end": 5, "sha1": "0" * 12}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "share no sentence"),
        ("{not json\n", "cannot compare"),
        (json.dumps({"doc": "polnear/dev/none"}) + "\n", "cannot compare"),
        (json.dumps({**GOOD_RECORD, "labels": {}}) + "\n", "cannot compare"),
    ],
    ids=["empty folder", "invalid JSON", "missing fields", "unknown article"],
)
def test_a_second_annotation_that_cannot_be_compared_exits_2(
    data: Path, tmp_path: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "dev.sample.jsonl").write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["agreement", "--data", str(data), "--second", str(tmp_path)])
    assert (result.exit_code, message in result.output) == (2, True), result.output


def test_the_card_reports_the_agreement_of_every_signal(gold: list[GoldSentence]) -> None:
    measured = {s: asdict(a) for s, a in agreement(gold, gold).items()}
    section = _agreement_section(measured)
    assert all(f"`{signal}` 1.000 (κ 1.000)" in section for signal in CORE_SIGNALS)


def test_the_card_leaves_agreement_out_when_it_was_not_measured() -> None:
    assert _agreement_section({}) == ""
