"""The rules of the rulebook and the detectors agree: one query per rule, and the facts each explanation needs."""

from __future__ import annotations

import string

import pytest

from oversight.law import rulebooks
from oversight.law.violations import RULES, ViolationRule
from oversight.monitoring.detectors import DETECTORS
from oversight.monitoring.models import Finding
from tests.factories import World
from tests.monitoring import scenarios
from tests.monitoring.helpers import MONDAY, sweep_at

LANGUAGES = ("en", "ru", "kk")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_rule_has_a_detector_and_every_detector_a_rule() -> None:
    assert set(DETECTORS) == {rule.code for rule in RULES}
    assert len(RULES) == len({rule.code for rule in RULES}) == 15
    for book in rulebooks():
        assert {rule.code for rule in book.violation_rules} == set(DETECTORS), book.version
        assert book.monitor is not None, book.version


def test_every_rule_has_a_story_that_breaks_it() -> None:
    assert set(scenarios.SCENARIOS) == set(DETECTORS)


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_explanation_names_exactly_the_rules_facts(rule: ViolationRule, language: str) -> None:
    assert placeholders(rule.explanation.get(language)) == set(rule.facts)
    assert placeholders(rule.remedy.get(language)) == set()
    assert rule.title.get(language).strip()


@pytest.mark.django_db
def test_the_facts_each_detector_returns_fill_its_rules_explanation_in_all_three_languages(world: World) -> None:
    broken = [build(world) for build in scenarios.SCENARIOS.values()]
    for moment in sorted({story.sweep_at for story in broken}):
        sweep_at(moment)

    for rule in RULES:
        raised = list(Finding.objects.filter(rule=rule.code))
        assert raised, f"{rule.code} raised nothing"
        for finding in raised:
            assert tuple(sorted(finding.facts)) == tuple(sorted(rule.facts)), rule.code
            for language in LANGUAGES:
                text = rule.explanation.get(language).format(**finding.facts)
                for name in rule.facts:
                    if finding.facts[name] is not None:
                        assert str(finding.facts[name]) in text, (rule.code, language, name)


@pytest.mark.django_db
def test_an_empty_register_raises_nothing(world: World) -> None:
    assert sweep_at(MONDAY) == {}
    assert sweep_at(MONDAY, case_ids=[]) == {}
    assert not Finding.objects.exists()
