"""Bearer-token authentication against the configured API keys."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from service.api.problems import UNAUTHORIZED, ProblemError

OPEN_PATHS = frozenset({"/healthz", "/readyz"})
REALM = "misinfo-signals"


def bearer_token(header: str | None) -> str | None:
    """Return the token of an ``Authorization: Bearer <token>`` header, if that is what it is."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def key_matches(token: str, keys: Sequence[str]) -> bool:
    """Compare token with every key in constant time; never stop at the first match."""
    supplied = token.encode("utf-8", "surrogateescape")
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(supplied, key.encode("utf-8"))
    return matched


def authorize(path: str, header: str | None, keys: Sequence[str]) -> None:
    """Raise 401 unless keys are off, the path is open, or the bearer token is a configured key."""
    if not keys or path in OPEN_PATHS:
        return
    token = bearer_token(header)
    if token is None:
        raise ProblemError(
            UNAUTHORIZED,
            "this endpoint needs an 'Authorization: Bearer <key>' header",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}"'},
        )
    if not key_matches(token, keys):
        raise ProblemError(
            UNAUTHORIZED,
            "the bearer token is not a valid API key",
            headers={"WWW-Authenticate": f'Bearer realm="{REALM}", error="invalid_token"'},
        )
