"""Turn decoded request bodies into core calls, or into field -> messages errors.

Flask-free, so the CLI validates its input with exactly the rules of POST /score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from service.api.schemas import BatchDocumentSchema, BatchEnvelopeSchema, ScoreRequestSchema
from service.core.model import Model
from service.core.scoring import ScoreOptions

Errors = dict[str, list[str]]
BODY = "_body"

_SCORE_SCHEMA = ScoreRequestSchema()
_DOCUMENT_SCHEMA = BatchDocumentSchema()
_ENVELOPE_SCHEMA = BatchEnvelopeSchema()


class RequestInvalid(ValueError):  # noqa: N818 - reads as a state, like InputError
    """The request cannot be scored; errors maps field paths to messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ScoreCall:
    """A validated request: the text and the options to score it with."""

    text: str
    options: ScoreOptions


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One batch slot: a call to score, or the errors that prevent it."""

    id: str | None
    call: ScoreCall | None
    errors: Errors | None


def flatten(messages: Any, prefix: str = "") -> Errors:
    """Flatten marshmallow's nested messages into {dotted.path: [messages]}."""
    if isinstance(messages, Mapping):
        flat: Errors = {}
        for key, value in messages.items():
            name = BODY if key == "_schema" else str(key)
            path = f"{prefix}.{name}" if prefix else name
            for inner, texts in flatten(value, path).items():
                flat.setdefault(inner, []).extend(texts)
        return flat
    if isinstance(messages, str):
        return {prefix or BODY: [messages]}
    collected: list[str] = []
    for item in messages:
        collected.extend(t for v in flatten(item, prefix).values() for t in v)
    return {prefix or BODY: collected}


def _check_semantics(data: Mapping[str, Any], model: Model, max_chars: int, errors: Errors) -> None:
    """Add errors for what the schema cannot know: the model's signals and the length limit."""
    text: str = data["text"]
    if len(text) > max_chars:
        errors.setdefault("text", []).append(
            f"Longer than the limit of {max_chars} characters (got {len(text)})."
        )
    for position, signal in enumerate(data.get("signals") or ()):
        if signal not in model.signals:
            errors.setdefault(f"signals.{position}", []).append(
                f"Unknown signal {signal!r}; GET /signals lists the known ones."
            )
    for signal in data.get("thresholds") or {}:
        if signal not in model.signals:
            errors.setdefault(f"thresholds.{signal}", []).append(
                f"Unknown signal {signal!r}; GET /signals lists the known ones."
            )


def _call(data: Mapping[str, Any], max_chars: int) -> ScoreCall:
    """Build the core call from loaded, checked request data."""
    signals = data.get("signals")
    options = ScoreOptions(
        format=data["format"],
        signals=tuple(signals) if signals is not None else None,
        explain=data["explain"],
        thresholds=dict(data.get("thresholds") or {}),
        max_chars=max_chars,
    )
    return ScoreCall(text=data["text"], options=options)


def parse_score_request(payload: Any, model: Model, max_chars: int) -> ScoreCall:
    """Validate a POST /score body; raise RequestInvalid with every problem found."""
    try:
        data = _SCORE_SCHEMA.load(payload)
    except ValidationError as exc:
        raise RequestInvalid(flatten(exc.messages)) from None
    errors: Errors = {}
    _check_semantics(data, model, max_chars, errors)
    if errors:
        raise RequestInvalid(errors)
    return _call(data, max_chars)


def parse_batch_request(
    payload: Any, model: Model, *, max_chars: int, max_batch: int
) -> list[BatchItem]:
    """Validate a POST /score/batch body: the envelope as a whole, each document on its own."""
    try:
        envelope = _ENVELOPE_SCHEMA.load(payload)
    except ValidationError as exc:
        raise RequestInvalid(flatten(exc.messages)) from None
    documents: Sequence[Any] = envelope["documents"]
    if not 1 <= len(documents) <= max_batch:
        raise RequestInvalid(
            {"documents": [f"Must hold 1 to {max_batch} documents (got {len(documents)})."]}
        )
    items = [_batch_item(document, model, max_chars) for document in documents]
    _check_unique_ids(items)
    return items


def _batch_item(document: Any, model: Model, max_chars: int) -> BatchItem:
    """Validate one batch document; a failure stays in its slot."""
    raw_id = document.get("id") if isinstance(document, Mapping) else None
    try:
        data = _DOCUMENT_SCHEMA.load(document)
    except ValidationError as exc:
        errors = flatten(exc.messages)
        usable_id = raw_id if isinstance(raw_id, str) and "id" not in errors else None
        return BatchItem(id=usable_id, call=None, errors=errors)
    errors = {}
    _check_semantics(data, model, max_chars, errors)
    if errors:
        return BatchItem(id=data["id"], call=None, errors=errors)
    return BatchItem(id=data["id"], call=_call(data, max_chars), errors=None)


def _check_unique_ids(items: Sequence[BatchItem]) -> None:
    """Refuse the whole batch when two documents share an id: results are matched by id."""
    first_seen: dict[str, int] = {}
    errors: Errors = {}
    for position, item in enumerate(items):
        if item.id is None:
            continue
        if item.id in first_seen:
            errors[f"documents.{position}.id"] = [
                f"Duplicate id {item.id!r}; documents.{first_seen[item.id]} uses it already."
            ]
        else:
            first_seen[item.id] = position
    if errors:
        raise RequestInvalid(errors)
