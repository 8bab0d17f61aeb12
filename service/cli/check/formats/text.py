"""Human output: ``path:line:col: level rule score message``, then the sentence, phrase marked.

The marker line is aligned in terminal cells, so wide CJK characters and emoji take two
cells and combining marks none; whitespace runs in the sentence print as one space.
"""

from __future__ import annotations

import unicodedata

import click

from service.cli.check.findings import Finding
from service.cli.check.formats.common import level_counts, plural
from service.cli.check.run import Report

_COLOURS = {"error": "red", "warning": "yellow", "notice": "cyan"}
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f\ufeff")
INDENT = "    "


def cell_width(char: str) -> int:
    """Return how many terminal cells a character takes."""
    if char in _ZERO_WIDTH or unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def excerpt(finding: Finding) -> tuple[str, int, int]:
    """Return the one-line context and the cell offset and cell width of the phrase in it."""
    out: list[str] = []
    cells_before: list[int] = []  # the cell where each context character lands
    cells = 0
    in_space = False
    for char in finding.context:
        cells_before.append(cells)
        if char.isspace():
            if not in_space:
                out.append(" ")
                cells += 1
            in_space = True
        else:
            out.append(char)
            cells += cell_width(char)
            in_space = False
    cells_before.append(cells)
    start = cells_before[finding.start - finding.context_start]
    end = cells_before[finding.end - finding.context_start]
    return "".join(out).rstrip(), start, max(1, end - start)


def render_finding(finding: Finding, color: bool) -> str:
    """Return the header line, the sentence and the marker line of one finding."""
    position = f"{finding.path}:{finding.start_pos.line}:{finding.start_pos.column}:"
    score = f"{finding.score:.2f}" if finding.score is not None else "-"
    level: str = finding.level
    if color:
        position = click.style(position, bold=True)
        level = click.style(level, fg=_COLOURS[finding.level], bold=True)
    header = f"{position} {level} {finding.rule} {score} {finding.message}"
    line, offset, width = excerpt(finding)
    marker = " " * offset + "^" + "~" * (width - 1)
    if color:
        marker = click.style(marker, fg=_COLOURS[finding.level])
    return f"{header}\n{INDENT}{line}\n{INDENT}{marker}\n"


def summary(report: Report) -> str:
    """Return the closing line: counts by level, suppressed and baselined."""
    active = report.active
    counts = level_counts(active)
    files = plural(len(report.files), "file")
    if not active:
        head = f"No findings in {files}"
    else:
        parts = ", ".join(plural(counts[level], level) for level in counts)
        head = f"{plural(len(active), 'finding')} ({parts}) in {files}"
    extras = []
    if report.suppressed:
        extras.append(f"{len(report.suppressed)} suppressed")
    if report.baselined:
        extras.append(f"{report.baselined} accepted by the baseline")
    if report.baseline_written is not None:
        extras.append(f"baseline written with {plural(report.baseline_written, 'finding')}")
    verdict = "fails" if report.failed else "passes"
    fail_on = f"{verdict} at fail-on {report.fail_on}"
    if report.fail_on == "none":
        fail_on = "never fails (fail-on none)"
    tail = f"; {'; '.join(extras)}" if extras else ""
    return f"{head}{tail}; {fail_on}.\n"


def render(report: Report, color: bool) -> str:
    """Return the whole text report."""
    blocks = [render_finding(f, color) for f in report.active]
    return "".join(blocks) + ("\n" if blocks else "") + summary(report)
