"""Run a check: discover files, score them, locate findings, then suppress, baseline and diff.

This is the library layer under the click command: it raises CheckError or ModelError and
returns a Report; it never prints and never exits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.cli.check import baseline as baselines
from service.cli.check.backends import ModelInfo, ScoredDocument, ScoreItem, Scorer
from service.cli.check.config import FailOn, Policy, fails
from service.cli.check.discover import InputFormat, Source, TextFormat, discover, read_source
from service.cli.check.findings import (
    INVALID,
    META_LEVELS,
    META_RULES,
    UNUSED,
    WITHOUT_REASON,
    Finding,
    located,
    rule_for,
    signal_findings,
    sort_key,
)
from service.cli.check.gitdiff import changed_lines, touches
from service.cli.check.positions import LineIndex
from service.cli.check.suppress import (
    PREFIX,
    Comment,
    Directive,
    DirectiveProblem,
    apply_suppressions,
    blank_directives,
    parse_directives,
    plain_comments,
)
from service.core.signals import Level


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """Everything about a run that is not policy."""

    paths: tuple[str, ...] = ()
    input_format: InputFormat = "auto"
    stdin_name: str | None = None
    diff: str | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    report_unused: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of a run: reported findings (suppressed ones included, marked) and counts."""

    model: ModelInfo
    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    fail_on: FailOn
    baselined: int = 0
    baseline_written: int | None = None
    rules: tuple[str, ...] = field(default=())

    @property
    def active(self) -> list[Finding]:
        """Return the findings no comment suppressed."""
        return [f for f in self.findings if f.suppression is None]

    @property
    def suppressed(self) -> list[Finding]:
        """Return the findings a comment suppressed."""
        return [f for f in self.findings if f.suppression is not None]

    @property
    def failed(self) -> bool:
        """Return whether an active finding is at or above fail-on."""
        return any(fails(f.level, self.fail_on) for f in self.active)


@dataclass(slots=True)
class _Document:
    """One source while it moves through the run."""

    source: Source
    text: str
    scored_text: str
    directives: list[Directive]
    problems: list[DirectiveProblem]


def _comments(text: str, fmt: TextFormat) -> list[Comment]:
    """Return the HTML comments of a document that may hold suppression directives."""
    if PREFIX not in text.lower():
        return []  # the common case, and it spares a second Markdown parse
    if fmt == "plain":
        return plain_comments(text)
    from service.core.markup import html_comments  # the Markdown parser loads only when needed

    return [Comment(start, end, inner) for start, end, inner in html_comments(text, fmt)]


def _prepare(source: Source, known: Sequence[str]) -> _Document:
    """Read a source and parse its suppression comments."""
    text = read_source(source)
    directives, problems = parse_directives(_comments(text, source.format), known)
    # Plain text has no comments, so a directive would be scored as prose: blank it out.
    scored_text = (
        blank_directives(text, [*directives, *problems]) if source.format == "plain" else text
    )
    return _Document(source, text, scored_text, directives, problems)


