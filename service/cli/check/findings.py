"""Findings: one (sentence, signal) at or above its threshold, located at its trigger phrase.

Besides the model's signals there are three rules about suppression comments themselves
(see suppress.py); they have fixed levels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from service.cli.check.positions import LineIndex, Position
from service.core.signals import KNOWN_SIGNALS, Level

ReportLevel = Literal["error", "warning", "notice"]
LEVEL_ORDER: tuple[ReportLevel, ...] = ("error", "warning", "notice")

WITHOUT_REASON = "suppression-without-reason"
INVALID = "invalid-suppression"
UNUSED = "unused-suppression"


@dataclass(frozen=True, slots=True)
class Rule:
    """What a rule id means, for help texts and SARIF rule metadata."""

    id: str
    label: str
    advice: str
    description: str
    default_level: Level


# Labels and advice an editor can act on; descriptions come from the signal taxonomy.
_ADVICE: dict[str, tuple[str, str]] = {
    "anonymous_sourcing": (
        "unnamed source",
        "name the source, or tell readers why anonymity was granted",
    ),
    "unverified_claim": (
        "unverified claim",
        "say who makes the claim and whether anyone has confirmed it",
    ),
    "no_evidence": (
        "no evidence offered",
        "say what evidence is missing and who tried to verify it",
    ),
    "hedging": (
        "hedged statement",
        "state what is known and who is speculating, or cut the speculation",
    ),
    "checkworthy_claim": (
        "check-worthy claim",
        "verify the fact or figure and cite where it comes from",
    ),
    "loaded_language": (
        "loaded language",
        "prefer neutral wording unless you are quoting someone",
    ),
    "name_calling": (
        "name-calling",
        "describe what the person did instead of labelling them",
    ),
    "doubt": (
        "casts doubt",
        "attribute the doubt or give the evidence behind it",
    ),
    "exaggeration": (
        "exaggeration or minimisation",
        "give the measured size of the thing",
    ),
    "appeal_to_fear": (
        "appeal to fear",
        "state the actual risk and its source",
    ),
    "appeal_to_authority": (
        "appeal to authority",
        "give the evidence, not only who endorses it",
    ),
    "flag_waving": (
        "flag-waving",
        "separate the argument from the appeal to group identity",
    ),
    "causal_oversimplification": (
        "single-cause explanation",
        "name the other causes, or attribute the explanation to whoever gives it",
    ),
    "slogans": (
        "slogan",
        "state the argument behind it, or quote it as someone's slogan",
    ),
    "black_and_white_fallacy": (
        "false dilemma",
        "say whether other options exist",
    ),
    "thought_terminating_cliches": (
        "thought-terminating cliché",
        "replace it with the specific point being made",
    ),
    "whataboutism_straw_men_red_herring": (
        "whataboutism, straw man or red herring",
        "answer the position as its holders state it",
    ),
    "bandwagon_reductio_ad_hitlerum": (
        "bandwagon or guilt by association",
        "give reasons, not who else agrees or who is associated with the idea",
    ),
    "repetition": (
        "repetition",
        "make the point once and support it",
    ),
}

META_LEVELS: dict[str, ReportLevel] = {WITHOUT_REASON: "error", INVALID: "error", UNUSED: "warning"}
META_RULES: dict[str, Rule] = {
    WITHOUT_REASON: Rule(
        WITHOUT_REASON,
        "suppression without a reason",
        "add the reason after ' -- ' so reviewers know why the finding is accepted",
        "A misinfo-signals suppression comment gives no reason. The suppression still applies.",
        META_LEVELS[WITHOUT_REASON],
    ),
    INVALID: Rule(
        INVALID,
        "invalid suppression",
        "fix the comment; it suppresses nothing as written",
        "A comment starting with 'misinfo-signals:' is not a valid directive and is ignored.",
        META_LEVELS[INVALID],
    ),
    UNUSED: Rule(
        UNUSED,
        "unused suppression",
        "remove it, or move it next to the sentence it was meant for",
        "A suppression comment matched no finding (reported with --report-unused-disables).",
        META_LEVELS[UNUSED],
    ),
}


def rule_for(rule_id: str) -> Rule:
    """Return the rule metadata of a signal id or a suppression rule id."""
    if rule_id in META_RULES:
        return META_RULES[rule_id]
    label, advice = _ADVICE.get(rule_id, (rule_id.replace("_", " "), "review this sentence"))
    known = KNOWN_SIGNALS.get(rule_id)
    description = known.description if known else f"The model flags the signal {rule_id}."
    return Rule(rule_id, label, advice, description, known.default_level if known else "notice")


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not reported: the in-source comment that accepted it."""

    reason: str | None
    directive: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place; ``context`` is the sentence (or comment) it belongs to."""

    path: str
    rule: str
    level: ReportLevel
    message: str
    start: int
    end: int
    start_pos: Position
    end_pos: Position
    context_start: int
    context_end: int
    context: str
    context_lines: tuple[int, int]
    score: float | None = None
    fingerprint: str = ""
    suppression: Suppression | None = None

    @property
    def phrase(self) -> str:
        """Return the located text relative to the context."""
        return self.context[self.start - self.context_start : self.end - self.context_start]


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    """A phrase that raised one signal's score, in document offsets."""

    signal: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    """A sentence as the scorer returned it."""

    index: int
    start: int
    end: int
    scores: Mapping[str, float]
    flags: tuple[str, ...]
    evidence: tuple[EvidenceSpan, ...]


