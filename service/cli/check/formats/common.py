"""Helpers every format shares: tool identity and level counts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from typing import Any

from service.cli.check.findings import LEVEL_ORDER, Finding

TOOL_NAME = "misinfo-signals"


@lru_cache(maxsize=1)
def tool_version() -> str:
    """Return the installed package version."""
    try:
        return metadata.version(TOOL_NAME)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def level_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Return the number of findings per level, every level present."""
    counts = Counter(f.level for f in findings)
    return {level: counts.get(level, 0) for level in LEVEL_ORDER}


def plural(count: int, noun: str) -> str:
    """Return '1 noun' or 'n nouns'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


_ITEMS = "\x00items\x00"


def dumps_items_per_line(
    document: dict[str, Any], items: list[Any], at: Sequence[str | int]
) -> str:
    """Return document as indented JSON, with the list at key path `at` one compact item a line.

    Indented output goes through the pure-Python JSON encoder; compact items use the C one,
    which keeps large reports fast while staying readable and diff-friendly.
    """
    holder: Any = document
    for key in at[:-1]:
        holder = holder[key]
    holder[at[-1]] = _ITEMS
    head = json.dumps(document, indent=2, ensure_ascii=False)
    marker = json.dumps(_ITEMS)
    line_start = head.rfind("\n", 0, head.index(marker)) + 1
    indent = " " * (len(head[line_start:]) - len(head[line_start:].lstrip(" ")))
    if items:
        body = ",\n".join(f"{indent}  {json.dumps(item, ensure_ascii=False)}" for item in items)
        listing = f"[\n{body}\n{indent}]"
    else:
        listing = "[]"
    return head.replace(marker, listing, 1) + "\n"
