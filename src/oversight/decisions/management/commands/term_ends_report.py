"""`manage.py term_ends_report`: the running terms whose stored end differs from the rule's (read only).

An interrupted term's end was once moved on from an end already moved off a weekend, which counted
the weekend twice; it is now computed from the term's start and every interruption
(`effects.term_end`). Ends stored before that change are left as they were announced. This lists
them beside the end the rule now gives, for the supervising prosecutors and the legal team to decide
on; it writes nothing.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.decisions.effects import term_end
from oversight.decisions.models import LegalEffect
from oversight.law import Effect, rulebook
from oversight.register.models import Case, CaseStatus


def _ends_by_the_rule(case: Case) -> bool:
    """Whether the stored end was computed by the rule, not kept as the instant a term ran out: a
    term interrupted after it had run out comes back run out (`effects.resume`), until an extension."""
    effects = list(
        LegalEffect.objects.filter(
            case=case, kind__in=[Effect.TERMS_INTERRUPTED.value, Effect.TERMS_EXTENDED.value]
        ).order_by("started_at", "pk")
    )
    resumed = [e for e in effects if e.kind == Effect.TERMS_INTERRUPTED.value and e.ended_at is not None]
    last = max(resumed, key=lambda e: (e.ended_at, e.pk))
    remaining = last.data.get("remaining_seconds")
    lapsed = remaining is None or float(remaining) <= 0
    extended_since = any(
        e.kind == Effect.TERMS_EXTENDED.value and last.ended_at is not None and e.started_at >= last.ended_at
        for e in effects
    )
    return not lapsed or extended_since


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
        now = timezone.now()
        for case in cases.iterator():
            if not _ends_by_the_rule(case):
                continue
            checked += 1
            stored = case.term_ends_at
            computed = term_end(case, rulebook(case.rulebook_version))
            if stored is None or stored == computed:
                continue
            differ += 1
            if differ <= options["limit"]:
                days = (computed - stored).days
                lapsed = " (already run out by the rule)" if computed < now else ""
                self.stdout.write(
                    f"{case.erdr_number}  stored {timezone.localtime(stored):%Y-%m-%d %H:%M}  "
                    f"by the rule {timezone.localtime(computed):%Y-%m-%d %H:%M}  {days:+d} days{lapsed}"
                )
        self.stdout.write(f"{differ} of {checked} resumed or extended terms differ from the rule")
