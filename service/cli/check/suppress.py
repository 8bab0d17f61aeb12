"""In-source suppressions written as HTML comments, in Markdown, HTML and plain text alike.

    <!-- misinfo-signals: disable-next-sentence anonymous_sourcing -- source protected -->
    <!-- misinfo-signals: disable hedging, unverified_claim -- quoted verbatim -->
    ...
    <!-- misinfo-signals: enable -->

Signal ids are separated by commas or spaces; none (or ``all``) means every signal. Text
after `` -- `` is the reason, which every ``disable`` needs: a suppression without one
still applies but is itself reported (``suppression-without-reason``), so the review sees
one problem, not two. ``enable`` with no ids ends every open region; ``enable X`` ends the
regions that named X. A comment that starts with ``misinfo-signals:`` but cannot be parsed
is reported as ``invalid-suppression`` and ignored. In plain text (which has no comments)
the same comment form is recognised, and blanked out before scoring so it is never prose.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from service.cli.check.findings import Finding, Suppression
from service.core.signals import KNOWN_SIGNALS

DirectiveKind = Literal["disable-next-sentence", "disable", "enable"]
PREFIX = "misinfo-signals:"
_KINDS: tuple[DirectiveKind, ...] = ("disable-next-sentence", "disable", "enable")
_PLAIN_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_IDS = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment: its span in the document and the text between ``<!--`` and ``-->``."""

    start: int
    end: int
    inner: str


@dataclass(frozen=True, slots=True)
class Directive:
    """A parsed suppression comment."""

    kind: DirectiveKind
    signals: frozenset[str] | None
    reason: str | None
    start: int
    end: int
    text: str

    def covers(self, signal: str) -> bool:
        """Return whether this directive names signal (or every signal)."""
        return self.signals is None or signal in self.signals


@dataclass(frozen=True, slots=True)
class DirectiveProblem:
    """A comment that looks like a directive but is not one."""

    start: int
    end: int
    text: str
    problem: str


@dataclass(frozen=True, slots=True)
class Region:
    """Where a ``disable`` directive applies: [start, end) in document offsets."""

    directive: Directive
    start: int
    end: int


def plain_comments(text: str) -> list[Comment]:
    """Return the ``<!-- -->`` comments of a plain-text document."""
    return [Comment(m.start(), m.end(), m.group(1)) for m in _PLAIN_COMMENT.finditer(text)]


def blank_directives(text: str, directives: Sequence[Directive | DirectiveProblem]) -> str:
    """Return text with each directive comment replaced by spaces (line breaks kept)."""
    chars = list(text)
    for item in directives:
        for i in range(item.start, item.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def parse_directives(
    comments: Sequence[Comment], known: Collection[str] = ()
) -> tuple[list[Directive], list[DirectiveProblem]]:
    """Parse the comments that start with ``misinfo-signals:``; others are not ours."""
    valid = set(KNOWN_SIGNALS) | set(known)
    directives: list[Directive] = []
    problems: list[DirectiveProblem] = []
    for comment in comments:
        body = comment.inner.strip()
        if not body.lower().startswith(PREFIX):
            continue
        text = " ".join(body.split())
        parsed = _parse(body[len(PREFIX) :], valid)
        if isinstance(parsed, str):
            problems.append(DirectiveProblem(comment.start, comment.end, text, parsed))
        else:
            kind, signals, reason = parsed
            directives.append(Directive(kind, signals, reason, comment.start, comment.end, text))
    return directives, problems


def _parse(
    rest: str, valid: set[str]
) -> str | tuple[DirectiveKind, frozenset[str] | None, str | None]:
    """Return (kind, signals, reason) or a description of what is wrong."""
    head, separator, reason_text = rest.partition(" --")
    if not separator and rest.rstrip().endswith("--"):
        head, separator = rest.rstrip()[:-2], "--"
    words = head.split(None, 1)
    if not words:
        return f"missing directive; use one of {', '.join(_KINDS)}"
    verb = words[0].lower()
    if verb not in _KINDS:
        close = difflib.get_close_matches(verb, _KINDS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown directive {words[0]!r}{hint}; use one of {', '.join(_KINDS)}"
    kind: DirectiveKind = verb
    ids = [i for i in _IDS.split(words[1] if len(words) > 1 else "") if i]
    signals: frozenset[str] | None = None
    if ids and ids != ["all"]:
        for signal in ids:
            if signal not in valid:
                close = difflib.get_close_matches(signal, sorted(valid), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                return f"unknown signal {signal!r}{hint}"
        signals = frozenset(ids)
    reason = " ".join(reason_text.split()) or None
    return kind, signals, reason


def regions(directives: Sequence[Directive], length: int) -> list[Region]:
    """Return the region each ``disable`` opens, ended by the next matching ``enable``."""
    result = []
    for n, directive in enumerate(directives):
        if directive.kind != "disable":
            continue
        end = length
        for later in directives[n + 1 :]:
            if later.kind == "enable" and (
                later.signals is None
                or (directive.signals is not None and directive.signals & later.signals)
            ):
                end = later.start
                break
        result.append(Region(directive, directive.end, end))
    return result


def next_sentence_start(directive: Directive, sentence_starts: Sequence[int]) -> int | None:
    """Return the start of the first sentence after the comment, if any."""
    return next((s for s in sentence_starts if s >= directive.end), None)


@dataclass(frozen=True, slots=True)
class Applied:
    """Findings after suppression, plus what the comments themselves must report."""

    findings: list[Finding]
    missing_reason: list[Directive]
    unused: list[tuple[Directive, tuple[str, ...] | None]]


def apply_suppressions(
    findings: Sequence[Finding],
    directives: Sequence[Directive],
    sentence_starts: Sequence[int],
    length: int,
) -> Applied:
    """Mark the findings a directive covers as suppressed and note unused directives."""
    next_targets = {
        d: next_sentence_start(d, sentence_starts)
        for d in directives
        if d.kind == "disable-next-sentence"
    }
    open_regions = regions(directives, length)
    used: dict[Directive, set[str]] = {d: set() for d in directives}
    result = []
    for finding in findings:
        covering = [
            d
            for d, target in next_targets.items()
            if target == finding.context_start and d.covers(finding.rule)
        ]
        covering += [
            r.directive
            for r in open_regions
            if r.start <= finding.start < r.end and r.directive.covers(finding.rule)
        ]
        if covering:
            first = min(covering, key=lambda d: d.start)
            for directive in covering:
                used[directive].add(finding.rule)
            finding = replace(finding, suppression=Suppression(first.reason, first.text))
        result.append(finding)
    unused: list[tuple[Directive, tuple[str, ...] | None]] = []
    for directive in directives:
        if directive.kind == "enable":
            continue
        if directive.signals is None:
            if not used[directive]:
                unused.append((directive, None))
        else:
            idle = tuple(sorted(directive.signals - used[directive]))
            if idle:
                unused.append((directive, idle))
    missing = [d for d in directives if d.kind != "enable" and d.reason is None]
    return Applied(result, missing, unused)
