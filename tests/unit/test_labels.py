"""Tests for the label derivation rules in training.labels.

Every sentence here is written for these tests; none is taken from a dataset.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from training.labels import (
    ANONYMOUS,
    CORE,
    HEDGING,
    NO_EVIDENCE,
    PROPAGANDA_IDS,
    UNVERIFIED,
    Attribution,
    anonymous_markers,
    classify_source,
    common_words,
    conll_labels,
    cue_lexicons,
    has_name,
    is_agentless_cue,
    is_claim_cue,
    is_source_cue,
    is_statement_cue,
    looks_factual,
    no_evidence_label,
    no_evidence_pattern,
    polnear_labels,
    propaganda_id,
    szeged_hedging,
    unverified_markers,
    weasel_source_spans,
)

COMMON = frozenset({"investors", "officials", "president", "crew", "analysts", "voters"})


@pytest.mark.parametrize(
    ("source", "left", "prev", "expected"),
    [
        ("Finance Minister Ana Ruiz", "", "", "named"),
        ("Mr. Okafor", "", "", "named"),
        ("the city council", "", "", "named"),
        ("The Pentagon's spokesperson, Col. Ray Lee,", "", "", "named"),
        ("a spokesman for the Harbor Authority", "", "", "named"),
        ("a senior official", "", "", "anonymous"),
        ("officials", "", "", "anonymous"),
        ("Some analysts", "", "", "anonymous"),
        ("people familiar with the talks", "", "", "anonymous"),
        ("sources close to the mayor", "", "", "anonymous"),
        ("critics, including the mayor", "", "", "anonymous"),
        ("two aides, Lena Park and Omar Diaz,", "", "", "named"),
        ("Investors", "", "", "anonymous"),
        ("the outlets", "", "", "named"),
        ("a new poll", "", "", "named"),
        ("31 percent of voters", "", "", "named"),
        ("an explosive report", "", "", "anonymous"),
        ("The Daily Ledger's report", "", "", "named"),
        ("Prosecutors", "", "", "named"),
        ("Republicans", "", "", "anonymous"),
        ("The Ohio Republican", "", "", "named"),
        ("a Vermont Democrat", "", "", "anonymous"),
        ("the official", "", "", "anonymous"),
        ("his colleague", "", "", "anonymous"),
        ("the campaign", "", "", "named"),
        ("he", "", "Governor Tilda Brandt toured the site.", "named"),
        ("she", "", "It rained all day.", "unknown"),
        ("they", "Several officials met, and ", "", "anonymous"),
        ("who", "The plan was backed by Senator Rosa Vance, ", "", "named"),
        ("who", "The plan was backed by several aides ", "", "anonymous"),
        ("that", "The crowd waved banners ", "", "named"),
    ],
)
def test_classify_source(source: str, left: str, prev: str, expected: str) -> None:
    assert classify_source(source, left, prev, COMMON) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Governor Tilda Brandt spoke.", True),
        ("The mayor spoke. Brandt agreed.", True),
        ("The mayor spoke on Monday.", False),
        ("But the crowd left.", False),
        ("FULL TEXT FOLLOWS", False),
        ("Reporters asked CNN for comment.", True),
    ],
)
def test_has_name(text: str, expected: bool) -> None:
    assert has_name(text, COMMON) is expected


def test_common_words_keep_mostly_lowercase_words() -> None:
    texts = ["We met investors and more investors. Later Okafor met investors.", "Okafor left."]
    words = common_words(texts)
    assert "investors" in words
    assert "okafor" not in words


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("it was reported", True),
        ("are widely seen", True),
        ("is believed", True),
        ("is scheduled", False),
        ("was asked about", False),
    ],
)
def test_is_agentless_cue(cue: str, expected: bool) -> None:
    assert is_agentless_cue(cue) is expected


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("said", True),
        ("fear", True),
        ("erupted in cheers", False),
        ("declined to confirm", False),
        ("did not respond to", False),
    ],
)
def test_is_statement_cue(cue: str, expected: bool) -> None:
    assert is_statement_cue(cue) is expected


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("The attack reportedly happened overnight.", True),
        ("People familiar with the talks described the offer.", True),
        ("An official, speaking on condition of anonymity, confirmed the move.", True),
        ("Some economists say the slowdown will last.", True),
        ("Her advisers and allies say she will stay.", True),
        ("It is widely believed that the vote was close.", True),
        ("Mayor Jana Novak said the bridge will reopen.", False),
        ("Residents fled the flooded streets.", False),
    ],
)
def test_anonymous_markers(text: str, fires: bool) -> None:
    assert bool(anonymous_markers(text)) is fires


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("claimed", True),
        ("alleged", True),
        ("denied", True),
        ("insisted", True),
        ("said", False),
        ("argued", False),
        ("noted", False),
    ],
)
def test_is_claim_cue(cue: str, expected: bool) -> None:
    assert is_claim_cue(cue) is expected


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("The alleged raid took place at dawn.", True),
        ("The raid, if confirmed, would be the first.", True),
        ("The deal was purportedly signed in May.", True),
        ("He has a long allegiance to the party.", False),
        ("The council approved the budget.", False),
    ],
)
def test_unverified_markers(text: str, fires: bool) -> None:
    assert bool(unverified_markers(text)) is fires


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("the convoy was turned back at 4 a.m.", True),
        ("the talks collapsed", True),
        ("the plan would work", False),
        ("she will run again", False),
    ],
)
def test_looks_factual(content: str, expected: bool) -> None:
    assert looks_factual(content) is expected


@pytest.mark.parametrize(
    "text",
    [
        "The ministry provided no evidence to support its claims.",
        "The footage could not be independently verified.",
        "He made the accusation without offering proof.",
        "There was no independent verification of the strike.",
        "The agency declined to confirm the figures.",
        "Critics called the charge baseless.",
        "The company refused to release the internal records.",
        "Neither they nor the minister could confirm them.",
        "The lack of independent verification raised questions.",
    ],
)
def test_no_evidence_pattern_fires(text: str) -> None:
    spans = no_evidence_pattern(text)
    assert spans
    assert all(0 <= s < e <= len(text) for s, e in spans)


@pytest.mark.parametrize(
    "text",
    [
        "No one was injured in the blast.",
        "The spokesman declined to comment.",
        "The Senate has not confirmed the nominee.",
        "The bill did not support farmers.",
        "The charge was not unfounded.",
        "Records show the payment arrived in May.",
    ],
)
def test_no_evidence_pattern_stays_quiet(text: str) -> None:
    assert no_evidence_pattern(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministry offered no proof.", 1),
        ("The bridge reopened on Monday.", 0),
        ("The evidence was presented in court.", None),
    ],
)
def test_no_evidence_label(text: str, expected: int | None) -> None:
    assert no_evidence_label(text) == expected


@pytest.mark.parametrize(
    ("cues", "expected"),
    [
        ([("speculation_modal_probable_", "may")], 1),
        ([("speculation_hypo_condition _", "if")], 1),
        ([("speculation_hypo_doxastic _", "considered")], None),
        (
            [("speculation_hypo_doxastic _", "considered"), ("speculation_modal_probable_", "may")],
            1,
        ),
        ([("weasel", "some people")], None),
        ([("peacock", "legendary")], 0),
        ([], 0),
    ],
)
def test_szeged_hedging(cues: list[tuple[str, str]], expected: int | None) -> None:
    assert szeged_hedging(cues) == expected


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("some critics", True),
        ("it is believed", True),
        ("many historians", True),
        ("critics", True),
        ("may", False),
        ("some cases", False),
        ("one of the best", False),
        ("people", False),
    ],
)
def test_is_source_cue(cue: str, expected: bool) -> None:
    assert is_source_cue(cue) is expected


def test_weasel_source_needs_a_stance() -> None:
    cues = ["some critics"]
    assert weasel_source_spans("Some critics argue the statue is ugly.", cues) == [(0, 12)]
    assert weasel_source_spans("Some critics left the hall early.", cues) == []


@pytest.mark.parametrize(
    ("certain", "text", "expected"),
    [
        (True, "The river is 40 km long.", {ANONYMOUS: 0, HEDGING: 0}),
        (False, "Some critics say the river is polluted.", {ANONYMOUS: 1}),
        (False, "The river may be polluted.", {}),
    ],
)
def test_conll_labels(certain: bool, text: str, expected: dict[str, int]) -> None:
    assert conll_labels(certain, text, ["some critics"]) == expected


def _article() -> tuple[str, list[tuple[int, int]], list[Attribution]]:
    """Build a four-sentence article with a named, an anonymous and a claim attribution."""
    sentences = [
        "Mayor Jana Novak said the bridge will reopen.",
        "A senior official said the convoy was turned back.",
        "The ministry claimed the outage was sabotage.",
        "The river froze early this year.",
    ]
    text = " ".join(sentences)
    starts = [text.index(s) for s in sentences]
    spans = [(a, a + len(s)) for a, s in zip(starts, sentences, strict=True)]

    def find(piece: str, sentence: int) -> tuple[tuple[int, int], ...]:
        at = text.index(piece, starts[sentence])
        return ((at, at + len(piece)),)

    attributions = [
        Attribution(find("Mayor Jana Novak", 0), find("said", 0), find("the bridge", 0)),
        Attribution(
            find("A senior official", 1), find("said", 1), find("the convoy was turned back", 1)
        ),
        Attribution(find("The ministry", 2), find("claimed", 2), find("the outage", 2)),
    ]
    return text, spans, attributions


def test_polnear_labels_per_sentence() -> None:
    text, spans, attributions = _article()
    labels = polnear_labels(text, spans, attributions)
    assert [row[ANONYMOUS] for row in labels] == [0, 1, 0, 0]
    assert [row[UNVERIFIED] for row in labels] == [0, 1, 1, 0]


def test_polnear_labels_leave_a_pronoun_without_antecedent_unknown() -> None:
    text = "It rained. He said the road was shut."
    spans = [(0, 10), (11, len(text))]
    he = text.index("He")
    att = Attribution(((he, he + 2),), ((he + 3, he + 7),), ((he + 8, len(text) - 1),))
    assert polnear_labels(text, spans, [att])[1][ANONYMOUS] is None


def test_polnear_labels_mark_missed_attribution_unknown() -> None:
    text = "Officials said the road was shut."
    assert polnear_labels(text, [(0, len(text))], [])[0][ANONYMOUS] == 1
    other = "Critics called it a waste."
    assert polnear_labels(other, [(0, len(other))], [])[0][ANONYMOUS] is None


@pytest.mark.parametrize(("technique", "signal"), sorted(PROPAGANDA_IDS.items()))
def test_propaganda_id(technique: str, signal: str) -> None:
    assert propaganda_id(technique) == signal


def test_propaganda_id_rejects_unknown_technique() -> None:
    with pytest.raises(KeyError):
        propaganda_id("Obfuscation")


def test_cue_lexicons_without_data_cover_core_signals() -> None:
    lexicons = cue_lexicons()
    assert set(lexicons) == set(CORE)
    assert all(lexicons[signal] for signal in CORE)
    assert "no evidence" in lexicons[NO_EVIDENCE]


def test_cue_lexicons_learn_from_data(tmp_path: Path) -> None:
    conll = tmp_path / "conll2010_wiki"
    conll.mkdir()
    (conll / "trainWeasels.txt").write_text(
        "Loading sentences from: x\nOk.\n[(u'some critics', 3), (u'probably', 9)]\n",
        encoding="utf-8",
    )
    szeged = tmp_path / "szeged_uncertainty"
    szeged.mkdir()
    cue = '<ccue type="speculation_modal_probable_">perhaps</ccue>'
    sentence = '<Sentence id="S{n}">It ' + cue + " is.</Sentence>"
    body = "".join(sentence.format(n=n) for n in range(3))
    for name in ("wiki.xml", "factbank.xml"):
        (szeged / name).write_text(
            "<Annotation><DocumentSet>"
            + "".join(
                f'<Document><DocID>d{i}</DocID><DocumentPart type="Text">{body}</DocumentPart>'
                "</Document>"
                for i in range(12)
            )
            + "</DocumentSet></Annotation>",
            encoding="utf-8",
        )
    lexicons = cue_lexicons(tmp_path)
    assert "some critics" in lexicons[ANONYMOUS]
    assert "probably" not in lexicons[ANONYMOUS]
    assert "perhaps" in lexicons[HEDGING]
