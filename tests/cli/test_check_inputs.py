"""Which files are checked, in which format, and what in them is never scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_helpers import Run, write

ANON = "A senior official said the convoy was turned back."


def _paths(run: Run, *args: str) -> list[str]:
    outcome = run("--format", "json", *args)
    assert outcome.exit_code in (0, 1), outcome.stderr
    files: list[str] = json.loads(outcome.stdout)["files"]
    return files


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in (
        "b.md",
        "a.markdown",
        "page.html",
        "notes.txt",
        "image.png",
        "sub/c.md",
        ".hidden/d.md",
        "node_modules/pkg/readme.md",
        "archive/old.md",
    ):
        write(tmp_path / name, "The museum opened in 1928.\n")
    return tmp_path


def test_directories_are_walked_in_sorted_order_with_default_globs(run: Run, tree: Path) -> None:
    assert _paths(run, ".") == [
        "a.markdown",
        "archive/old.md",
        "b.md",
        "notes.txt",
        "page.html",
        "sub/c.md",
    ]


def test_no_path_means_the_working_directory(run: Run, tree: Path) -> None:
    assert _paths(run) == _paths(run, ".")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--include", "*.md", "."), ["archive/old.md", "b.md", "sub/c.md"]),
        (
            ("--exclude", "archive/", "--exclude", "*.txt", "."),
            ["a.markdown", "b.md", "page.html", "sub/c.md"],
        ),
        (("--exclude", "archive/", "archive/old.md", "b.md"), ["b.md"]),
        (("b.md", "b.md", "./b.md"), ["b.md"]),
        (("image.png",), ["image.png"]),
    ],
)
def test_include_exclude_and_explicit_files(
    run: Run, tree: Path, args: tuple[str, ...], expected: list[str]
) -> None:
    assert _paths(run, *args) == expected


def test_config_globs_are_relative_to_the_config_file(
    run: Run, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tree / ".misinfo-signals.toml", 'exclude = ["/sub/sub/"]\n')
    write(tree / "sub" / "sub" / "e.md", "The museum opened in 1928.\n")
    monkeypatch.chdir(tree / "sub")
    assert _paths(run, ".") == ["c.md"]


def test_a_hidden_directory_named_explicitly_is_walked(run: Run, tree: Path) -> None:
    assert _paths(run, ".hidden") == [".hidden/d.md"]


@pytest.mark.parametrize(
    ("name", "text", "fmt", "sentence"),
    [
        ("a.md", f"**{ANON}**\n", None, ANON),
        ("a.html", f"<p>{ANON}</p>\n", None, ANON),
        ("a.txt", f"**{ANON}**\n", None, f"**{ANON}**"),
        ("a.txt", f"<p>{ANON}</p>\n", "html", ANON),
        ("a.md", f"**{ANON}**\n", "plain", f"**{ANON}**"),
    ],
)
def test_input_format_by_extension_or_flag(
    run: Run, tmp_path: Path, name: str, text: str, fmt: str | None, sentence: str
) -> None:
    write(tmp_path / name, text)
    args = ("--input-format", fmt) if fmt else ()
    findings = json.loads(run("--format", "json", *args, name).stdout)["findings"]
    assert findings[0]["sentence"] == sentence


@pytest.mark.parametrize(
    "markdown",
    [
        f"---\nsummary: {ANON}\n---\n\nThe museum opened in 1928.\n",
        f"```\n{ANON}\n```\n",
        f"~~~markdown\n{ANON}\n~~~\n",
        f"    {ANON}\n",
        f"Quote: `{ANON}`\n",
        "[the statement](https://example.org/a-senior-official-said-the-convoy-was-turned-back)\n",
        f"<!-- {ANON} -->\n",
        f"<div>\n{ANON}\n</div>\n",
    ],
    ids=[
        "front-matter",
        "fence",
        "tilde-fence",
        "indented-code",
        "inline-code",
        "link-target",
        "comment",
        "html-block",
    ],
)
def test_markdown_non_prose_is_never_scored(run: Run, tmp_path: Path, markdown: str) -> None:
    write(tmp_path / "a.md", markdown)
    assert json.loads(run("--format", "json", "a.md").stdout)["findings"] == []


@pytest.mark.parametrize(
    "markdown",
    [
        f"# {ANON}\n",
        f"- {ANON}\n",
        f"1. {ANON}\n",
        f"> {ANON}\n",
        f"| Source |\n|---|\n| {ANON} |\n",
    ],
    ids=["heading", "bullet", "numbered", "quote", "table"],
)
def test_markdown_prose_blocks_are_scored(run: Run, tmp_path: Path, markdown: str) -> None:
    write(tmp_path / "a.md", markdown)
    findings = json.loads(run("--format", "json", "a.md").stdout)["findings"]
    assert [f["rule"] for f in findings] == ["anonymous_sourcing"]
    assert markdown.index("A senior") + 1 == findings[0]["offset"] + 1
