"""Article-bootstrap intervals for the gold-test figures, and their section in the model card."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from service.core.signals import CORE_SIGNALS
from training.bootstrap import ArticleBootstrap, Interval, average_precision, difference, f1_at
from training.card import interval_section
from training.metrics import precision_recall_f1


@pytest.fixture
def articles() -> list[str]:
    """Twenty articles of five sentences each, in article order."""
    return [f"article-{i // 5:02d}" for i in range(100)]


@pytest.fixture
def labels() -> np.ndarray:
    """Two positives in every article."""
    return np.array([1 if i % 5 < 2 else 0 for i in range(100)])


@pytest.fixture
def scores(labels: np.ndarray) -> np.ndarray:
    """Scores that rank most positives first, with some noise."""
    rng = np.random.default_rng(7)
    return np.clip(0.35 * labels + rng.random(len(labels)) * 0.7, 0.0, 1.0)


@pytest.fixture
def bootstrap(articles: list[str]) -> ArticleBootstrap:
    """Resamples of the twenty articles."""
    return ArticleBootstrap(articles, resamples=300, seed=3)


def test_each_draw_keeps_whole_articles(bootstrap: ArticleBootstrap, articles: list[str]) -> None:
    for rows in bootstrap.draws:
        drawn = [articles[row] for row in rows]
        for article in set(drawn):
            assert drawn.count(article) % 5 == 0


def test_each_draw_holds_as_many_articles_as_the_set(bootstrap: ArticleBootstrap) -> None:
    assert {len(rows) for rows in bootstrap.draws} == {100}


def test_draws_do_not_depend_on_row_order(articles: list[str]) -> None:
    forward = ArticleBootstrap(articles, resamples=20, seed=1)
    backward = ArticleBootstrap(articles[::-1], resamples=20, seed=1)
    for first, second in zip(forward.draws, backward.draws, strict=True):
        assert sorted(articles[r] for r in first) == sorted(articles[::-1][r] for r in second)


def test_same_seed_gives_the_same_interval(
    articles: list[str], labels: np.ndarray, scores: np.ndarray
) -> None:
    statistic = f1_at(labels, scores, 0.5)
    first = ArticleBootstrap(articles, resamples=200, seed=5).interval(statistic)
    second = ArticleBootstrap(articles, resamples=200, seed=5).interval(statistic)
    assert first == second


def test_interval_brackets_the_full_set_figure(
    bootstrap: ArticleBootstrap, labels: np.ndarray, scores: np.ndarray
) -> None:
    full = precision_recall_f1(labels, scores >= 0.5)[2]
    interval = bootstrap.interval(f1_at(labels, scores, 0.5))
    assert interval.low < full < interval.high
    assert interval.resamples == 300


def test_a_wider_level_gives_a_wider_interval(
    articles: list[str], labels: np.ndarray, scores: np.ndarray
) -> None:
    statistic = f1_at(labels, scores, 0.5)
    narrow = ArticleBootstrap(articles, resamples=300, seed=3, level=0.5).interval(statistic)
    wide = ArticleBootstrap(articles, resamples=300, seed=3, level=0.99).interval(statistic)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_resamples_without_positives_are_left_out_of_average_precision() -> None:
    # One positive article among twenty: some resamples draw it not at all.
    articles = [f"a{i}" for i in range(20)]
    labels = np.array([1] + [0] * 19)
    interval = ArticleBootstrap(articles, resamples=200, seed=0).interval(
        average_precision(labels, np.linspace(1.0, 0.0, 20))
    )
    assert 0 < interval.resamples < 200
    assert interval.low == interval.high == 1.0


def test_an_undefined_statistic_gives_an_empty_interval(articles: list[str]) -> None:
    interval = ArticleBootstrap(articles, resamples=10).interval(
        average_precision(np.zeros(100, dtype=int), np.zeros(100))
    )
    assert interval.resamples == 0
    assert np.isnan(interval.low)
    assert np.isnan(interval.high)


def test_a_paired_difference_of_a_statistic_with_itself_is_zero(
    bootstrap: ArticleBootstrap, labels: np.ndarray, scores: np.ndarray
) -> None:
    statistic = f1_at(labels, scores, 0.5)
    assert bootstrap.interval(difference(statistic, statistic)) == Interval(0.0, 0.0, 300)


def test_a_paired_difference_is_tighter_than_its_parts(
    bootstrap: ArticleBootstrap, labels: np.ndarray, scores: np.ndarray
) -> None:
    # The same scores nudged: both F1s swing together with the draw, their gap hardly at all.
    model, nudged = f1_at(labels, scores, 0.5), f1_at(labels, scores + 0.005, 0.5)
    lead = bootstrap.interval(difference(nudged, model))
    alone = bootstrap.interval(model)
    assert lead.high - lead.low < (alone.high - alone.low) / 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"groups": ["a"], "resamples": 0}, "resamples"),
        ({"groups": ["a"], "level": 1.0}, "level"),
        ({"groups": ["a"], "level": 0.0}, "level"),
        ({"groups": []}, "no rows"),
    ],
)
def test_bad_settings_are_refused(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ArticleBootstrap(**arguments)


def test_interval_as_dict_rounds_for_reports() -> None:
    assert Interval(0.123456, 0.654321, 9).as_dict() == {
        "low": 0.1235,
        "high": 0.6543,
        "resamples": 9,
    }


# -- the card section -----------------------------------------------------------------------


@pytest.fixture
def report() -> dict[str, Any]:
    """An evaluation report with gold-test figures and intervals for every core signal."""
    span = {"low": 0.5, "high": 0.7, "resamples": 1000}
    lead = {"low": -0.05, "high": 0.2, "resamples": 1000}
    return {
        "results": {
            "model": {
                "gold-test": {s: {"f1": 0.6, "average_precision": 0.65} for s in CORE_SIGNALS}
            }
        },
        "intervals_gold_test": {
            s: {"f1": span, "average_precision": span, "f1_minus_lexicon": lead}
            for s in CORE_SIGNALS
        },
    }


def test_card_section_has_a_row_per_core_signal(report: dict[str, Any]) -> None:
    section = interval_section(report)
    for signal in CORE_SIGNALS:
        assert f"| `{signal}` | 0.600 | 0.500 to 0.700 | 0.650 | 0.500 to 0.700 |" in section


def test_card_section_signs_the_leads(report: dict[str, Any]) -> None:
    section = interval_section(report)
    assert "lead over lexicon rules" in section
    assert "-0.050 to +0.200" in section
    assert "peer" not in section


def test_card_section_names_the_resample_count(report: dict[str, Any]) -> None:
    assert "1,000 resamples" in interval_section(report)


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_card_shows_an_unmeasurable_interval_as_a_dash(
    report: dict[str, Any], missing: float | None
) -> None:
    report["intervals_gold_test"]["no_evidence"] = {
        **report["intervals_gold_test"]["no_evidence"],
        "average_precision": {"low": missing, "high": missing, "resamples": 0},
    }
    assert "| `no_evidence` | 0.600 | 0.500 to 0.700 | 0.650 | – |" in interval_section(report)


def test_card_leaves_the_section_out_without_intervals() -> None:
    assert interval_section({"results": {}}) == ""
