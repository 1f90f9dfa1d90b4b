"""The rulebook's and the services' error sentences read in the page's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from oversight.decisions import services as workflow
from oversight.decisions.messages import PATTERNS, in_reader_language
from oversight.kit.errors import Conflict
from oversight.law.criminal_code import InvalidArticle, parse_article
from tests.factories import World, draft, make_case


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("is required", "Обязательное поле."),
        ("a reason is required", "Укажите обоснование."),
        ("must be at least 2", "Введите не менее 2."),
        (
            "offences are defined in articles 99 to 475 (Special Part)",
            "Уголовные правонарушения предусмотрены статьями 99–475 Уголовного кодекса (Особенная часть).",
        ),
        ("a part is a number from 1 to 6", "Часть — число от 1 до 6."),
    ],
)
def test_known_sentences_are_translated_with_their_numbers(english: str, russian: str) -> None:
    with translation.override("ru"):
        assert in_reader_language(english) == russian
    with translation.override("en"):
        assert in_reader_language(english)[0].isupper()


def test_every_article_error_has_a_translation() -> None:
    for given in ("9999", "12", "abc", "188-"):
        with pytest.raises(InvalidArticle) as raised, translation.override("kk"):
            parse_article(given)
        with translation.override("kk"):
            assert in_reader_language(str(raised.value)) != str(raised.value)


def test_an_unknown_sentence_is_shown_as_it_is() -> None:
    assert in_reader_language("something new") == "something new"
    assert len(PATTERNS) > 20


@pytest.mark.django_db
def test_a_conflict_of_the_workflow_reads_in_the_readers_language_with_its_plural(world: World) -> None:
    case = make_case(world)  # its term runs for two months from registration
    extension = draft(case, "extension_of_terms", content={"total_months": 2, "grounds": "Audit pending"})

    with translation.override("ru"), pytest.raises(Conflict) as raised:
        workflow.submit_decision(extension.pk, actor=extension.drafted_by)

    assert raised.value.detail == "Срок уже составляет 2 месяца; продление должно его превышать."
    assert raised.value.field == "content.total_months"
    extension.refresh_from_db()
    assert extension.state == "draft"
