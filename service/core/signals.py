"""The signal taxonomy: public ids, one-line descriptions and default CI levels.

The ids are public API (responses, configuration files, CI output): add new ones, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning", "notice", "off"]


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal a sentence can carry."""

    id: str
    description: str
    core: bool
    default_level: Level


_SIGNALS: tuple[Signal, ...] = (
    Signal(
        "anonymous_sourcing",
        "Attributes information to a source the reader cannot identify: unnamed officials, "
        "vague groups ('some analysts suggest') or agentless attribution ('it was reported').",
        core=True,
        default_level="warning",
    ),
    Signal(
        "unverified_claim",
        "Reports a claim whose truth the text does not establish: a party claims, alleges or "
        "insists, or the event is marked alleged, purported, reportedly or unconfirmed.",
        core=True,
        default_level="warning",
    ),
    Signal(
        "no_evidence",
        "Says that evidence, proof, verification or confirmation is missing or was not offered.",
        core=True,
        default_level="warning",
    ),
    Signal(
        "hedging",
        "Signals uncertainty or speculation: epistemic modals and adverbs ('may have been', "
        "'likely'), speculation, conditionals about unknown facts.",
        core=True,
        default_level="notice",
    ),
    Signal(
        "checkworthy_claim",
        "States a specific factual assertion (numbers, events, causes, records) that a "
        "fact-checker could verify.",
        core=False,
        default_level="notice",
    ),
    Signal(
        "loaded_language",
        "Uses words with strong emotional implications to influence the reader "
        "(propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "name_calling",
        "Labels the object of the message with something the audience fears, hates or "
        "finds undesirable (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "doubt",
        "Questions the credibility of someone or something (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "exaggeration",
        "Represents something as excessive or minimises it (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "appeal_to_fear",
        "Seeks support by instilling fear or prejudice (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "appeal_to_authority",
        "States a claim is true because an authority says so (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "flag_waving",
        "Plays on patriotism or group identity to justify an idea (propaganda technique, "
        "SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "causal_oversimplification",
        "Assumes a single cause or reason when there are several behind an issue (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "slogans",
        "Uses a brief, striking phrase as a substitute for argument (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "black_and_white_fallacy",
        "Presents two alternatives as the only possibilities (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "thought_terminating_cliches",
        "Uses a phrase that discourages critical thought and discussion (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "whataboutism_straw_men_red_herring",
        "Discredits an opponent's position by charging hypocrisy, misrepresenting it, or changing the subject (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "bandwagon_reductio_ad_hitlerum",
        "Argues that everyone joins a side, or discredits an idea by its association with a hated group (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
    Signal(
        "repetition",
        "Repeats the same message over and over so the audience accepts it (propaganda technique, SemEval-2020).",
        core=False,
        default_level="notice",
    ),
)

CORE_SIGNALS: tuple[str, ...] = tuple(s.id for s in _SIGNALS if s.core)
KNOWN_SIGNALS: dict[str, Signal] = {s.id: s for s in _SIGNALS}


def describe(signal_id: str) -> Signal:
    """Return the registered signal with this id."""
    return KNOWN_SIGNALS[signal_id]
