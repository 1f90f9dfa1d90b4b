"""docs/rulebook.md is generated from the code and must stay equal to it."""

from __future__ import annotations

from pathlib import Path

from oversight.law import rulebooks
from oversight.law.document import describe

PAGE = Path(__file__).resolve().parents[2] / "docs" / "rulebook.md"


def test_the_rulebook_page_matches_the_code() -> None:
    assert PAGE.read_text(encoding="utf-8") == describe(rulebooks()), "run `make rulebook-doc`"


def test_the_page_flags_unconfirmed_values_and_names_articles() -> None:
    page = describe(rulebooks())
    assert "| `detention` | 48 hours (exceptionally 72 hours) | no | CPC art. 131" in page
    assert (
        "`complaint_to_prosecutor` | 3 days | yes | CPC art. 105 — commonly cited as 3 days **[to be confirmed]**"
        in page
    )
