"""References to the Criminal Code of 3 July 2014 No. 226-V: article, part, paragraph.

The Special Part, where offences are defined, runs from article 99 to article 475 (to be confirmed
against the current text); articles inserted later carry a suffix, as in 188-1. Parts and
paragraphs are small positive numbers. The catalogue names the articles the demo and the tests
use; any well-formed reference inside the Special Part is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oversight.law.rulebook import Text
from oversight.law.terms import Source

SPECIAL_PART = (99, 475)
SPECIAL_PART_SOURCE = Source("Criminal Code No. 226-V", "range of the Special Part", confirmed=False)
MAX_PART = 6
MAX_PARAGRAPH = 12
_ARTICLE = re.compile(r"^(?P<number>[1-9][0-9]*)(?:-(?P<suffix>[1-9][0-9]?))?$")


class InvalidArticle(ValueError):
    """Not a reference to an offence of the Criminal Code; the message says why."""


@dataclass(frozen=True, order=True)
class ArticleReference:
    article: str
    part: int | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        text = f"art. {self.article}"
        if self.part is not None:
            text += f" p. {self.part}"
        if self.paragraph is not None:
            text += f" para. {self.paragraph}"
        return text

    @property
    def number(self) -> int:
        return int(self.article.split("-")[0])


def parse_article(article: str, part: int | None = None, paragraph: int | None = None) -> ArticleReference:
    if any(isinstance(value, bool) for value in (part, paragraph)):
        raise InvalidArticle("part and paragraph are whole numbers")
    match = _ARTICLE.match(article.strip())
    if match is None:
        raise InvalidArticle("an article is a number, optionally with a suffix such as 188-1")
    number = int(match["number"])
    if not SPECIAL_PART[0] <= number <= SPECIAL_PART[1]:
        raise InvalidArticle(f"offences are defined in articles {SPECIAL_PART[0]} to {SPECIAL_PART[1]} (Special Part)")
    if part is not None and not 1 <= part <= MAX_PART:
        raise InvalidArticle(f"a part is a number from 1 to {MAX_PART}")
    if paragraph is not None and not 1 <= paragraph <= MAX_PARAGRAPH:
        raise InvalidArticle(f"a paragraph is a number from 1 to {MAX_PARAGRAPH}")
    if paragraph is not None and part is None:
        raise InvalidArticle("a paragraph is given within a part")
    return ArticleReference(article.strip(), part, paragraph)


CATALOGUE: dict[str, Text] = {
    "99": Text("Murder", "Убийство", "Кісі өлтіру"),
    "106": Text(
        "Intentional infliction of grave harm to health",
        "Умышленное причинение тяжкого вреда здоровью",
        "Денсаулыққа қасақана ауыр зиян келтіру",
    ),
    "188": Text("Theft", "Кража", "Ұрлық"),
    "190": Text("Fraud", "Мошенничество", "Алаяқтық"),
    "191": Text("Robbery", "Грабёж", "Тонау"),
    "192": Text("Brigandage", "Разбой", "Қарақшылық"),
    "194": Text("Extortion", "Вымогательство", "Қорқытып алушылық"),
    "200": Text(
        "Unlawful taking of a vehicle",
        "Неправомерное завладение транспортным средством",
        "Көлік құралын заңсыз иеленіп алу",
    ),
    "218": Text(
        "Legalisation of criminal proceeds",
        "Легализация денег, полученных преступным путём",
        "Қылмыстық жолмен алынған ақшаны заңдастыру",
    ),
    "293": Text("Hooliganism", "Хулиганство", "Бұзақылық"),
    "296": Text(
        "Illegal handling of narcotic drugs",
        "Незаконный оборот наркотических средств",
        "Есірткі құралдарының заңсыз айналымы",
    ),
    "345": Text(
        "Traffic offence causing death or harm",
        "Нарушение правил дорожного движения",
        "Жол жүру қағидаларын бұзу",
    ),
    "366": Text("Taking a bribe", "Получение взятки", "Пара алу"),
    "367": Text("Giving a bribe", "Дача взятки", "Пара беру"),
}
