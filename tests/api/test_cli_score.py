"""`misinfo-signals score` prints exactly what POST /score returns, and fails precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import JSON, MakeApp, body
from click.testing import CliRunner, Result

from service.cli.score import score

EXAMPLE_OPTIONS = [
    ([], {}),
    (["--explain"], {"explain": True}),
    (["--signals", "hedging,no_evidence"], {"signals": ["hedging", "no_evidence"]}),
    (
        ["--format", "markdown", "--signals", "hedging"],
        {"format": "markdown", "signals": ["hedging"]},
    ),
]


def run(args: list[str], stdin: bytes | None = None) -> Result:
    """Invoke the command in-process."""
    return CliRunner().invoke(score, args, input=stdin)


@pytest.mark.parametrize(
    ("flags", "options"), EXAMPLE_OPTIONS, ids=["plain", "explain", "signals", "markdown"]
)
def test_prints_the_bytes_post_score_returns(
    make_app: MakeApp,
    tiny_model_dir: Path,
    example_article: str,
    tmp_path: Path,
    flags: list[str],
    options: dict[str, object],
) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(example_article.encode("utf-8"))
    result = run([str(article), "--model-dir", str(tiny_model_dir), *flags])
    assert result.exit_code == 0, result.output
    response = (
        make_app()
        .test_client()
        .post("/score", data=body({"text": example_article, **options}), content_type=JSON)
    )
    assert result.stdout_bytes == response.get_data()


def test_reads_stdin_keeping_crlf_offsets(make_app: MakeApp, tiny_model_dir: Path) -> None:
    text = "The council met.\r\nSome analysts suggest it may last.\r\n"
    result = run(["-", "--model-dir", str(tiny_model_dir)], stdin=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    response = make_app().test_client().post("/score", data=body({"text": text}), content_type=JSON)
    assert result.stdout_bytes == response.get_data()


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, [], "cannot read"),
        (b"caf\xe9 owners said", [], "not valid UTF-8 (byte 0xe9 at offset 3)"),
        (b"", [], "text: Shorter than minimum length 1."),
        (b"x" * 11, [], "text: Longer than the limit of 10 characters (got 11)."),
        (b"Fine.", ["--signals", "astrology"], "signals.0: Unknown signal 'astrology'"),
    ],
    ids=["missing file", "invalid utf-8", "empty", "too long", "unknown signal"],
)
def test_bad_input_exits_2_with_a_message(
    tiny_model_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("MISINFO_MAX_CHARS", "10")
    source = tmp_path / "input.txt"
    if content is not None:
        source.write_bytes(content)
    result = run([str(source), "--model-dir", str(tiny_model_dir), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_bad_setting_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MISINFO_MAX_CHARS", "-1")
    source = tmp_path / "input.txt"
    source.write_text("Fine.")
    result = run([str(source)])
    assert result.exit_code == 2
    assert "MISINFO_MAX_CHARS" in result.stderr


def test_unusable_model_exits_3_naming_the_file(tmp_path: Path) -> None:
    source = tmp_path / "input.txt"
    source.write_text("Fine.")
    model_dir = tmp_path / "no-model"
    model_dir.mkdir()
    result = run([str(source), "--model-dir", str(model_dir)])
    assert result.exit_code == 3
    assert str(model_dir / "metadata.json") in result.stderr
