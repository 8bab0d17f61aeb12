"""Baselines: content fingerprints survive moved paragraphs; only new findings fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from check_helpers import Run, write

ANON = "A senior official said the convoy was turned back."
HEDGE = "The storm may have caused the outage."
BOTH = "Officials allegedly hid the report."


def _rules(outcome_stdout: str) -> list[tuple[str, int]]:
    findings: list[dict[str, Any]] = json.loads(outcome_stdout)["findings"]
    return [(f["rule"], f["line"]) for f in findings]


def _fingerprints(run: Run, path: str) -> list[str]:
    findings = json.loads(run("--format", "json", path).stdout)["findings"]
    return sorted(f["fingerprint"] for f in findings)


def test_write_baseline_accepts_current_findings(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n\n{HEDGE}\n")
    outcome = run("--write-baseline", "baseline.json", "a.md")
    assert outcome.exit_code == 0
    assert "accepted by the baseline" in outcome.stdout
    stored = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["rule"]) for e in stored["findings"]] == [
        ("a.md", "anonymous_sourcing"),
        ("a.md", "hedging"),
    ]


def test_moved_paragraph_stays_accepted(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"# Title\n\n{ANON}\n\n{HEDGE}\n")
    run("--write-baseline", "baseline.json", "a.md")
    write(tmp_path / "a.md", f"# Title\n\nThe museum opened in 1928.\n\n{HEDGE}\n\n\n{ANON}\n")
    outcome = run("--baseline", "baseline.json", "--format", "json", "a.md")
    assert outcome.exit_code == 0
    assert _rules(outcome.stdout) == []
    assert json.loads(outcome.stdout)["summary"]["baselined"] == 2


def test_only_new_findings_are_reported(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n")
    run("--write-baseline", "baseline.json", "a.md")
    write(tmp_path / "a.md", f"{ANON}\n\n{BOTH}\n")
    outcome = run("--baseline", "baseline.json", "--format", "json", "a.md")
    assert outcome.exit_code == 1
    assert _rules(outcome.stdout) == [("anonymous_sourcing", 3), ("unverified_claim", 3)]


def test_a_repeated_sentence_counts_per_occurrence(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n\n{ANON}\n")
    run("--write-baseline", "baseline.json", "a.md")
    write(tmp_path / "a.md", f"{ANON}\n\n{ANON}\n\n{ANON}\n")
    outcome = run("--baseline", "baseline.json", "--format", "json", "a.md")
    assert len(_rules(outcome.stdout)) == 1


@pytest.mark.parametrize(
    "changed",
    [
        f"{ANON.replace('convoy ', 'convoy' + chr(10))}\n\n{HEDGE}\n",
        f"{ANON}\r\n\r\n{HEDGE}\r\n",
        f"{ANON}   \n\n\n{HEDGE}\n",
        f"{ANON.replace('convoy ', 'convoy' + chr(13) + chr(10))}\r\n\r\n{HEDGE}\r\n",
    ],
    ids=["rewrapped", "crlf", "blank-lines", "crlf-rewrapped"],
)
def test_layout_changes_keep_fingerprints(run: Run, tmp_path: Path, changed: str) -> None:
    write(tmp_path / "a.md", f"{ANON}\n\n{HEDGE}\n")
    before = _fingerprints(run, "a.md")
    write(tmp_path / "a.md", changed)
    assert _fingerprints(run, "a.md") == before


def test_editing_the_sentence_makes_a_new_finding(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n")
    before = _fingerprints(run, "a.md")
    write(tmp_path / "a.md", ANON.replace("convoy", "column") + "\n")
    assert _fingerprints(run, "a.md") != before


def test_baseline_paths_are_relative_to_the_baseline_file(
    run: Run, tmp_path: Path, monkeypatch: Any
) -> None:
    write(tmp_path / "drafts" / "a.md", f"{ANON}\n")
    run("--write-baseline", "ci/baseline.json", "drafts/a.md")
    stored = json.loads((tmp_path / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert stored["findings"][0]["path"] == "../drafts/a.md"
    monkeypatch.chdir(tmp_path / "drafts")
    assert run("--baseline", "../ci/baseline.json", "a.md").exit_code == 0


def test_suppressed_findings_stay_out_of_the_baseline(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        f"<!-- misinfo-signals: disable-next-sentence -- agreed -->\n{ANON}\n\n{HEDGE}\n",
    )
    run("--write-baseline", "baseline.json", "a.md")
    stored = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert [e["rule"] for e in stored["findings"]] == ["hedging"]
