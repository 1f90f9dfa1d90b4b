"""A source's citation as each working language writes it: `CPC art. 131` is `ст. 131 УПК`, `ҚПК-нің 131-бабы`.

The rulebook records its sources in one English notation (`terms.Source.article`); pages show them in
the reader's language through `cite`. A citation is a `;`-separated list of parts; a part this module
cannot read is shown as written, and a test keeps every part of every rulebook readable.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Part = Callable[[re.Match[str], str], str]

CPC = re.compile(
    r"^CPC (?P<plural>arts?)\. (?P<numbers>[\d\-, ]+?)(?: p\. (?P<point>[\d\-]+))?(?: item (?P<item>\d+))?"
    r"(?: \((?P<law>.+)\))?$"
)
CONSTITUTION = re.compile(r"^Constitution art\. (?P<number>\d+)$")
ORDER = re.compile(
    r"^GPO Order No\. (?P<number>\d+)(?: of (?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2}) (?P<year>\d{4}))?$"
)
LAW = re.compile(r"^Law No\. (?P<number>[\w\-]+)$")
DATED_LAW = re.compile(r"^Law of (?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2}) (?P<year>\d{4}) No\. (?P<number>[\w\-]+)$")
MONTHS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10}
MONTHS |= {"Nov": 11, "Dec": 12}
KK_MONTHS = (
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
)
# Article 7 of the CPC defines terms in numbered points; elsewhere "p." is a part of the article.
POINTED_ARTICLES = frozenset({"7"})
PHRASES = {
    "GPO review": {"ru": "обзор Генеральной прокуратуры", "kk": "Бас прокуратураның шолуы"},
    "rulebook review clocks": {
        "ru": "сроки согласования по своду правил",
        "kk": "ережелер жинағының келісу мерзімдері",
    },
    "three-tier model": {"ru": "трёхзвенная модель уголовного процесса", "kk": "қылмыстық процестің үш буынды моделі"},
    "three-tier model, stage one": {
        "ru": "трёхзвенная модель уголовного процесса, первый этап",
        "kk": "қылмыстық процестің үш буынды моделі, бірінші кезең",
    },
    "Law on the Prosecutor's Office": {"ru": "Закон «О прокуратуре»", "kk": "«Прокуратура туралы» Заң"},
}


def _law(text: str, language: str) -> str:
    """A law named in parentheses after an article, or kept as written."""
    match = LAW.match(text)
    return _law_part(match, language) if match is not None else text


def _cpc(match: re.Match[str], language: str) -> str:
    numbers, point, item, several = match["numbers"], match["point"], match["item"], match["plural"] == "arts"
    pointed = numbers in POINTED_ARTICLES
    if language == "ru":
        text = f"ст. {numbers} УПК"
        if point:
            text = f"{'п.' if pointed else 'ч.'} {point} {text}"
        if item:
            text = f"п. {item} {text}"
    else:
        text = f"ҚПК-нің {numbers}-{'баптары' if several else 'бабы'}"
        if point and item:
            text = f"ҚПК-нің {numbers}-бабы {point}-бөлігінің {item}) тармағы"
        elif point:
            text = f"ҚПК-нің {numbers}-бабының {point}-{'тармағы' if pointed else 'бөлігі'}"
    if match["law"]:
        text += f" ({_law(match['law'], language)})"
    return text


def _law_part(match: re.Match[str], language: str) -> str:
    return f"Закон № {match['number']}" if language == "ru" else f"№ {match['number']} Заң"


def _dated_law(match: re.Match[str], language: str) -> str:
    day, month, year, number = int(match["day"]), MONTHS[match["month"]], match["year"], match["number"]
    if language == "ru":
        return f"Закон от {day:02d}.{month:02d}.{year} № {number}"
    return f"{year} жылғы {day} {KK_MONTHS[month - 1]} № {number} Заң"


def _constitution(match: re.Match[str], language: str) -> str:
    return f"ст. {match['number']} Конституции" if language == "ru" else f"Конституцияның {match['number']}-бабы"


def _order(match: re.Match[str], language: str) -> str:
    number, year = match["number"], match["year"]
    if language == "ru":
        dated = f" от {int(match['day']):02d}.{MONTHS[match['month']]:02d}.{year}" if year else ""
        return f"приказ Генерального прокурора № {number}{dated}"
    dated = f"{year} жылғы {int(match['day'])} {KK_MONTHS[MONTHS[match['month']] - 1]} " if year else ""
    return f"Бас прокурордың {dated}№ {number} бұйрығы"


PARTS: tuple[tuple[re.Pattern[str], Part], ...] = (
    (CPC, _cpc),
    (CONSTITUTION, _constitution),
    (ORDER, _order),
    (LAW, _law_part),
    (DATED_LAW, _dated_law),
)


def cite_part(part: str, language: str) -> str | None:
    """One part in `language`, or None when this module cannot read it."""
    if language == "en":
        return part
    for pattern, render in PARTS:
        match = pattern.match(part)
        if match is not None:
            return render(match, language)
    phrase = PHRASES.get(part)
    return phrase[language] if phrase and language in phrase else None


def cite(article: str, language: str) -> str:
    """A rulebook citation in `language` (en, ru or kk); unreadable parts are kept as written."""
    parts = [part.strip() for part in article.split(";")]
    return "; ".join(cite_part(part, language) or part for part in parts)
