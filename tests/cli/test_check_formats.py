"""Output formats: SARIF against the official schema, GitHub commands, reviewdog, text."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from check_helpers import SARIF_SCHEMA, Run, write

from service.cli.check import use_color
from service.cli.check.findings import Finding
from service.cli.check.formats.github import escape_data, escape_property
from service.cli.check.formats.text import cell_width, excerpt, render_finding
from service.cli.check.positions import Position

ANON = "A senior official said the convoy was turned back."


def _sarif(run: Run, *args: str) -> dict[str, Any]:
    outcome = run("--format", "sarif", *args)
    assert outcome.exit_code in (0, 1), outcome.stderr
    log: dict[str, Any] = json.loads(outcome.stdout)
    return log


def test_sarif_is_valid_against_the_official_schema(run: Run, drafts: Path) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    log = _sarif(run, "--report-unused-disables", "drafts")
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(log)


def test_sarif_declares_code_point_columns_and_one_rule_per_signal(run: Run, drafts: Path) -> None:
    run_log = _sarif(run, "drafts")["runs"][0]
    rules = run_log["tool"]["driver"]["rules"]
    assert run_log["columnKind"] == "unicodeCodePoints"
    assert [r["id"] for r in rules][:4] == [
        "anonymous_sourcing",
        "unverified_claim",
        "no_evidence",
        "hedging",
    ]
    assert rules[0]["defaultConfiguration"] == {"level": "warning"}
    assert rules[3]["defaultConfiguration"] == {"level": "note"}
    assert all(r["fullDescription"]["text"] and r["help"]["text"] for r in rules)


def test_sarif_results_locate_the_phrase(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "d" / "a b.md", f"# 東京 😀\n\n😀 {ANON}\n")
    (result,) = _sarif(run, "d")["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "d/a%20b.md"
    region = location["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 3)
    assert region["charOffset"] == len("# 東京 😀\n\n😀 ")
    assert region["charLength"] == len(region["snippet"]["text"])
    assert result["partialFingerprints"]["misinfoSignals/v1"]


def test_sarif_lists_suppressed_findings_as_in_source(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        f"<!-- misinfo-signals: disable-next-sentence -- approved by the desk -->\n{ANON}\n",
    )
    (result,) = _sarif(run, "a.md")["runs"][0]["results"]
    assert result["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "approved by the desk"}
    ]


@pytest.mark.parametrize(
    ("value", "data", "prop"),
    [
        ("50% done", "50%25 done", "50%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_github_escaping(value: str, data: str, prop: str) -> None:
    assert escape_data(value) == data
    assert escape_property(value) == prop


def test_github_annotation_fields(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "dir, with: comma.md", f"😀\t{ANON}\n")
    (line,) = run("--format", "github", "dir, with: comma.md").stdout.splitlines()
    assert line.startswith(
        "::warning file=dir%2C with%3A comma.md,line=1,col=3,endLine=1,endColumn="
    )
    assert ",title=misinfo-signals anonymous_sourcing (1.00)::unnamed source" in line


def test_github_annotates_ten_per_level_then_summarises(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", "\n\n".join([ANON] * 12) + "\n")
    lines = run("--format", "github", "a.md").stdout.splitlines()
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert lines[10].startswith("a.md:21:1: warning anonymous_sourcing")
    assert lines[-1] == (
        "misinfo-signals: GitHub annotates 10 findings per level and step; "
        "2 warnings more are listed above as plain lines."
    )


def test_rdjsonl_uses_utf8_byte_columns(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"😀 {ANON}\n")
    (line,) = run("--format", "rdjsonl", "a.md").stdout.splitlines()
    diagnostic = json.loads(line)
    assert diagnostic["location"]["path"] == "a.md"
    assert diagnostic["location"]["range"]["start"] == {"line": 1, "column": 6}
    assert diagnostic["severity"] == "WARNING"
    assert diagnostic["code"] == {"value": "anonymous_sourcing"}


def test_output_file_receives_the_report(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n")
    outcome = run("--format", "json", "--output", "report.json", "a.md")
    assert outcome.stdout == ""
    assert outcome.exit_code == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["findings"] == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("fmt", "output", "stream", "environ", "expected"),
    [
        ("text", None, _Terminal(), {}, True),
        ("text", None, _Terminal(), {"NO_COLOR": "1"}, False),
        ("text", None, _Terminal(), {"NO_COLOR": ""}, True),
        ("text", None, io.StringIO(), {}, False),
        ("text", Path("out.txt"), _Terminal(), {}, False),
        ("json", None, _Terminal(), {}, False),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    fmt: str, output: Path | None, stream: io.StringIO, environ: dict[str, str], expected: bool
) -> None:
    assert use_color(fmt, output, stream, environ) is expected


def test_text_output_is_plain_when_not_a_terminal(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n")
    assert "\x1b[" not in run("a.md").stdout


@pytest.mark.parametrize(
    ("char", "width"), [("a", 1), ("東", 2), ("😀", 2), ("\u0301", 0), ("\u200d", 0)]
)
def test_cell_width(char: str, width: int) -> None:
    assert cell_width(char) == width


def _finding(context: str, phrase: str) -> Finding:
    start = context.index(phrase)
    return Finding(
        path="a.md",
        rule="hedging",
        level="notice",
        message="m",
        start=start,
        end=start + len(phrase),
        start_pos=Position(1, 1, 1),
        end_pos=Position(1, 1, 1),
        context_start=0,
        context_end=len(context),
        context=context,
        context_lines=(1, 1),
    )


@pytest.mark.parametrize(
    ("context", "phrase", "expected"),
    [
        ("It may rain.", "may rain", ("It may rain.", 3, 8)),
        ("東京 may\r\n  rain.", "may\r\n  rain", ("東京 may rain.", 5, 8)),
        ("😀\tmay rain.", "may", ("😀 may rain.", 3, 3)),
    ],
)
def test_text_marker_aligns_in_terminal_cells(
    context: str, phrase: str, expected: tuple[str, int, int]
) -> None:
    assert excerpt(_finding(context, phrase)) == expected


def test_colour_marks_level_and_phrase() -> None:
    coloured = render_finding(_finding("It may rain.", "may"), color=True)
    assert "\x1b[36m\x1b[1mnotice\x1b[0m" in coloured
    assert render_finding(_finding("It may rain.", "may"), color=False).count("\x1b") == 0
