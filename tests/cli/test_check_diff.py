"""``--diff REF`` keeps findings whose sentence touches a line changed since REF."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from check_helpers import Run, write

ANON = "A senior official said the convoy was turned back."
HEDGE = "The storm may have caused the outage."
BOTH = "Officials allegedly hid the report."


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit holds old.md and a.md."""
    git(tmp_path, "init", "-q", "-b", "main")
    write(tmp_path / "a.md", f"# Draft\n\n{ANON}\n\n{HEDGE}\n")
    write(tmp_path / "old.md", f"{BOTH}\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def _rules(run: Run, *args: str) -> list[tuple[str, str, int]]:
    outcome = run("--format", "json", *args)
    assert outcome.exit_code in (0, 1), outcome.stderr
    findings: list[dict[str, Any]] = json.loads(outcome.stdout)["findings"]
    return [(f["path"], f["rule"], f["line"]) for f in findings]


def test_unchanged_repository_reports_nothing(run: Run, repo: Path) -> None:
    assert _rules(run, "--diff", "HEAD", ".") == []


def test_only_changed_lines_and_new_files_are_reported(run: Run, repo: Path) -> None:
    write(repo / "a.md", f"# Draft\n\n{ANON}\n\n{BOTH}\n\n{HEDGE}\n")
    write(repo / "new.md", f"{HEDGE}\n")
    assert _rules(run, "--diff", "HEAD", ".") == [
        ("a.md", "anonymous_sourcing", 5),
        ("a.md", "unverified_claim", 5),
        ("new.md", "hedging", 1),
    ]


def test_a_changed_line_inside_a_wrapped_sentence_counts(run: Run, repo: Path) -> None:
    write(repo / "a.md", f"# Draft\n\n{ANON}\n\nThe storm may have\ncaused the outage.\n")
    assert _rules(run, "--diff", "HEAD", "a.md") == [("a.md", "hedging", 5)]


def test_staged_and_committed_changes_count_against_an_older_ref(run: Run, repo: Path) -> None:
    write(repo / "a.md", f"# Draft\n\n{ANON}\n\n{HEDGE}\n\n{BOTH}\n")
    git(repo, "commit", "-q", "-am", "second")
    assert [r[2] for r in _rules(run, "--diff", "HEAD~1", "a.md")] == [7, 7]
    assert _rules(run, "--diff", "HEAD", "a.md") == []


@pytest.mark.parametrize(
    ("ref", "message"), [("no-such-branch", "unknown git ref 'no-such-branch'")]
)
def test_unknown_ref_exits_2(run: Run, repo: Path, ref: str, message: str) -> None:
    outcome = run("--diff", ref, "a.md")
    assert outcome.exit_code == 2
    assert message in outcome.stderr


def test_outside_a_repository_exits_2(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"{ANON}\n")
    outcome = run("--diff", "HEAD", "a.md")
    assert outcome.exit_code == 2
    assert "is not inside a git repository" in outcome.stderr
