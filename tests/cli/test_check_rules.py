"""Every signal has an actionable message; suppression rules have fixed levels."""

from __future__ import annotations

import pytest

from service.cli.check.findings import META_RULES, rule_for
from service.core.signals import KNOWN_SIGNALS


@pytest.mark.parametrize("signal", sorted(KNOWN_SIGNALS))
def test_every_signal_has_its_own_advice(signal: str) -> None:
    rule = rule_for(signal)
    assert rule.advice != "review this sentence"
    assert rule.description == KNOWN_SIGNALS[signal].description


def test_an_unknown_signal_still_gets_a_message() -> None:
    rule = rule_for("future_signal")
    assert (rule.label, rule.default_level) == ("future signal", "notice")


@pytest.mark.parametrize(
    ("rule", "level"),
    [
        ("suppression-without-reason", "error"),
        ("invalid-suppression", "error"),
        ("unused-suppression", "warning"),
    ],
)
def test_suppression_rules(rule: str, level: str) -> None:
    assert META_RULES[rule].default_level == level
