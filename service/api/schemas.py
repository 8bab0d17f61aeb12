"""Marshmallow schemas: request validation, and the documented shape of every response.

Requests are loaded through these schemas (unknown fields are refused). Responses are built by
``DocumentScore.to_dict()`` for speed; their schemas here exist for the OpenAPI document, and
a test validates real responses against the generated spec.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields
from marshmallow.validate import Length, OneOf, Range

FORMATS = ("plain", "markdown", "html")
MAX_ID_CHARS = 256


def well_formed(value: str) -> None:
    """Refuse strings with unpaired surrogates: they cannot be scored or returned as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must not contain unpaired surrogates (U+D800 to U+DFFF).") from None


class StrictBoolean(fields.Boolean):
    """A JSON true or false, nothing truthy."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictNumber(fields.Float):
    """A JSON number, not a numeric string and not a boolean."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        try:
            result = float(value)
        except OverflowError:  # an integer too large for a float
            raise self.make_error("too_large") from None
        if not math.isfinite(result):
            raise self.make_error("special")
        return result


class Thresholds(fields.Dict):
    """A map of signal id to a number in [0, 1], with errors keyed by signal id."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> dict[Any, Any]:
        try:
            result: dict[Any, Any] = super()._deserialize(  # type: ignore[no-untyped-call]
                value, attr, data, **kwargs
            )
        except ValidationError as exc:
            messages = exc.messages
            if isinstance(messages, dict):
                # marshmallow nests {signal: {"key": [...], "value": [...]}}; flatten one level.
                messages = {
                    key: [*nested.get("key", []), *nested.get("value", [])]
                    if isinstance(nested, dict)
                    else nested
                    for key, nested in messages.items()
                }
            raise ValidationError(messages) from None
        return result


class _Strict(Schema):
    """Refuse unknown fields (and document additionalProperties: false)."""

    class Meta:
        unknown = RAISE


# -- requests ---------------------------------------------------------------------------------


class ScoreRequestSchema(_Strict):
    """The body of POST /score."""

    text = fields.String(
        required=True,
        validate=[Length(min=1), well_formed],
        metadata={
            "description": "The article, 1 to MISINFO_MAX_CHARS (default 100000) code points."
        },
    )
    format = fields.String(
        load_default="plain",
        validate=OneOf(FORMATS),
        metadata={
            "description": "How to read the text: markup and code are not scored, offsets "
            "still index the original text."
        },
    )
    signals = fields.List(
        fields.String(validate=well_formed),
        validate=Length(min=1),
        metadata={"description": "Signal ids to score (see GET /signals); default all."},
    )
    explain = StrictBoolean(
        load_default=False,
        metadata={"description": "Return the evidence phrases behind each flag."},
    )
    thresholds = Thresholds(
        keys=fields.String(),
        values=StrictNumber(validate=Range(0, 1)),
        metadata={"description": "Per-signal flag thresholds overriding the model's."},
    )


class BatchDocumentSchema(ScoreRequestSchema):
    """One document of POST /score/batch: an id plus the fields of POST /score."""

    id = fields.String(
        required=True,
        validate=[Length(min=1, max=MAX_ID_CHARS), well_formed],
        metadata={"description": "Caller's id, unique within the batch, echoed in the result."},
    )


class BatchRequestSchema(_Strict):
    """The body of POST /score/batch."""

    documents = fields.List(
        fields.Nested(BatchDocumentSchema),
        required=True,
        validate=Length(min=1),
        metadata={"description": "1 to MISINFO_MAX_BATCH (default 64) documents."},
    )


class BatchEnvelopeSchema(_Strict):
    """The batch body's outer shape; each document is then validated on its own."""

    documents = fields.List(fields.Raw(allow_none=True), required=True)


# -- responses --------------------------------------------------------------------------------


class ModelInfoSchema(_Strict):
    """The model that produced the scores."""

    name = fields.String(required=True)
    version = fields.String(required=True)


class EvidenceSchema(_Strict):
    """A phrase that raised a flagged signal's score; offsets index the submitted text."""

    signal = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    weight = fields.Float(required=True)


class SentenceSchema(_Strict):
    """One sentence: code-point offsets into the submitted text (end exclusive) and scores."""

    index = fields.Integer(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True, metadata={"description": "Equals text[start:end]."})
    scores = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    flags = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Signals whose score is at or above their threshold."},
    )
    evidence = fields.List(
        fields.Nested(EvidenceSchema), metadata={"description": "Present when explain is true."}
    )


class SummarySchema(_Strict):
    """Counts over the whole document."""

    sentence_count = fields.Integer(required=True)
    flagged_sentence_count = fields.Integer(required=True)
    max_scores = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    flag_counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class ScoreResponseSchema(_Strict):
    """The scores of one document."""

    model = fields.Nested(ModelInfoSchema, required=True)
    signals = fields.List(fields.String(), required=True)
    sentences = fields.List(fields.Nested(SentenceSchema), required=True)
    summary = fields.Nested(SummarySchema, required=True)


class ProblemSchema(_Strict):
    """An RFC 9457 problem document (application/problem+json)."""

    type = fields.String(required=True, metadata={"description": "A problem type URI."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Field path (dotted; _body for the whole body) to messages."},
    )


class BatchScoredSchema(ScoreResponseSchema):
    """A batch document that was scored."""

    id = fields.String(required=True)


class BatchFailedSchema(_Strict):
    """A batch document that failed validation; the others are still scored."""

    id = fields.String(
        required=True, allow_none=True, metadata={"description": "Null when the id was invalid."}
    )
    error = fields.Nested(ProblemSchema, required=True)


class BatchResponseSchema(_Strict):
    """One result per submitted document, in order."""

    results = fields.List(
        fields.Raw(
            metadata={
                "oneOf": [
                    {"$ref": "#/components/schemas/BatchScored"},
                    {"$ref": "#/components/schemas/BatchFailed"},
                ]
            }
        ),
        required=True,
    )


class SignalInfoSchema(_Strict):
    """A signal the loaded model scores."""

    id = fields.String(required=True)
    description = fields.String(required=True)
    core = fields.Boolean(required=True)
    threshold = fields.Float(required=True, metadata={"description": "Default flag threshold."})


class SignalsResponseSchema(_Strict):
    """The signals of the loaded model."""

    model = fields.Nested(ModelInfoSchema, required=True)
    signals = fields.List(fields.Nested(SignalInfoSchema), required=True)


class HealthSchema(_Strict):
    """The process is alive."""

    status = fields.String(required=True, validate=OneOf(["ok"]))


class ReadySchema(_Strict):
    """A model is loaded: the service can score."""

    status = fields.String(required=True, validate=OneOf(["ready"]))
    model = fields.Nested(ModelInfoSchema, required=True)


class ModelVersionSchema(_Strict):
    """The loaded model's identity."""

    name = fields.String(required=True)
    version = fields.String(required=True)
    sha256 = fields.String(required=True)
    trained_with = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "Library versions recorded when the model was saved."},
    )


class VersionSchema(_Strict):
    """Versions of the service, its model and its libraries."""

    name = fields.String(required=True)
    version = fields.String(required=True)
    model = fields.Nested(ModelVersionSchema, required=True, allow_none=True)
    libraries = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
