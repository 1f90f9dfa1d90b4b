"""`manage.py term_ends_report`: the running terms whose stored end differs from the rule's (read only).

An interrupted term's end was once moved on from an end already moved off a weekend, which counted
the weekend twice; it is now computed from the term's start and every interruption
(`effects.term_end`). Ends stored before that change are left as they were announced. This lists
them beside the end the rule now gives, for the supervising prosecutors and the legal team to decide
on; it writes nothing. A term that came back run out is compared too: the instant it ran out is
the end the rule gives it, unless an earlier resumption had moved it by the old count.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.decisions.effects import term_end
from oversight.decisions.models import LegalEffect
from oversight.law import Effect, rulebook
from oversight.register.models import Case, CaseStatus


def _last_day(end: dt.datetime) -> dt.date:
    """The local day a term ends on: it runs out at 24:00 of it, the next day's first instant."""
    return timezone.localtime(end - dt.timedelta(seconds=1)).date()


class Command(BaseCommand):
    help = (
        "List the cases under investigation whose stored end of the term differs from the end the rule gives "
        "now (an interrupted term counted the weekend its end was moved over twice before 2026-12). Writes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="list at most this many cases")

    def handle(self, *args: Any, **options: Any) -> None:
        resumed = LegalEffect.objects.filter(kind=Effect.TERMS_INTERRUPTED.value, ended_at__isnull=False)
        cases = Case.objects.filter(
            status=CaseStatus.UNDER_INVESTIGATION, term_ends_at__isnull=False, pk__in=resumed.values("case_id")
        ).order_by("term_ends_at", "pk")
        checked = differ = 0
        today = timezone.localdate()
        for case in cases.iterator():
            checked += 1
            stored = case.term_ends_at
            computed = term_end(case, rulebook(case.rulebook_version))
            if stored is None or stored == computed:
                continue
            differ += 1
            if differ <= options["limit"]:
                was, now = _last_day(stored), _last_day(computed)
                lapsed = " (already run out by the rule)" if now < today else ""
                self.stdout.write(
                    f"{case.erdr_number}  last day stored {was:%Y-%m-%d}  by the rule {now:%Y-%m-%d}  "
                    f"{(now - was).days:+d} days{lapsed}"
                )
        self.stdout.write(f"{differ} of {checked} resumed or extended terms differ from the rule")
