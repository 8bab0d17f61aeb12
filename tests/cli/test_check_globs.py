"""Gitignore-style globs for include, exclude and per-path overrides."""

from __future__ import annotations

import pytest

from service.cli.check.globs import matches, matches_any_or_parent


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("a.md", "*.md", True),
        ("deep/er/a.md", "*.md", True),
        ("a.md.bak", "*.md", False),
        ("opinion/x.md", "opinion/**", True),
        ("opinion/deep/x.md", "opinion/**", True),
        ("news/opinion/x.md", "opinion/**", False),
        ("news/opinion/x.md", "**/opinion/**", True),
        ("opinion/x.md", "opinion/*.md", True),
        ("opinion/deep/x.md", "opinion/*.md", False),
        ("a1.md", "a?.md", True),
        ("a/1.md", "a?.md", False),
        ("b.md", "[!a]*.md", True),
        ("a.md", "[!a]*.md", False),
        ("c.md", "[a-c].md", True),
        ("x/.git/", ".*/", True),
        ("notes.txt", "/notes.txt", True),
        ("sub/notes.txt", "/notes.txt", False),
    ],
)
def test_glob_matching(path: str, pattern: str, expected: bool) -> None:
    assert matches(path, pattern) is expected


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("drafts/old/a.md", "drafts/old", True),
        ("drafts/older/a.md", "drafts/old", False),
        ("x/node_modules/pkg/readme.md", "node_modules/", True),
        ("x/.cache/a.md", ".*/", True),
        ("x/a.md", ".*/", False),
    ],
)
def test_exclusion_also_matches_parent_directories(path: str, pattern: str, expected: bool) -> None:
    assert matches_any_or_parent(path, [pattern]) is expected
