"""Every reported position points at the reported phrase in the original file bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from check_helpers import Run


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Count lines the way editors do (CRLF, LF or CR) and columns in code points."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    line = max(n for n, start in enumerate(starts) if start <= offset)
    return line + 1, offset - starts[line] + 1


def test_offsets_lines_and_columns_agree_with_the_file(run: Run, drafts: Path) -> None:
    outcome = run("--format", "json", "--report-unused-disables", "drafts")
    findings = json.loads(outcome.stdout)["findings"]
    assert len({f["path"] for f in findings}) == 4
    for finding in findings:
        text = (drafts.parent / finding["path"]).read_bytes().decode("utf-8")
        start, end = finding["offset"], finding["offset"] + finding["length"]
        assert text[start:end] == finding["phrase"]
        assert finding["phrase"] in finding["sentence"]
        assert _line_col(text, start) == (finding["line"], finding["column"])
        assert _line_col(text, end) == (finding["end_line"], finding["end_column"])


def test_crlf_draft_really_has_crlf(drafts: Path) -> None:
    assert b"\r\n" in (drafts / "council-crlf.md").read_bytes()
