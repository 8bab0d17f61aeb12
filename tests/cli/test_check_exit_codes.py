"""Exit codes: 0 clean, 1 findings at or above fail-on, 2 usage/config/input, 3 model/service."""

from __future__ import annotations

import importlib
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from check_helpers import Run, write

ANON = "A senior official said the convoy was turned back.\n"
HEDGE = "The storm may have caused the outage.\n"
CLEAN = "The museum opened in 1928.\n"
CLAIM = (
    "The ministry claimed the outage was sabotage, but it provided no evidence to support "
    "its claims.\n"
)


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        ({}, ["missing.md"], "missing.md: no such file or directory"),
        ({"empty/notes.rst": CLEAN}, ["empty"], "empty: directory has no files matching"),
        ({"a.md": CLEAN}, ["--format", "xml", "a.md"], "Invalid value for '--format'"),
        ({"a.md": CLEAN}, ["--input-format", "rtf", "a.md"], "Invalid value for '--input-format'"),
        (
            {"a.md": CLEAN},
            ["--threshold", "hedging=2", "a.md"],
            "threshold for hedging must be a number between 0 and 1, got '2'",
        ),
        ({"a.md": CLEAN}, ["--threshold", "hedging", "a.md"], "'hedging' is not SIGNAL=VALUE"),
        ({"a.md": CLEAN}, ["--threshold", "hedge=0.5", "a.md"], "unknown signal 'hedge'"),
        ({"a.md": CLEAN}, ["--level", "hedging=loud", "a.md"], "level for hedging must be one of"),
        ({"a.md": CLEAN}, ["--fail-on", "sometimes", "a.md"], "Invalid value for '--fail-on'"),
        (
            {".misinfo-signals.toml": 'fail-on = "loud"\n', "a.md": CLEAN},
            ["a.md"],
            ".misinfo-signals.toml: fail-on: must be one of error, warning, notice, none",
        ),
        (
            {".misinfo-signals.toml": "[signals.hedging]\nthreshold = -1\n", "a.md": CLEAN},
            ["a.md"],
            ".misinfo-signals.toml: signals.hedging.threshold: must be a number between 0 and 1",
        ),
        ({"a.md": CLEAN}, ["--config", "nope.toml", "a.md"], "nope.toml: config file not found"),
        ({"a.md": CLEAN}, ["--config", "x.toml", "--no-config", "a.md"], "exclude each other"),
        (
            {"a.md": CLEAN},
            ["--url", "ftp://example.org", "a.md"],
            "is not an http:// or https:// URL",
        ),
        (
            {"a.md": CLEAN},
            ["--baseline", "none.json", "a.md"],
            "none.json: baseline file not found",
        ),
        (
            {"a.md": CLEAN, "b.json": "{}"},
            ["--baseline", "b.json", "a.md"],
            "not a version 1 baseline",
        ),
    ],
)
def test_usage_config_and_input_errors_exit_2(
    run: Run, tmp_path: Path, files: dict[str, str], args: list[str], message: str
) -> None:
    for name, content in files.items():
        write(tmp_path / name, content)
    outcome = run(*args)
    assert outcome.exit_code == 2
    assert message in outcome.stderr
    assert outcome.stdout == ""


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bad.md", b"ok \xff\xfe then", "bad.md: not valid UTF-8: byte 0xff at offset 3"),
        ("latin1.txt", "caf\u00e9".encode("latin-1"), "latin1.txt: not valid UTF-8: byte 0xe9"),
    ],
)
def test_undecodable_file_exits_2_naming_it(
    run: Run, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    outcome = run(name)
    assert outcome.exit_code == 2
    assert message in outcome.stderr


def test_undecodable_stdin_exits_2(run: Run) -> None:
    outcome = run("-", stdin=b"\xc3\x28")
    assert outcome.exit_code == 2
    assert "<stdin>: not valid UTF-8" in outcome.stderr


@pytest.mark.parametrize(
    ("text", "args", "code"),
    [
        (CLEAN, [], 0),
        (ANON, [], 1),
        (ANON, ["--fail-on", "error"], 0),
        (ANON, ["--fail-on", "none"], 0),
        (HEDGE, [], 0),
        (HEDGE, ["--fail-on", "notice"], 1),
        (HEDGE, ["--level", "hedging=error", "--fail-on", "error"], 1),
        (ANON, ["--level", "anonymous_sourcing=off"], 0),
        (CLAIM, [], 1),
        (CLAIM, ["--threshold", "unverified_claim=0.9", "--threshold", "no_evidence=0.9"], 0),
    ],
)
def test_fail_on_decides_between_0_and_1(
    run: Run, tmp_path: Path, text: str, args: list[str], code: int
) -> None:
    write(tmp_path / "a.md", text)
    assert run("a.md", *args).exit_code == code


def test_standard_input_is_checked(run: Run) -> None:
    outcome = run("-", stdin=ANON)
    assert outcome.exit_code == 1
    assert outcome.stdout.startswith("<stdin>:1:1: warning anonymous_sourcing")


def test_stdin_filename_names_and_formats_stdin(run: Run) -> None:
    outcome = run("-", "--stdin-filename", "drafts/x.html", stdin=f"<p>{ANON}</p>")
    assert outcome.stdout.startswith("drafts/x.html:1:4: warning anonymous_sourcing")


def test_missing_model_exits_3(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", ANON)
    outcome = run("--model-dir", str(tmp_path / "no-model"), "a.md")
    assert outcome.exit_code == 3
    assert "cannot use the model" in outcome.stderr
    assert "metadata file not found" in outcome.stderr


def test_tampered_model_exits_3(run: Run, tmp_path: Path, tiny_model_dir: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(tiny_model_dir, copy)
    with (copy / "model.joblib").open("ab") as handle:
        handle.write(b"tampered")
    write(tmp_path / "a.md", ANON)
    outcome = run("--model-dir", str(copy), "a.md")
    assert outcome.exit_code == 3
    assert "sha256 mismatch" in outcome.stderr


def test_unreachable_service_exits_3(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.md", ANON)
    outcome = run("--url", "http://127.0.0.1:9", "--timeout", "2", "a.md")
    assert outcome.exit_code == 3
    assert "cannot reach the service at http://127.0.0.1:9" in outcome.stderr


class _Stub(BaseHTTPRequestHandler):
    """A service double that answers /signals and fails /score/batch as told."""

    batch_status: ClassVar[int] = 500
    batch_body: ClassVar[Any] = {
        "type": "about:blank",
        "title": "Internal",
        "status": 500,
        "detail": "boom",
    }

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        model = {"name": "stub", "version": "0"}
        self._send(200, {"model": model, "signals": [{"id": "hedging", "threshold": 0.5}]})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self._send(self.batch_status, self.batch_body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture
def stub_url() -> Iterator[tuple[str, type[_Stub]]]:
    handler = type("Handler", (_Stub,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def test_service_error_exits_3(run: Run, tmp_path: Path, stub_url: tuple[str, type[_Stub]]) -> None:
    write(tmp_path / "a.md", ANON)
    outcome = run("--url", stub_url[0], "a.md")
    assert outcome.exit_code == 3
    assert "failed with HTTP 500: boom" in outcome.stderr


def test_document_the_service_refuses_exits_2_naming_the_file(
    run: Run, tmp_path: Path, stub_url: tuple[str, type[_Stub]]
) -> None:
    url, handler = stub_url
    handler.batch_status = 200
    problem = {"status": 422, "detail": "invalid", "errors": {"text": ["Longer than 10."]}}
    handler.batch_body = {"results": [{"id": "0", "error": problem}]}
    write(tmp_path / "long.md", ANON)
    outcome = run("--url", url, "long.md")
    assert outcome.exit_code == 2
    assert "long.md: the service refused the file: text: Longer than 10." in outcome.stderr


def test_document_the_service_fails_on_exits_3(
    run: Run, tmp_path: Path, stub_url: tuple[str, type[_Stub]]
) -> None:
    url, handler = stub_url
    handler.batch_status = 200
    handler.batch_body = {"results": [{"id": "0", "error": {"status": 503, "detail": "not ready"}}]}
    write(tmp_path / "a.md", ANON)
    assert run("--url", url, "a.md").exit_code == 3


def test_a_crash_exits_3_not_1(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(importlib.import_module("service.cli.check.run"), "run_check", explode)
    write(tmp_path / "a.md", ANON)
    outcome = run("a.md")
    assert outcome.exit_code == 3
    assert (
        "internal failure (RuntimeError: unexpected); this is not about the drafts"
        in outcome.stderr
    )
