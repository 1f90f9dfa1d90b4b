"""The services' and the rulebook's error sentences in the reader's language.

The law package is plain Python and speaks English; the pages translate its sentences here, by
pattern, so a Kazakh or Russian user reads the error beside the field in their own language. The API
keeps the English sentences (its clients read the field names).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

Pattern = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _fixed(text: object) -> Callable[[re.Match[str]], str]:
    return lambda match: str(text)


def _with(text: object, **groups: str) -> Callable[[re.Match[str]], str]:
    return lambda match: str(text) % {name: match.group(int(group)) for name, group in groups.items()}


PATTERNS: list[Pattern] = [
    (re.compile(r"^is required$"), _fixed(_("This field is required."))),
    (re.compile(r"^a reason is required$"), _fixed(_("State the reasons."))),
    (re.compile(r"^must be text$"), _fixed(_("Enter text."))),
    (re.compile(r"^must be a whole number$"), _fixed(_("Enter a whole number."))),
    (re.compile(r"^must be at least (\d+)$"), _with(_("Enter at least %(number)s."), number="1")),
    (re.compile(r"^must be at most (\d+)$"), _with(_("Enter at most %(number)s."), number="1")),
    (re.compile(r"^at most (\d+) characters$"), _with(_("Use at most %(number)s characters."), number="1")),
    (re.compile(r"^must be one of "), _fixed(_("Choose one of the options."))),
    (re.compile(r"^must be an ISO 8601 date and time with its offset$"), _fixed(_("Enter a date and a time."))),
    (re.compile(r"^must carry its UTC offset$"), _fixed(_("Enter a date and a time."))),
    (re.compile(r"^cannot be in the future$"), _fixed(_("This cannot be in the future."))),
    (re.compile(r"^a decision cannot be dated in the future$"), _fixed(_("A decision cannot be dated in the future."))),
    (re.compile(r"^give at least one article"), _fixed(_("Give at least one article of the Criminal Code."))),
    (
        re.compile(r"^at least one Criminal Code article is required$"),
        _fixed(_("Give at least one article of the Criminal Code.")),
    ),
    (re.compile(r"^an article is a number"), _fixed(_("An article is a number, such as 188 or 188-1."))),
    (
        re.compile(r"^offences are defined in articles (\d+) to (\d+)"),
        _with(
            _("Offences are defined in articles %(first)s to %(last)s of the Criminal Code (Special Part)."),
            first="1",
            last="2",
        ),
    ),
    (re.compile(r"^a part is a number from 1 to (\d+)$"), _with(_("A part is a number from 1 to %(last)s."), last="1")),
    (
        re.compile(r"^a paragraph is a number from 1 to (\d+)$"),
        _with(_("A paragraph is a number from 1 to %(last)s."), last="1"),
    ),
    (re.compile(r"^a paragraph is given within a part$"), _fixed(_("Give the part as well as the paragraph."))),
    (re.compile(r"^this article is listed twice$"), _fixed(_("This article is listed twice."))),
    (re.compile(r"^part and paragraph are whole numbers$"), _fixed(_("Part and paragraph are whole numbers."))),
    (re.compile(r".* concerns a participant; name them$"), _fixed(_("Choose the person the decision concerns."))),
    (
        re.compile(r".* concerns a participant who is (.+)$"),
        _fixed(_("This decision cannot concern a person with that procedural role.")),
    ),
    (re.compile(r"^no such participant in this case$"), _fixed(_("Choose a participant of this case."))),
    (re.compile(r"^an IIN has exactly 12 digits$"), _fixed(_("An IIN has exactly 12 digits."))),
    (re.compile(r"^the IIN's check digit does not match$"), _fixed(_("The IIN's check digit does not match."))),
    (
        re.compile(r"^the IIN does not begin with a real date of birth$"),
        _fixed(_("The IIN does not begin with a real date of birth.")),
    ),
    (
        re.compile(r"^cannot be before the case was reported \((.+)\)$"),
        _with(_("A petition cannot be filed before the case was reported (%(reported)s)."), reported="1"),
    ),
    (
        re.compile(r"^no rulebook is in force on that date; the earliest is in force from (\S+)$"),
        _with(
            _("No version of the law known to the register is in force on that date; enter a date from %(first)s."),
            first="1",
        ),
    ),
]


def in_reader_language(message: str) -> str:
    for pattern, render in PATTERNS:
        match = pattern.match(message)
        if match:
            return render(match)
    return message