def run_check(options: CheckOptions, policy: Policy, scorer: Scorer, *, cwd: Path) -> Report:
    """Check the files the options name under the policy, scoring with scorer."""
    sources = discover(
        options.paths,
        cwd=cwd,
        root=policy.root,
        include=policy.include,
        exclude=policy.exclude,
        input_format=options.input_format,
        stdin_name=options.stdin_name,
    )
    model = scorer.model()
    documents = [_prepare(source, model.signals) for source in sources]
    policies = [policy.for_path(d.source.relative) for d in documents]
    items = [
        ScoreItem(
            d.source.display,
            d.scored_text,
            d.source.format,
            {s: v for s, v in p.thresholds.items() if s in model.signals},
        )
        for d, p in zip(documents, policies, strict=True)
    ]
    scored = scorer.score(items) if items else []
    findings: list[Finding] = []
    rule_order = {rule: n for n, rule in enumerate((*model.signals, *META_RULES))}
    for document, path_policy, result in zip(documents, policies, scored, strict=True):
        per_file = _document_findings(document, result, path_policy.level, options.report_unused)
        findings.extend(sorted(per_file, key=lambda f: sort_key(f, rule_order)))
    findings = baselines.with_fingerprints(findings)

    written = None
    if options.write_baseline is not None:
        written = baselines.write_baseline(
            options.write_baseline,
            [entry for _, entry in _entries(findings, documents, options.write_baseline)],
        )
    baselined = 0
    accepted_from = options.write_baseline or options.baseline
    if accepted_from is not None:
        accepted = baselines.read_baseline(accepted_from)
        keyed = _entries(findings, documents, accepted_from)
        new, baselined = baselines.split_accepted(keyed, accepted)
        keep = {id(f) for f in new}
        findings = [f for f in findings if f.suppression is not None or id(f) in keep]
    if options.diff is not None:
        findings = _only_changed(findings, documents, options.diff, cwd)
    return Report(
        model=model,
        files=tuple(d.source.display for d in documents),
        findings=tuple(findings),
        fail_on=policy.fail_on,
        baselined=baselined,
        baseline_written=written,
        rules=tuple(rule_order),
    )


def _document_findings(
    document: _Document,
    result: ScoredDocument,
    level_of: Callable[[str], Level],
    report_unused: bool,
) -> list[Finding]:
    """Return a document's signal findings (suppressions applied) and comment findings."""
    source = document.source
    index = LineIndex(document.text)
    findings = signal_findings(
        path=source.display,
        text=document.scored_text,
        index=index,
        sentences=result.sentences,
        level_of=level_of,
    )
    applied = apply_suppressions(
        findings,
        document.directives,
        [s.start for s in result.sentences],
        len(document.text),
    )
    meta: list[Finding] = []

    def comment_finding(rule: str, start: int, end: int, detail: str) -> Finding:
        described = META_RULES[rule]
        return located(
            path=source.display,
            rule=rule,
            level=META_LEVELS[rule],
            message=f"{described.label}: {detail}",
            span=(start, end),
            context=(start, end),
            text=document.text,
            index=index,
        )

    for problem in document.problems:
        meta.append(comment_finding(INVALID, problem.start, problem.end, problem.problem))
    for directive in applied.missing_reason:
        advice = rule_for(WITHOUT_REASON).advice
        meta.append(comment_finding(WITHOUT_REASON, directive.start, directive.end, advice))
    if report_unused:
        for directive, idle in applied.unused:
            next_only = directive.kind == "disable-next-sentence"
            target = "the next sentence" if next_only else "its region"
            what = ", ".join(idle) if idle else "any signal"
            meta.append(
                comment_finding(
                    UNUSED,
                    directive.start,
                    directive.end,
                    f"no {what} finding in {target}; {rule_for(UNUSED).advice}",
                )
            )
    return [*applied.findings, *meta]


def _entries(
    findings: Sequence[Finding], documents: Sequence[_Document], baseline: Path
) -> list[tuple[Finding, baselines.Entry]]:
    """Pair each active finding with its baseline entry (paths relative to the baseline)."""
    paths = {
        d.source.display: baselines.entry_path(d.source.path, d.source.display, baseline)
        for d in documents
    }
    return [
        (f, baselines.Entry(paths[f.path], f.rule, f.fingerprint))
        for f in findings
        if f.suppression is None
    ]


def _only_changed(
    findings: Sequence[Finding], documents: Sequence[_Document], ref: str, cwd: Path
) -> list[Finding]:
    """Keep findings whose sentence touches a line changed since ref."""
    files = [d.source.path for d in documents if d.source.path is not None]
    changed = changed_lines(ref, files, cwd)
    by_display = {d.source.display: d.source.path for d in documents}
    kept = []
    for finding in findings:
        path = by_display.get(finding.path)
        if path is None or touches(finding.context_lines, changed.get(path)):
            kept.append(finding)
    return kept
