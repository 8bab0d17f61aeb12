"""Where scores come from: the embedded model, or a running service via ``POST /score/batch``.

Both backends hand back the JSON shape of ``POST /score`` and one parser reads it, so the
command's output cannot depend on which backend produced the scores.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from service.cli.check.discover import TextFormat
from service.cli.check.errors import CheckError, ConfigError, InputFileError, ServiceError
from service.cli.check.findings import EvidenceSpan, ScoredSentence

if TYPE_CHECKING:
    from service.core.model import Model


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """The model that produced the scores."""

    name: str
    version: str
    signals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One document to score, with the thresholds its path's policy sets."""

    name: str
    text: str
    format: TextFormat
    thresholds: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class ScoredDocument:
    """The scored sentences of one document."""

    sentences: tuple[ScoredSentence, ...]


class Scorer(Protocol):
    """Something that scores documents sentence by sentence, with evidence."""

    def model(self) -> ModelInfo:
        """Return the name, version and signals of the model in use."""

    def score(self, items: Sequence[ScoreItem]) -> list[ScoredDocument]:
        """Return one scored document per item, in order."""


def parse_score_body(body: Any) -> ScoredDocument:
    """Read the ``POST /score`` response shape; raise ValueError when it is not that shape."""
    if not isinstance(body, dict) or not isinstance(body.get("sentences"), list):
        raise ValueError("response has no 'sentences' list")
    sentences = []
    for item in body["sentences"]:
        evidence = tuple(
            EvidenceSpan(str(e["signal"]), int(e["start"]), int(e["end"]), float(e["weight"]))
            for e in item.get("evidence") or ()
        )
        sentences.append(
            ScoredSentence(
                index=int(item["index"]),
                start=int(item["start"]),
                end=int(item["end"]),
                scores={str(k): float(v) for k, v in item["scores"].items()},
                flags=tuple(str(f) for f in item["flags"]),
                evidence=evidence,
            )
        )
    return ScoredDocument(tuple(sentences))


def group_by_options(items: Sequence[ScoreItem]) -> dict[tuple[Any, ...], list[int]]:
    """Return item indices grouped by (format, thresholds) so each group is one call."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for n, item in enumerate(items):
        key = (item.format, tuple(sorted(item.thresholds.items())))
        groups.setdefault(key, []).append(n)
    return groups


class EmbeddedScorer:
    """Score in-process with a model loaded from a directory (loaded on first use)."""

    def __init__(self, model_dir: Path) -> None:
        self._model_dir = model_dir
        self._loaded: Model | None = None

    def _load(self) -> Model:
        """Load and verify the model once; ModelError propagates (exit 3)."""
        if self._loaded is None:
            from service.core.model import load_model  # sklearn loads only when scoring

            self._loaded = load_model(self._model_dir)
        return self._loaded

    def model(self) -> ModelInfo:
        """Return the loaded model's identity."""
        model = self._load()
        return ModelInfo(model.name, model.version, tuple(model.signals))

    def score(self, items: Sequence[ScoreItem]) -> list[ScoredDocument]:
        """Score items with one vectorizer call per (format, thresholds) group."""
        from service.core.scoring import ScoreOptions, score_documents

        model = self._load()
        results: list[ScoredDocument | None] = [None] * len(items)
        for (fmt, thresholds), indices in group_by_options(items).items():
            options = ScoreOptions(format=fmt, explain=True, thresholds=dict(thresholds))
            scored = score_documents(model, [items[n].text for n in indices], options)
            for n, document in zip(indices, scored, strict=True):
                results[n] = parse_score_body(document.to_dict())
        return [r for r in results if r is not None]


