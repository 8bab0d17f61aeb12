"""score_document / score_documents: offsets, options, thresholds, evidence and errors."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.core.errors import InvalidThresholdError, TextTooLongError, UnknownSignalError
from service.core.model import Model
from service.core.scoring import ScoreOptions, score_document, score_documents

TEXTS = {
    "ascii": "A senior official said the convoy was turned back. The museum opened in 1928.",
    "emoji": "Officials said 🚀 launched. 👍🏽 It may have been sabotage! Is it 🎉? Yes.",
    "cjk": "据报道，会谈已经停止。官员说车队被拦下了！The council met.",
    "crlf": "The council met.\r\nIt was reported that the minister resigned.\r\n\r\nThe end.",
    "astral": "𝐓𝐡𝐞 𝐜𝐨𝐮𝐧𝐜𝐢𝐥 said so. Russia provided no evidence.",
    "markup-like": "<b>Not html here.</b> It *may* last.",
}


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
def test_sentence_offsets_slice_the_text(tiny_model: Model, text: str) -> None:
    result = score_document(tiny_model, text, ScoreOptions(explain=True))
    assert result.sentences
    for expected_index, sentence in enumerate(result.sentences):
        assert sentence.index == expected_index
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        for evidence in sentence.evidence or ():
            assert text[evidence.start : evidence.end] == evidence.text


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300))
def test_sentences_are_ordered_disjoint_slices_of_any_text(tiny_model: Model, text: str) -> None:
    previous_end = 0
    for sentence in score_document(tiny_model, text).sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        previous_end = sentence.end


def test_scores_are_probabilities_rounded_to_four_digits(tiny_model: Model) -> None:
    for sentence in score_document(tiny_model, TEXTS["ascii"]).sentences:
        for value in sentence.scores.values():
            assert 0.0 <= value <= 1.0
            assert round(value, 4) == value


def test_requested_signals_come_back_in_model_order(tiny_model: Model) -> None:
    options = ScoreOptions(signals=("hedging", "anonymous_sourcing", "hedging"))
    result = score_document(tiny_model, TEXTS["ascii"], options)
    assert result.signals == ("anonymous_sourcing", "hedging")
    assert all(tuple(s.scores) == result.signals for s in result.sentences)


def test_unknown_signal_is_refused(tiny_model: Model) -> None:
    with pytest.raises(UnknownSignalError, match="astrology"):
        score_document(tiny_model, "Fine.", ScoreOptions(signals=("astrology",)))


def test_threshold_for_unknown_signal_is_refused(tiny_model: Model) -> None:
    with pytest.raises(UnknownSignalError):
        score_document(tiny_model, "Fine.", ScoreOptions(thresholds={"astrology": 0.5}))


@pytest.mark.parametrize("value", [-0.1, 1.01, float("nan"), float("inf"), True, "0.5"])
def test_threshold_outside_zero_one_is_refused(tiny_model: Model, value: object) -> None:
    with pytest.raises(InvalidThresholdError):
        score_document(tiny_model, "Fine.", ScoreOptions(thresholds={"hedging": value}))  # type: ignore[dict-item]


@pytest.mark.parametrize(("threshold", "expect_flag"), [(0.0, True), (1.0, None)])
def test_threshold_override_sets_the_flag(
    tiny_model: Model, threshold: float, expect_flag: bool | None
) -> None:
    options = ScoreOptions(thresholds={"hedging": threshold})
    result = score_document(tiny_model, "The museum opened in 1928.", options)
    sentence = result.sentences[0]
    flagged = "hedging" in sentence.flags
    assert flagged is (expect_flag if expect_flag is not None else sentence.scores["hedging"] >= 1)
    assert result.thresholds["hedging"] == threshold


@pytest.fixture(params=[True, False], ids=["collector-on", "collector-off"])
def collector(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Run a test with the cyclic collector on, then off, and restore it afterwards."""
    was = gc.isenabled()
    (gc.enable if request.param else gc.disable)()
    yield request.param
    (gc.enable if was else gc.disable)()


def test_scoring_leaves_the_collector_as_it_was(tiny_model: Model, collector: bool) -> None:
    score_document(tiny_model, TEXTS["ascii"])
    assert gc.isenabled() is collector


def test_a_refused_text_leaves_the_collector_as_it_was(tiny_model: Model, collector: bool) -> None:
    with pytest.raises(TextTooLongError):
        score_document(tiny_model, "x" * 11, ScoreOptions(max_chars=10))
    assert gc.isenabled() is collector


def test_text_over_max_chars_is_refused(tiny_model: Model) -> None:
    with pytest.raises(TextTooLongError) as caught:
        score_document(tiny_model, "x" * 11, ScoreOptions(max_chars=10))
    assert (caught.value.length, caught.value.limit) == (11, 10)


def test_evidence_only_for_flagged_signals(tiny_model: Model) -> None:
    result = score_document(tiny_model, TEXTS["ascii"], ScoreOptions(explain=True))
    for sentence in result.sentences:
        assert sentence.evidence is not None
        assert {e.signal for e in sentence.evidence} <= set(sentence.flags)
    unexplained = score_document(tiny_model, TEXTS["ascii"])
    assert all(s.evidence is None for s in unexplained.sentences)


def test_batch_scoring_equals_one_by_one(tiny_model: Model) -> None:
    texts = list(TEXTS.values())
    options = ScoreOptions(explain=True)
    together = score_documents(tiny_model, texts, options)
    assert together == [score_document(tiny_model, text, options) for text in texts]


def test_empty_and_blank_texts_have_no_sentences(tiny_model: Model) -> None:
    results = score_documents(tiny_model, ["", "  \n\t"])
    assert [r.sentences for r in results] == [[], []]
    assert results[0].summary()["max_scores"] == dict.fromkeys(tiny_model.signals, 0.0)


def test_to_dict_has_the_api_shape(tiny_model: Model) -> None:
    shape = score_document(tiny_model, TEXTS["ascii"]).to_dict()
    assert list(shape) == ["model", "signals", "sentences", "summary"]
    assert shape["model"] == {"name": tiny_model.name, "version": tiny_model.version}
    assert list(shape["sentences"][0]) == ["index", "start", "end", "text", "scores", "flags"]
