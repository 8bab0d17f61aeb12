"""Run the compiled kernels' tests under valgrind memcheck and fail on any error in their code.

    python reliability/memcheck.py            # about 2.5 minutes on the 2-core machine

CPython itself makes memcheck report thousands of false positives (its allocator, its integer
cache) unless it is given a suppression file this project does not carry, so the verdict looks
only at error and definite-leak records with a frame in the extension built from
service/core/_kernels.c. Prints one JSON summary line; exits 1 on such a record, 2 when valgrind
is missing or the tests themselves failed.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Hypothesis tests are left out: hundreds of examples take too long at memcheck's speed, and the
# fixed cases reach every branch of the kernels (tokenizer, cache growth and reset, packed
# tables, cue walk, attribution, log-table growth, malformed calls).
SLOW_UNDER_VALGRIND = (
    "arbitrary",
    "splits_as_the_token_pattern",
    "skipped_by_the_hints",
    "first_letter",
)
# A stack frame inside the extension: its source file or its shared object.
KERNEL_FRAME = re.compile(r"\(_kernels\.c:\d+\)|_kernels\.cpython-[^ )]*\.so")


def kernel_records(log: str) -> list[str]:
    """Return the memcheck records (errors, definite leaks) with a frame in the extension."""
    # Records are separated by a line holding only the "==pid==" prefix.
    return [record for record in re.split(r"\n==\d+== ?\n", log) if KERNEL_FRAME.search(record)]


def summary_counts(log: str) -> dict[str, int]:
    """Return memcheck's own error total and definitely-lost bytes (for the whole process)."""
    errors = re.findall(r"ERROR SUMMARY: ([\d,]+) errors", log)
    lost = re.findall(r"definitely lost: ([\d,]+) bytes", log)
    return {
        "process_errors": int(errors[-1].replace(",", "")) if errors else -1,
        "process_definitely_lost_bytes": int(lost[-1].replace(",", "")) if lost else 0,
    }


def run(extra: Sequence[str] = ()) -> int:
    """Run the tests under memcheck, print the verdict, return the exit code."""
    if shutil.which("valgrind") is None:
        print(json.dumps({"error": "valgrind is not installed"}))
        return 2
    with tempfile.TemporaryDirectory(prefix="misinfo-memcheck-") as tmp:
        command = [
            "valgrind",
            "--tool=memcheck",
            "--error-limit=no",
            "--leak-check=full",
            "--show-leak-kinds=definite",
            "--num-callers=40",
            f"--log-file={tmp}/memcheck.%p.log",
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(REPO / "tests" / "unit" / "test_kernels.py"),
            "-k",
            " and ".join(f"not {name}" for name in SLOW_UNDER_VALGRIND),
            *extra,
        ]
        # The system allocator instead of pymalloc, so memcheck sees every block.
        env = {**os.environ, "PYTHONMALLOC": "malloc"}
        tests = subprocess.run(command, cwd=REPO, env=env, check=False)
        logs = [Path(p).read_text(encoding="utf-8") for p in glob.glob(f"{tmp}/memcheck.*.log")]
    log = "\n".join(logs)
    found = kernel_records(log)
    print(
        json.dumps(
            {"tests_exit": tests.returncode, "kernel_records": len(found), **summary_counts(log)}
        )
    )
    for record in found:
        print(record, file=sys.stderr)
    if tests.returncode != 0:
        return 2
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
