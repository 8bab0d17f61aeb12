"""Suppression comments: each form, the required reason, unused and invalid directives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from check_helpers import Run, write

from service.cli.check.suppress import Comment, parse_directives

ANON = "A senior official said the convoy was turned back."
HEDGE = "The storm may have caused the outage."
BOTH = "Officials allegedly hid the report."


@pytest.mark.parametrize(
    ("inner", "kind", "signals", "reason"),
    [
        (
            " misinfo-signals: disable-next-sentence hedging -- quoted ",
            "disable-next-sentence",
            {"hedging"},
            "quoted",
        ),
        (
            " misinfo-signals: disable hedging, no_evidence -- two ",
            "disable",
            {"hedging", "no_evidence"},
            "two",
        ),
        (
            " misinfo-signals: disable hedging no_evidence -- spaces ",
            "disable",
            {"hedging", "no_evidence"},
            "spaces",
        ),
        (" misinfo-signals: disable -- every signal ", "disable", None, "every signal"),
        (" misinfo-signals: disable all -- every signal ", "disable", None, "every signal"),
        (" misinfo-signals: disable hedging ", "disable", {"hedging"}, None),
        (" misinfo-signals: disable hedging -- ", "disable", {"hedging"}, None),
        (" misinfo-signals: enable ", "enable", None, None),
        (" misinfo-signals: enable hedging ", "enable", {"hedging"}, None),
        (
            "\n  misinfo-signals: disable-next-sentence\n  hedging -- wrapped\n  reason\n",
            "disable-next-sentence",
            {"hedging"},
            "wrapped reason",
        ),
    ],
)
def test_directive_forms(
    inner: str, kind: str, signals: set[str] | None, reason: str | None
) -> None:
    directives, problems = parse_directives([Comment(0, 10, inner)])
    assert problems == []
    assert directives[0].kind == kind
    assert directives[0].signals == (None if signals is None else frozenset(signals))
    assert directives[0].reason == reason


@pytest.mark.parametrize(
    ("inner", "problem"),
    [
        (
            " misinfo-signals: disabel hedging -- x ",
            "unknown directive 'disabel' (did you mean 'disable'?)",
        ),
        (
            " misinfo-signals: disable hedgin -- x ",
            "unknown signal 'hedgin' (did you mean 'hedging'?)",
        ),
        (" misinfo-signals: ", "missing directive"),
    ],
)
def test_malformed_directives_are_problems(inner: str, problem: str) -> None:
    directives, problems = parse_directives([Comment(0, 10, inner)])
    assert directives == []
    assert problem in problems[0].problem


def test_other_comments_are_not_directives() -> None:
    assert parse_directives([Comment(0, 10, " TODO: check the quote ")]) == ([], [])


def _findings(run: Run, *args: str) -> list[dict[str, Any]]:
    outcome = run("--format", "json", *args)
    assert outcome.exit_code in (0, 1), outcome.stderr
    findings: list[dict[str, Any]] = json.loads(outcome.stdout)["findings"]
    return findings


def _active(findings: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in findings if f["suppression"] is None]


def _suppressed(findings: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in findings if f["suppression"] is not None]


def test_disable_next_sentence_covers_only_that_sentence_and_signal(
    run: Run, tmp_path: Path
) -> None:
    write(
        tmp_path / "a.md",
        "<!-- misinfo-signals: disable-next-sentence unverified_claim -- court record -->\n"
        f"{BOTH}\n\n{BOTH}\n",
    )
    findings = _findings(run, "a.md")
    assert _suppressed(findings) == [("unverified_claim", 2)]
    assert _active(findings) == [
        ("anonymous_sourcing", 2),
        ("anonymous_sourcing", 4),
        ("unverified_claim", 4),
    ]


def test_suppression_records_its_reason(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"<!-- misinfo-signals: disable-next-sentence -- agreed -->\n{ANON}\n")
    (finding,) = _findings(run, "a.md")
    assert finding["suppression"]["reason"] == "agreed"


def test_disable_region_ends_at_enable(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        f"{HEDGE}\n\n<!-- misinfo-signals: disable hedging -- quoted -->\n{HEDGE}\n\n{HEDGE}\n\n"
        f"<!-- misinfo-signals: enable -->\n{HEDGE}\n",
    )
    findings = _findings(run, "a.md")
    assert _suppressed(findings) == [("hedging", 4), ("hedging", 6)]
    assert _active(findings) == [("hedging", 1), ("hedging", 9)]


def test_disable_without_enable_runs_to_the_end(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        f"{ANON}\n\n<!-- misinfo-signals: disable -- legacy -->\n{ANON}\n\n{HEDGE}\n",
    )
    findings = _findings(run, "a.md")
    assert _active(findings) == [("anonymous_sourcing", 1)]
    assert len(_suppressed(findings)) == 2


def test_enable_of_another_signal_keeps_the_region_open(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        f"<!-- misinfo-signals: disable hedging -- quoted -->\n{HEDGE}\n\n"
        f"<!-- misinfo-signals: enable no_evidence -->\n{HEDGE}\n",
    )
    assert _active(_findings(run, "a.md")) == []


def test_missing_reason_is_an_error_finding_and_still_suppresses(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        f"<!-- misinfo-signals: disable-next-sentence anonymous_sourcing -->\n{ANON}\n",
    )
    findings = _findings(run, "a.md")
    assert _suppressed(findings) == [("anonymous_sourcing", 2)]
    (meta,) = [f for f in findings if f["suppression"] is None]
    assert (meta["rule"], meta["level"], meta["line"], meta["column"]) == (
        "suppression-without-reason",
        "error",
        1,
        1,
    )


def test_missing_reason_fails_even_with_fail_on_error(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"<!-- misinfo-signals: disable-next-sentence -->\n{HEDGE}\n")
    assert run("a.md", "--fail-on", "error").exit_code == 1


def test_invalid_directive_is_reported_and_ignored(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md", f"<!-- misinfo-signals: disable-next-sentence hedgin -- x -->\n{HEDGE}\n"
    )
    assert _active(_findings(run, "a.md")) == [("invalid-suppression", 1), ("hedging", 2)]


@pytest.mark.parametrize(
    ("flag", "expected"),
    [((), []), (("--report-unused-disables",), [("unused-suppression", 3)])],
)
def test_unused_suppression_is_reported_on_request(
    run: Run, tmp_path: Path, flag: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    write(
        tmp_path / "a.md",
        f"{ANON}\n\n<!-- misinfo-signals: disable-next-sentence hedging -- not needed -->\n"
        "The museum opened in 1928.\n",
    )
    findings = _findings(run, "a.md", *flag)
    assert [f for f in _active(findings) if f[0] != "anonymous_sourcing"] == expected


def test_unused_names_only_the_idle_signals(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        "<!-- misinfo-signals: disable-next-sentence anonymous_sourcing, no_evidence -- x -->\n"
        f"{ANON}\n",
    )
    (unused,) = [
        f for f in _findings(run, "a.md", "--report-unused-disables") if f["suppression"] is None
    ]
    assert "no no_evidence finding in the next sentence" in unused["message"]


def test_comment_inside_a_code_fence_is_not_a_directive(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        "```\n<!-- misinfo-signals: disable -- example in docs -->\n```\n\n" + f"{ANON}\n",
    )
    assert _active(_findings(run, "a.md")) == [("anonymous_sourcing", 5)]


def test_plain_text_directive_is_honoured_and_not_scored(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.txt",
        "<!-- misinfo-signals: disable-next-sentence anonymous_sourcing -- officials said it -->\n"
        f"{ANON}\n",
    )
    findings = _findings(run, "a.txt")
    assert _active(findings) == []
    assert _suppressed(findings) == [("anonymous_sourcing", 2)]


def test_html_directive(run: Run, tmp_path: Path) -> None:
    write(
        tmp_path / "a.html",
        "<!-- misinfo-signals: disable-next-sentence hedging -- labelled speculation -->\n"
        f"<p>{HEDGE}</p>\n",
    )
    assert _suppressed(_findings(run, "a.html")) == [("hedging", 2)]
