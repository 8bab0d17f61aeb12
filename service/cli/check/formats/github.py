"""GitHub Actions workflow commands: ``::warning file=…,line=…::message`` annotations.

GitHub shows at most 10 annotations of each level per step, so after 10 of a level the
rest are printed as plain log lines, followed by a summary of how many were not annotated.
"""

from __future__ import annotations

from collections import Counter

from service.cli.check.findings import Finding
from service.cli.check.formats.common import TOOL_NAME, plural
from service.cli.check.run import Report

ANNOTATIONS_PER_LEVEL = 10


def escape_data(value: str) -> str:
    """Escape a workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property value (also ':' and ',')."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """Return the workflow command for one finding."""
    score = f" ({finding.score:.2f})" if finding.score is not None else ""
    properties = {
        "file": finding.path,
        "line": str(finding.start_pos.line),
        "col": str(finding.start_pos.column),
        "endLine": str(finding.end_pos.line),
        "endColumn": str(finding.end_pos.column),
        "title": f"{TOOL_NAME} {finding.rule}{score}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{finding.level} {joined}::{escape_data(finding.message)}\n"


def plain(finding: Finding) -> str:
    """Return a log line for a finding beyond the annotation limit."""
    position = f"{finding.path}:{finding.start_pos.line}:{finding.start_pos.column}"
    return f"{position}: {finding.level} {finding.rule} {finding.message}\n"


def render(report: Report, color: bool) -> str:
    """Return annotations for the first findings of each level and log lines for the rest."""
    del color
    shown: Counter[str] = Counter()
    lines = []
    overflow: Counter[str] = Counter()
    for finding in report.active:
        if shown[finding.level] < ANNOTATIONS_PER_LEVEL:
            shown[finding.level] += 1
            lines.append(annotation(finding))
        else:
            overflow[finding.level] += 1
            lines.append(plain(finding))
    if overflow:
        rest = ", ".join(
            plural(overflow[level], level)
            for level in ("error", "warning", "notice")
            if overflow[level]
        )
        lines.append(
            f"{TOOL_NAME}: GitHub annotates {ANNOTATIONS_PER_LEVEL} findings per level and step; "
            f"{rest} more are listed above as plain lines.\n"
        )
    return "".join(lines)
