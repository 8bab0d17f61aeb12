"""POST /score and POST /score/batch: thin views over service.core.scoring."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask import Response
from flask_smorest import Blueprint

from service.api.docs import describe, documents_problems, json_request_body, responds, route
from service.api.hooks import note_sentences
from service.api.http import invalid, json_response, read_json_body
from service.api.problems import VALIDATION_ERROR, problem_body
from service.api.schemas import BatchResponseSchema, ScoreResponseSchema
from service.api.state import get_state, require_model
from service.api.validation import (
    BatchItem,
    RequestInvalid,
    ScoreCall,
    parse_batch_request,
    parse_score_request,
)
from service.core.scoring import ScoreOptions, score_document, score_documents

blp = Blueprint("score", __name__, description="Score articles sentence by sentence.")


@route(blp, "/score", "POST")
@describe(requestBody=json_request_body("ScoreRequest", "One article and how to score it."))
@responds(blp, 200, ScoreResponseSchema, "The scores.")
@documents_problems(blp, 400, 401, 413, 415, 422, 503)
def score() -> Response:
    """Score every sentence of one article."""
    state = get_state()
    model = require_model(state)
    payload = read_json_body()
    try:
        call = parse_score_request(payload, model, state.settings.max_chars)
    except RequestInvalid as exc:
        raise invalid(exc) from None
    result = score_document(model, call.text, call.options)
    state.metrics.observe_scored(1, len(result.sentences))
    note_sentences(len(result.sentences))
    return json_response(result.to_dict())


def _options_key(options: ScoreOptions) -> Hashable:
    """Return a hashable key: documents with equal options are scored in one core call."""
    return (
        options.format,
        options.signals,
        options.explain,
        tuple(sorted(options.thresholds.items())),
    )


def _score_items(items: list[BatchItem]) -> list[dict[str, Any]]:
    """Score the valid items grouped by options; put each result (or error) in its slot."""
    state = get_state()
    model = require_model(state)
    results: list[dict[str, Any]] = [{} for _ in items]
    groups: dict[Hashable, list[tuple[int, ScoreCall]]] = {}
    for position, item in enumerate(items):
        if item.call is None:
            detail = "this document failed validation; the others were scored"
            results[position] = {
                "id": item.id,
                "error": problem_body(VALIDATION_ERROR, detail, item.errors),
            }
        else:
            groups.setdefault(_options_key(item.call.options), []).append((position, item.call))
    documents = sentences = 0
    for group in groups.values():
        texts = [call.text for _, call in group]
        scored = score_documents(model, texts, group[0][1].options)
        for (position, _), document in zip(group, scored, strict=True):
            results[position] = {"id": items[position].id, **document.to_dict()}
            documents += 1
            sentences += len(document.sentences)
    state.metrics.observe_scored(documents, sentences)
    note_sentences(sentences)
    return results


@route(blp, "/score/batch", "POST")
@describe(requestBody=json_request_body("BatchRequest", "Documents, each with its own options."))
@responds(
    blp,
    200,
    BatchResponseSchema,
    "One result per document, in order: scores, or a problem for that document.",
)
@documents_problems(blp, 400, 401, 413, 415, 422, 503)
def score_batch() -> Response:
    """Score up to MISINFO_MAX_BATCH documents; a bad document fails alone."""
    state = get_state()
    model = require_model(state)
    payload = read_json_body()
    try:
        items = parse_batch_request(
            payload,
            model,
            max_chars=state.settings.max_chars,
            max_batch=state.settings.max_batch,
        )
    except RequestInvalid as exc:
        raise invalid(exc) from None
    return json_response({"results": _score_items(items)})
