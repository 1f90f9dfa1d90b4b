"""Citations of the rulebook's sources in Russian and Kazakh, and every source of every version readable."""

from __future__ import annotations

import pytest

from oversight.law import rulebooks
from oversight.law.citations import cite, cite_part


@pytest.mark.parametrize(
    ("article", "ru", "kk"),
    [
        ("CPC art. 131", "ст. 131 УПК", "ҚПК-нің 131-бабы"),
        ("CPC arts. 193, 202", "ст. 193, 202 УПК", "ҚПК-нің 193, 202-баптары"),
        ("CPC arts. 128-131", "ст. 128-131 УПК", "ҚПК-нің 128-131-баптары"),
        ("CPC art. 45 p. 7", "ч. 7 ст. 45 УПК", "ҚПК-нің 45-бабының 7-бөлігі"),
        ("CPC art. 7 p. 40-1", "п. 40-1 ст. 7 УПК", "ҚПК-нің 7-бабының 40-1-тармағы"),
        ("CPC art. 65 (Law No. 331-VIII)", "ст. 65 УПК (Закон № 331-VIII)", "ҚПК-нің 65-бабы (№ 331-VIII Заң)"),
        (
            "CPC art. 131; Constitution art. 16",
            "ст. 131 УПК; ст. 16 Конституции",
            "ҚПК-нің 131-бабы; Конституцияның 16-бабы",
        ),
        (
            "CPC art. 180; GPO Order No. 89 of 19 Sep 2014",
            "ст. 180 УПК; приказ Генерального прокурора № 89 от 19.09.2014",
            "ҚПК-нің 180-бабы; Бас прокурордың 2014 жылғы 19 қыркүйектегі № 89 бұйрығы",
        ),
        ("three-tier model; CPC art. 193", "трёхзвенная модель уголовного процесса; ст. 193 УПК", None),
        ("CPC art. 45 p. 7 item 3", "п. 3 ч. 7 ст. 45 УПК", "ҚПК-нің 45-бабы 7-бөлігінің 3) тармағы"),
        ("Law No. 331-VIII", "Закон № 331-VIII", "№ 331-VIII Заң"),
        ("Law of 27 Dec 2021 No. 88-VII", "Закон от 27.12.2021 № 88-VII", "2021 жылғы 27 желтоқсандағы № 88-VII Заң"),
    ],
)
def test_a_citation_reads_as_each_language_writes_it(article: str, ru: str, kk: str | None) -> None:
    assert cite(article, "en") == article
    assert cite(article, "ru") == ru
    if kk is not None:
        assert cite(article, "kk") == kk


def test_a_part_it_cannot_read_is_kept_as_written() -> None:
    assert cite("CPC art. 131; Some new source", "ru") == "ст. 131 УПК; Some new source"
    assert cite_part("Some new source", "kk") is None


def sources() -> set[str]:
    """Every source a page may cite: the version's own, its clocks', its decision types' with their
    approvals, ladders and choices, and its rules'."""
    found: set[str] = set()
    for book in rulebooks():
        own = (book.effective_from_source, book.custody_ceiling_source, book.resumption_source, book.terms_source)
        found |= {source.article for source in own if source is not None}
        for decision_type in book.decision_types.values():
            found.add(decision_type.source.article)
            found |= {rule.source.article for rule in decision_type.approvals}
            found |= {step.source.article for step in decision_type.level_ladder}
            found |= {choice.source.article for spec in decision_type.fields for choice in spec.choices}
        for term in book.clocks.values():
            found.add(term.source.article)
            if term.calendar_source is not None:
                found.add(term.calendar_source.article)
        found |= {rule.source.article for rule in book.violation_rules}
        if book.monitor is not None:
            found |= {getattr(book.monitor, name).source.article for name in book.monitor.__dataclass_fields__}
    return found


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_source_of_every_rulebook_reads_in_the_language(language: str) -> None:
    unreadable = sorted(
        part
        for article in sources()
        for part in (piece.strip() for piece in article.split(";"))
        if cite_part(part, language) is None
    )
    assert unreadable == []
