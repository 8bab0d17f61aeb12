"""The Dockerfile: lint-clean, and it starts the service the way `make serve` does."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_helpers import REPO, Server

DOCKERFILE = REPO / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"


def instructions() -> list[tuple[str, str]]:
    """Return the Dockerfile's (INSTRUCTION, arguments) pairs, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def only(keyword: str) -> str:
    """Return the arguments of the one instruction with this keyword."""
    matches = [rest for kw, rest in instructions() if kw == keyword]
    assert len(matches) == 1, matches
    return matches[0]


def make_serve_argv() -> list[str]:
    """Return the command `make serve` runs, with the venv's bin folder stripped."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n\t(.+)$", makefile, flags=re.MULTILINE)
    assert recipe is not None, "Makefile has no serve target"
    return shlex.split(recipe.group(1).replace("$(BIN)/", ""))


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [str(HADOLINT), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_cmd_is_what_make_serve_runs() -> None:
    assert json.loads(only("CMD")) == make_serve_argv()


def test_every_stage_is_slim_python_311() -> None:
    stages = [rest.split()[0] for kw, rest in instructions() if kw == "FROM"]
    assert len(stages) == 2
    assert set(stages) == {"python:3.11-slim"}


def test_the_served_stage_has_no_compiler() -> None:
    served = DOCKERFILE.read_text(encoding="utf-8").rsplit("\nFROM ", 1)[1]
    assert "gcc" not in served
    assert "COPY --from=build /tmp/wheels" in served


def test_runs_as_a_non_root_user() -> None:
    user = only("USER")
    assert user.split(":")[0] not in ("root", "0")


def test_installs_with_the_constraints_file() -> None:
    runs = [rest for kw, rest in instructions() if kw == "RUN" and "pip install" in rest]
    assert len(runs) == 1
    assert "-c /tmp/src/constraints.txt" in runs[0]
    assert "[dev]" not in runs[0]


def test_ships_the_model_and_points_at_it() -> None:
    copies = [rest for kw, rest in instructions() if kw == "COPY"]
    assert "models ./models" in copies
    environment = [rest for kw, rest in instructions() if kw == "ENV"]
    assert "MISINFO_MODEL_DIR=/app/models/misinfo-signals-v1" in environment


def test_dockerignore_keeps_the_context_small() -> None:
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "tests"} <= set(ignored)


@pytest.mark.e2e
def test_healthcheck_command_passes_against_a_live_server(server: Server) -> None:
    healthcheck = only("HEALTHCHECK")
    command = json.loads(healthcheck[healthcheck.index("CMD") + 3 :])
    assert command[:2] == ["python", "-c"]
    port = server.url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-c", command[2]],
        env={"MISINFO_BIND": f"127.0.0.1:{port}"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