class HttpScorer:
    """Score through a running service: ``GET /signals`` once, then ``POST /score/batch``.

    Batches hold at most ``max_documents`` documents and about ``max_bytes`` of JSON; a batch
    the service refuses as too large (413, or 422 on the batch as a whole) is split in two.
    A 422 about one document is that file's fault (exit 2); anything else is the service's (3).
    """

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_documents: int = 64,
        max_bytes: int = 1 << 20,
    ) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https") or "://" not in url:
            raise ConfigError("--url", "", f"{url!r} is not an http:// or https:// URL")
        self._url = url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout
        self._max_documents = max_documents
        self._max_bytes = max_bytes
        self._info: ModelInfo | None = None

    def _request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send one request; return (status, parsed JSON body)."""
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        # The scheme was checked in __init__: only http and https reach urlopen.
        request = urllib.request.Request(  # noqa: S310
            self._url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServiceError(f"cannot reach the service at {self._url}: {reason}") from exc
        try:
            return status, json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ServiceError(
                f"{method} {self._url}{path}: HTTP {status} with a body that is not JSON"
            ) from exc

    def _fail(self, method: str, path: str, status: int, body: Any) -> ServiceError:
        """Return the error for an unexpected response."""
        detail = body.get("detail") if isinstance(body, dict) else None
        return ServiceError(
            f"{method} {self._url}{path} failed with HTTP {status}"
            + (f": {detail}" if detail else "")
        )

    def model(self) -> ModelInfo:
        """Return the service's model identity and signals (``GET /signals``, once)."""
        if self._info is None:
            status, body = self._request("GET", "/signals")
            if status != 200 or not isinstance(body, dict):
                raise self._fail("GET", "/signals", status, body)
            try:
                self._info = ModelInfo(
                    str(body["model"]["name"]),
                    str(body["model"]["version"]),
                    tuple(str(s["id"]) for s in body["signals"]),
                )
            except (KeyError, TypeError) as exc:
                raise ServiceError(f"GET {self._url}/signals: unexpected response shape") from exc
        return self._info

    def score(self, items: Sequence[ScoreItem]) -> list[ScoredDocument]:
        """Score non-empty items through the batch endpoint; empty ones have no sentences."""
        results: list[ScoredDocument] = [ScoredDocument(()) for _ in items]
        pending = [n for n, item in enumerate(items) if item.text.strip()]
        for chunk in self._chunks(items, pending):
            for n, document in self._score_chunk(items, chunk).items():
                results[n] = document
        return results

    def _chunks(self, items: Sequence[ScoreItem], indices: Sequence[int]) -> list[list[int]]:
        """Split indices into batches within the document and byte budgets."""
        chunks: list[list[int]] = []
        size = 0
        for n in indices:
            cost = len(items[n].text.encode("utf-8")) + 256
            if chunks and len(chunks[-1]) < self._max_documents and size + cost <= self._max_bytes:
                chunks[-1].append(n)
                size += cost
            else:
                chunks.append([n])
                size = cost
        return chunks

    def _score_chunk(
        self, items: Sequence[ScoreItem], chunk: list[int]
    ) -> dict[int, ScoredDocument]:
        """Score one batch, splitting it when the service finds it too large."""
        documents = []
        for n in chunk:
            document: dict[str, Any] = {
                "id": str(n),
                "text": items[n].text,
                "format": items[n].format,
                "explain": True,
            }
            if items[n].thresholds:
                document["thresholds"] = dict(items[n].thresholds)
            documents.append(document)
        status, body = self._request("POST", "/score/batch", {"documents": documents})
        if status in (413, 422) and len(chunk) > 1:
            half = len(chunk) // 2
            return {
                **self._score_chunk(items, chunk[:half]),
                **self._score_chunk(items, chunk[half:]),
            }
        if status == 413:
            raise InputFileError(items[chunk[0]].name, "the service refused the file as too large")
        if status != 200 or not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise self._fail("POST", "/score/batch", status, body)
        if len(body["results"]) != len(chunk):
            raise ServiceError("POST /score/batch returned a different number of results")
        scored: dict[int, ScoredDocument] = {}
        for n, result in zip(chunk, body["results"], strict=True):
            error = result.get("error") if isinstance(result, dict) else None
            if error is not None:
                raise self._document_error(items[n].name, error)
            try:
                scored[n] = parse_score_body(result)
            except (KeyError, TypeError, ValueError) as exc:
                raise ServiceError(f"POST /score/batch: unexpected result shape ({exc})") from exc
        return scored

    def _document_error(self, name: str, error: Any) -> CheckError:
        """Return the error for one document the service could not score."""
        status = error.get("status") if isinstance(error, dict) else None
        detail = error.get("detail", "") if isinstance(error, dict) else ""
        fields = error.get("errors") if isinstance(error, dict) else None
        if isinstance(fields, dict) and fields:
            detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in fields.items())
        if status == 422:
            return InputFileError(name, f"the service refused the file: {detail}")
        return ServiceError(f"{name}: the service failed to score it (HTTP {status}): {detail}")
