"""Machine output: one JSON document with every finding (suppressed ones marked) and a summary.

Lines and columns are 1-based, columns in Unicode code points; ``end_column`` is exclusive;
``offset``/``length`` are code points from the start of the (BOM-less) file.
"""

from __future__ import annotations

from typing import Any

from service.cli.check.findings import Finding
from service.cli.check.formats.common import (
    TOOL_NAME,
    dumps_items_per_line,
    level_counts,
    tool_version,
)
from service.cli.check.run import Report

SCHEMA_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    """Return the JSON object of one finding."""
    suppression = None
    if finding.suppression is not None:
        suppression = {
            "kind": "in-source",
            "reason": finding.suppression.reason,
            "comment": finding.suppression.directive,
        }
    return {
        "path": finding.path,
        "line": finding.start_pos.line,
        "column": finding.start_pos.column,
        "end_line": finding.end_pos.line,
        "end_column": finding.end_pos.column,
        "offset": finding.start,
        "length": finding.end - finding.start,
        "rule": finding.rule,
        "level": finding.level,
        "score": finding.score,
        "message": finding.message,
        "phrase": finding.phrase,
        "sentence": finding.context,
        "fingerprint": finding.fingerprint,
        "suppression": suppression,
    }


def render(report: Report, color: bool) -> str:
    """Return the JSON report (colour never applies)."""
    del color
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "model": {"name": report.model.name, "version": report.model.version},
        "fail_on": report.fail_on,
        "files": list(report.files),
        "findings": [],
        "summary": {
            "files": len(report.files),
            "findings": len(report.active),
            "by_level": level_counts(report.active),
            "suppressed": len(report.suppressed),
            "baselined": report.baselined,
            "failed": report.failed,
        },
    }
    findings = [finding_dict(f) for f in report.findings]
    return dumps_items_per_line(document, findings, ["findings"])
