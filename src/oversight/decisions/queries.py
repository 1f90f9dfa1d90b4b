"""Read-side filters for decisions: visibility and the review queues."""

from __future__ import annotations

from django.db.models import Q

from oversight.accounts.access import Jurisdiction
from oversight.decisions.states import State
from oversight.law.roles import Role
from oversight.register.queries import case_filter


def decision_filter(jurisdiction: Jurisdiction) -> Q:
    """Decisions of cases the user reaches; a judge reaches only the petitions sent to their court."""
    reach = case_filter(jurisdiction, prefix="case__", include_courts=False)
    courts = jurisdiction.organisations(Role.INVESTIGATING_JUDGE)
    if courts:
        reach |= Q(court_id__in=courts, petitioned_at__isnull=False)
    return reach


def queue_filter(jurisdiction: Jurisdiction) -> Q:
    """What awaits this user's act: the prosecutor's review or petition, the consent, the judge's ruling.

    What the user drafted never appears in their own queue.
    """
    waiting = Q(pk__in=[])
    prosecutorial = jurisdiction.only(Role.PROSECUTOR, Role.SENIOR_PROSECUTOR)
    if prosecutorial.grants:
        waiting |= Q(state__in=[State.SUBMITTED, State.AGREED]) & case_filter(prosecutorial, prefix="case__")
    if jurisdiction.may_consent_for_special_subjects():
        waiting |= Q(state=State.AWAITING_CONSENT)
    courts = jurisdiction.organisations(Role.INVESTIGATING_JUDGE)
    if courts:
        waiting |= Q(state=State.PETITIONED, court_id__in=courts)
    return waiting & ~Q(drafted_by_id=jurisdiction.user_id)
