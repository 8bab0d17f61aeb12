"""Gitignore-style path globs, matched against POSIX paths relative to the policy root.

``*`` and ``?`` stay inside one path segment, ``**`` crosses segments, ``[...]`` is a
character class (``[!...]`` negates), a pattern without ``/`` matches a name at any depth,
and a pattern ending in ``/`` matches a directory and everything under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Return a regex that matches the whole relative path pattern describes."""
    directory = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        pattern = "**/" + pattern
    pattern = pattern.removeprefix("/") + ("/**" if directory else "")
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[" and "]" in pattern[i + 2 :]:
            close = pattern.index("]", i + 2)
            body = pattern[i + 1 : close]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = close + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches(path: str, pattern: str) -> bool:
    """Return whether the relative POSIX path matches pattern."""
    return compile_glob(pattern).match(path) is not None


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Return whether path matches at least one pattern."""
    return any(matches(path, p) for p in patterns)


def matches_any_or_parent(path: str, patterns: Iterable[str]) -> bool:
    """Return whether path, or a directory above it, matches a pattern (exclusion semantics)."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(matches(c, p) for p in patterns for c in candidates)
