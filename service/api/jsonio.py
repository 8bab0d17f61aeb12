"""Strict JSON in, compact UTF-8 JSON out: shared by the HTTP API and the CLI.

Decoding is stricter than ``json.loads``: the bytes must be UTF-8, an object may not repeat a
key (which value wins would be a guess), and NaN/Infinity (not JSON) are refused.
"""

from __future__ import annotations

import json
from typing import Any, Literal


class BodyError(ValueError):
    """The request body is not one well-formed UTF-8 JSON value."""

    def __init__(self, kind: Literal["encoding", "syntax"], detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class _RefusedValueError(ValueError):
    """The document uses something strict JSON refuses."""


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build an object, refusing a repeated key."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RefusedValueError(f"duplicate key {key!r} in a JSON object")
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    """Refuse NaN, Infinity and -Infinity, which Python accepts but JSON does not have."""
    raise _RefusedValueError(f"{name} is not a JSON value")


def decode_json(raw: bytes) -> Any:
    """Decode a UTF-8 JSON document strictly, raising BodyError with a precise detail."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError(
            "encoding",
            f"the body is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise BodyError(
            "syntax", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except _RefusedValueError as exc:
        raise BodyError("syntax", str(exc)) from None
    except RecursionError:
        raise BodyError("syntax", "the JSON document is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python parses
        raise BodyError("syntax", f"malformed JSON: {exc}") from None


def dumps(value: Any) -> str:
    """Serialize compactly as one line ending in a newline, non-ASCII characters kept as is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate echoed from the input (e.g. an unknown field name) cannot be
            # UTF-8: escape everything instead of failing.
            text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text + "\n"
