"""The reader's language, as the rulebook's texts and the organisations' names are kept in it."""

from __future__ import annotations

from django.utils import translation

LANGUAGES = frozenset({"en", "ru", "kk"})


def reader_language() -> str:
    """The active language's code, `en`, `ru` or `kk`; English for any other."""
    current = (translation.get_language() or "en")[:2]
    return current if current in LANGUAGES else "en"
