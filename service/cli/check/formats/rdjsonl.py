"""reviewdog's rdjsonl: one Diagnostic JSON object per line.

reviewdog counts columns in UTF-8 bytes (its Position message says so), so this format
reports byte columns; the range end is exclusive, as reviewdog defines it.
"""

from __future__ import annotations

import json
from typing import Any

from service.cli.check.findings import Finding
from service.cli.check.formats.common import TOOL_NAME
from service.cli.check.run import Report

SEVERITY = {"error": "ERROR", "warning": "WARNING", "notice": "INFO"}


def diagnostic(finding: Finding) -> dict[str, Any]:
    """Return the reviewdog Diagnostic of one finding."""
    return {
        "message": finding.message,
        "location": {
            "path": finding.path,
            "range": {
                "start": {"line": finding.start_pos.line, "column": finding.start_pos.byte_column},
                "end": {"line": finding.end_pos.line, "column": finding.end_pos.byte_column},
            },
        },
        "severity": SEVERITY[finding.level],
        "source": {"name": TOOL_NAME},
        "code": {"value": finding.rule},
    }


def render(report: Report, color: bool) -> str:
    """Return one line per active finding."""
    del color
    return "".join(json.dumps(diagnostic(f), ensure_ascii=False) + "\n" for f in report.active)