def collapse(text: str) -> str:
    """Return text with every whitespace run (line breaks included) as one space."""
    return " ".join(text.split())


def shorten(phrase: str, limit: int = 60) -> str:
    """Return phrase cut to about limit characters at a word boundary, with an ellipsis."""
    if len(phrase) <= limit:
        return phrase
    cut = phrase[:limit].rsplit(" ", 1)[0] if " " in phrase[:limit] else phrase[:limit]
    return cut + "…"


def trigger(sentence: ScoredSentence, signal: str) -> tuple[int, int]:
    """Return the strongest evidence span for signal, or the whole sentence."""
    spans = [e for e in sentence.evidence if e.signal == signal and e.end > e.start]
    if not spans:
        return sentence.start, sentence.end
    best = max(spans, key=lambda e: (e.weight, -e.start))
    return best.start, best.end


def located(
    *,
    path: str,
    rule: str,
    level: ReportLevel,
    message: str,
    span: tuple[int, int],
    context: tuple[int, int],
    text: str,
    index: LineIndex,
    score: float | None = None,
) -> Finding:
    """Return a finding with positions computed from the original text."""
    start, end = span
    return Finding(
        path=path,
        rule=rule,
        level=level,
        message=message,
        start=start,
        end=end,
        start_pos=index.position(start),
        end_pos=index.position(end),
        context_start=context[0],
        context_end=context[1],
        context=text[context[0] : context[1]],
        context_lines=(index.line_of(context[0]), index.line_of(max(context[0], context[1] - 1))),
        score=score,
    )


def signal_findings(
    *,
    path: str,
    text: str,
    index: LineIndex,
    sentences: Sequence[ScoredSentence],
    level_of: Callable[[str], Level],
) -> list[Finding]:
    """Return a finding for each flagged (sentence, signal) whose level is not off."""
    findings = []
    for sentence in sentences:
        for signal in sentence.flags:
            level = level_of(signal)
            if level == "off":
                continue
            start, end = trigger(sentence, signal)
            rule = rule_for(signal)
            whole = (start, end) == (sentence.start, sentence.end)
            quoted = "" if whole else f' "{shorten(collapse(text[start:end]))}"'
            findings.append(
                located(
                    path=path,
                    rule=signal,
                    level=level,
                    message=f"{rule.label}{quoted}: {rule.advice}",
                    span=(start, end),
                    context=(sentence.start, sentence.end),
                    text=text,
                    index=index,
                    score=sentence.scores[signal],
                )
            )
    return findings


def sort_key(finding: Finding, rule_order: Mapping[str, int]) -> tuple[str, int, int, str]:
    """Order findings by file, position, then rule (signals in model order)."""
    order = rule_order.get(finding.rule, len(rule_order))
    return (finding.path, finding.start, order, finding.rule)
