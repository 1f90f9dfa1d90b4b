"""Template filters: names and Criminal Code references in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from oversight.accounts.models import Organisation
from oversight.kit.languages import reader_language
from oversight.law import citations

register = template.Library()


@register.filter
def localname(organisation: Organisation | None) -> str:
    """An office's, unit's or court's name in the reader's language."""
    return organisation.name(reader_language()) if organisation is not None else "—"


@register.filter
def cite(source_article: str) -> str:
    """A rulebook citation (`CPC art. 131`) as the reader's language writes it (`ст. 131 УПК`)."""
    return citations.cite(source_article, reader_language())


@register.filter
def article(reference: Any) -> str:
    """`art. 188 p. 2 para. 1` as the reader's language writes it (ст. 188 ч. 2 п. 1; 188-бап 2-бөлік 1-тармақ)."""

    def get(name: str) -> Any:
        return reference.get(name) if isinstance(reference, dict) else getattr(reference, name, None)

    text = gettext("art. %(article)s") % {"article": get("article")}
    if get("part"):
        text += " " + gettext("p. %(part)s") % {"part": get("part")}
    if get("paragraph"):
        text += " " + gettext("para. %(paragraph)s") % {"paragraph": get("paragraph")}
    return text
