"""SARIF 2.1.0 for code scanning: one rule per signal (and per suppression rule), one result
per finding, positions in Unicode code points (``columnKind: unicodeCodePoints``).

Suppressed findings are kept with an ``inSource`` suppression, so code scanning shows them
as dismissed rather than forgetting them; baselined findings are left out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from service.cli.check.baseline import FINGERPRINT_KEY
from service.cli.check.findings import Finding, rule_for
from service.cli.check.formats.common import TOOL_NAME, dumps_items_per_line, tool_version
from service.cli.check.run import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "notice": "note", "off": "none"}
SRCROOT = "%SRCROOT%"


def rule_descriptor(rule_id: str) -> dict[str, Any]:
    """Return the reportingDescriptor of one rule."""
    rule = rule_for(rule_id)
    name = "".join(part.capitalize() for part in rule_id.replace("-", "_").split("_"))
    return {
        "id": rule_id,
        "name": name,
        "shortDescription": {"text": rule.label[0].upper() + rule.label[1:]},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.description} To fix: {rule.advice}.",
            "markdown": f"{rule.description}\n\n**To fix:** {rule.advice}.",
        },
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.default_level]},
    }


def artifact_uri(path: str) -> str:
    """Return a relative URI reference for a display path (forward slashes, escaped)."""
    return quote(path, safe="/")


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    """Return the SARIF result of one finding."""
    item: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": SARIF_LEVEL[finding.level],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": SRCROOT},
                    "region": {
                        "startLine": finding.start_pos.line,
                        "startColumn": finding.start_pos.column,
                        "endLine": finding.end_pos.line,
                        "endColumn": finding.end_pos.column,
                        "charOffset": finding.start,
                        "charLength": finding.end - finding.start,
                        "snippet": {"text": finding.phrase},
                    },
                    "contextRegion": {
                        "startLine": finding.context_lines[0],
                        "endLine": finding.context_lines[1],
                        "charOffset": finding.context_start,
                        "charLength": finding.context_end - finding.context_start,
                        "snippet": {"text": finding.context},
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.score is not None:
        item["properties"] = {"score": finding.score}
    if finding.suppression is not None:
        suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
        if finding.suppression.reason:
            suppression["justification"] = finding.suppression.reason
        item["suppressions"] = [suppression]
    return item


def render(report: Report, color: bool) -> str:
    """Return the SARIF log."""
    del color
    rules = list(report.rules)
    index = {rule: n for n, rule in enumerate(rules)}
    log: dict[str, Any] = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": tool_version(),
                        "semanticVersion": tool_version(),
                        "rules": [rule_descriptor(rule) for rule in rules],
                        "properties": {
                            "model": {"name": report.model.name, "version": report.model.version}
                        },
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [],
                "invocations": [{"executionSuccessful": True}],
            }
        ],
    }
    results = [result(f, index[f.rule]) for f in report.findings]
    return dumps_items_per_line(log, results, ["runs", 0, "results"])
