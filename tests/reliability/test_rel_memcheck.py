"""reliability/memcheck.py: which memcheck records count against the compiled kernels."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "reliability" / "memcheck.py"

HEADER = """==7== Memcheck, a memory error detector
==7== Command: python -m pytest tests/unit/test_kernels.py
==7== """
PYTHON_ONLY = """==7== Conditional jump or move depends on uninitialised value(s)
==7==    at 0x49E04DA: maybe_small_long (longobject.c:71)
==7==    by 0x494F9C2: _PyEval_EvalFrameDefault (ceval.c:4769)
==7== """
IN_THE_KERNEL = """==7== Invalid read of size 8
==7==    at 0x5A1B2C3: table_find (_kernels.c:391)
==7==    by 0x5A1B400: extract (_kernels.c:850)
==7== """
LEAK_IN_THE_SO = """==7== 64 bytes in 1 blocks are definitely lost in loss record 3 of 9
==7==    at 0x4848899: malloc (vg_replace_malloc.c:381)
==7==    by 0x5A1C000: ??? (in /x/service/core/_kernels.cpython-311-x86_64-linux-gnu.so)
==7== """
SUMMARY = """==7== LEAK SUMMARY:
==7==    definitely lost: 1,234 bytes in 5 blocks
==7== ERROR SUMMARY: 37,100 errors from 29,566 contexts (suppressed: 0 from 0)
"""


@pytest.fixture(scope="module")
def memcheck() -> ModuleType:
    """Load the script as a module (reliability/ is not a package)."""
    spec = importlib.util.spec_from_file_location("memcheck", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([HEADER, PYTHON_ONLY, SUMMARY], 0),
        ([HEADER, IN_THE_KERNEL, SUMMARY], 1),
        ([HEADER, PYTHON_ONLY, LEAK_IN_THE_SO, IN_THE_KERNEL, SUMMARY], 2),
    ],
    ids=["python-only", "invalid-read-in-kernel", "leak-and-read"],
)
def test_only_records_with_a_kernel_frame_count(
    memcheck: ModuleType, records: list[str], expected: int
) -> None:
    assert len(memcheck.kernel_records("\n".join(records))) == expected


def test_the_header_naming_test_kernels_is_not_a_record_against_it(memcheck: ModuleType) -> None:
    assert memcheck.kernel_records(HEADER + "\n" + SUMMARY) == []


def test_the_process_totals_are_read_from_the_summary(memcheck: ModuleType) -> None:
    assert memcheck.summary_counts(SUMMARY) == {
        "process_errors": 37_100,
        "process_definitely_lost_bytes": 1_234,
    }
