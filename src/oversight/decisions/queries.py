"""Read-side filters for decisions: visibility and the review queues."""

from __future__ import annotations

from django.db.models import Q

from oversight.accounts.access import Jurisdiction
from oversight.decisions.states import State
from oversight.law.roles import OfficeLevel, Role
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

    A prosecutor's queue holds the decisions of the cases their office supervises. A senior prosecutor
    reaches every office below theirs, but their queue holds only what is theirs to do: the cases of
    their own office and those they are procedural prosecutor of, within their level, and the
    decisions whose agreement needs their level (`level_required`, fixed at submission); the rest
    stays one search away, with the office below. What the user drafted never appears in their own queue.
    """
    waiting = Q(pk__in=[])
    reviewing = Q(state__in=[State.SUBMITTED, State.AGREED])
    for grant in jurisdiction.grants:
        if grant.role not in (Role.PROSECUTOR, Role.SENIOR_PROSECUTOR) or grant.organisation_id is None:
            continue
        # Their own office's cases, but not what needs a higher level than theirs to agree.
        within_level = [""] + [level.value for level in OfficeLevel if grant.level and level.rank <= grant.level.rank]
        waiting |= reviewing & Q(case__supervising_office_id=grant.organisation_id, level_required__in=within_level)
        if grant.role is Role.SENIOR_PROSECUTOR and grant.path:
            # The cases they are procedural prosecutor of, within their level, as for their own office.
            theirs = Q(case__procedural_prosecutor_id=jurisdiction.user_id, level_required__in=within_level)
            if grant.level is not None:
                theirs |= Q(level_required=grant.level.value)
            waiting |= reviewing & Q(case__supervising_office__path__startswith=grant.path) & theirs
    if jurisdiction.may_consent_for_special_subjects():
        waiting |= Q(state=State.AWAITING_CONSENT)
    courts = jurisdiction.organisations(Role.INVESTIGATING_JUDGE)
    if courts:
        waiting |= Q(state=State.PETITIONED, court_id__in=courts)
    return waiting & ~Q(drafted_by_id=jurisdiction.user_id)
