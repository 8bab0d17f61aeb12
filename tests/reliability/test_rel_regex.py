"""Every regular expression the service and the labeller use runs in linear time on hostile text.

The patterns are found by introspection, so a new module-level pattern is covered without
editing this file. Each is driven with finditer over strings built to provoke backtracking:
long runs of one character, of each literal fragment of the pattern itself, and of
near-matches that fail only at the very end.
"""

from __future__ import annotations

import importlib
import inspect
import re
import time
from collections.abc import Iterator

import pytest

MODULES = (
    "service.core.segment",
    "service.core.markup",
    "service.core.features",
    "service.api.http",
    "service.cli.check.suppress",
    "service.cli.check.gitdiff",
    "service.cli.check.positions",
    "training.labels",
    "training.table",
)
LENGTH = 20_000
# Linear scans of 20k characters take milliseconds; quadratic ones take seconds.
BOUND_S = 0.5

GENERIC_UNITS = (
    "a",
    " ",
    "\n",
    "\r\n",
    ".",
    "a.",
    ". ",
    "-",
    "'",
    '"',
    "<",
    "<a ",
    '="',
    "&#",
    "*",
    "_",
    "[",
    "(",
    "`",
    "|",
    "#",
    "\u200b",
    "\u00a0",
    "\U0001f600",
    "e.g. ",
    "Mr. ",
    "a'",
    "--",
)


def patterns() -> Iterator[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    """Yield (module.name, pattern) for every compiled pattern at module level or in a container."""
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, value in sorted(vars(module).items()):
            candidates = value if isinstance(value, tuple | list) else (value,)
            for position, candidate in enumerate(candidates):
                if isinstance(candidate, re.Pattern):
                    suffix = f"[{position}]" if candidates is value else ""
                    yield f"{module_name}.{name}{suffix}", candidate


PATTERNS = dict(patterns())
# Known quadratic patterns: (name, reason). strict=True, so a fix turns the xfail into a failure.
KNOWN_SLOW: dict[str, str] = {}


def anchored(name: str) -> bool:
    """Return whether the owning module only ever calls .match/.fullmatch on this pattern.

    Such a pattern is tried at chosen positions, never slid across the text, so it is timed
    with one match() at the start instead of finditer (which would be quadratic by design).
    """
    module_name, attribute = name.split("[", 1)[0].rsplit(".", 1)
    source = inspect.getsource(importlib.import_module(module_name))
    calls = set(re.findall(rf"\b{re.escape(attribute)}\.(\w+)\(", source))
    return bool(calls) and calls <= {"match", "fullmatch"}


def units(pattern: re.Pattern[str]) -> list[str]:
    """Return repeating units for pattern: generic ones, its characters and its literal words."""
    source = pattern.pattern
    found = set(GENERIC_UNITS)
    found.update(c for c in source if c.isprintable())
    for word in re.findall(r"[A-Za-z][A-Za-z' ]{0,30}", source):
        found.update({word, word.strip() + " "})
    return sorted(found)


def hostile(unit: str) -> list[str]:
    """Return unit repeated to LENGTH, bare and with a character that spoils a match at the end."""
    run = (unit * (LENGTH // len(unit) + 1))[:LENGTH]
    return [run, run + "\x00"]


def test_every_module_has_patterns_to_check() -> None:
    modules = {name.rsplit(".", 1)[0] for name in PATTERNS}
    assert modules == set(MODULES)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_SLOW[name])]
            if name in KNOWN_SLOW
            else [],
        )
        for name in sorted(PATTERNS)
    ],
)
def test_pattern_runs_in_linear_time_on_hostile_text(name: str) -> None:
    pattern = PATTERNS[name]
    only_at_start = anchored(name)
    slowest = (0.0, "")
    for unit in units_for(pattern):
        for text in hostile(unit):
            subject: str | bytes = (
                text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
            )
            began = time.perf_counter()
            if only_at_start:
                pattern.match(subject)  # type: ignore[arg-type]
            else:
                for _ in pattern.finditer(subject):  # type: ignore[arg-type]
                    pass
            elapsed = time.perf_counter() - began
            slowest = max(slowest, (elapsed, unit))
            if elapsed >= BOUND_S:
                break  # one slow input is the finding; the rest would only cost time
        if slowest[0] >= BOUND_S:
            break
    assert slowest[0] < BOUND_S, f"{slowest[0]:.3f} s on {slowest[1]!r} x {LENGTH}"


def units_for(pattern: re.Pattern[str] | re.Pattern[bytes]) -> list[str]:
    """Return the repeating units for a text or bytes pattern."""
    if isinstance(pattern.pattern, bytes):
        source = pattern.pattern.decode("latin-1")
        return units(re.compile(re.escape(source)))
    return units(pattern)
