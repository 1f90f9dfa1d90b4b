"""Read-side selectors for cases, starting from the visibility filter."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from oversight.accounts.access import Jurisdiction
from oversight.law.roles import Role


def case_filter(jurisdiction: Jurisdiction, *, prefix: str = "", include_courts: bool = True) -> Q:
    """The cases `jurisdiction` reaches, as a filter on Case (or on a relation to it via `prefix`).

    - investigator: cases of their unit they are assigned to; head of unit: all of the unit's;
    - prosecutor: cases supervised by their office; senior prosecutor: their office and below;
    - investigating judge: cases referred to their court with a petition.
    Analysts and administrators reach no case content.
    """
    reach = Q(pk__in=[])
    p = prefix
    investigator_units = jurisdiction.organisations(Role.INVESTIGATOR)
    if investigator_units:
        reach |= Q(**{f"{p}unit_id__in": investigator_units, f"{p}investigator_id": jurisdiction.user_id})
    head_units = jurisdiction.organisations(Role.HEAD_OF_UNIT)
    if head_units:
        reach |= Q(**{f"{p}unit_id__in": head_units})
    offices = jurisdiction.organisations(Role.PROSECUTOR)
    if offices:
        reach |= Q(**{f"{p}supervising_office_id__in": offices})
    for path in jurisdiction.senior_paths():
        reach |= Q(**{f"{p}supervising_office__path__startswith": path})
    courts = jurisdiction.organisations(Role.INVESTIGATING_JUDGE)
    if courts and include_courts:
        from oversight.register.models import CourtReferral

        case_ref = OuterRef(f"{p}pk") if p else OuterRef("pk")
        reach |= Q(Exists(CourtReferral.objects.filter(case_id=case_ref, court_id__in=courts)))
    return reach


def open_cases_assigned(user_id: int) -> dict[str, int]:
    """How many open cases name the person as their investigator, and as their procedural prosecutor:
    counts only (no case content), for whoever takes a role away and must see who is to reassign them."""
    from oversight.register.models import OPEN_STATUSES, Case

    counts = Case.objects.filter(status__in=OPEN_STATUSES).aggregate(
        investigator=Count("pk", filter=Q(investigator_id=user_id)),
        procedural_prosecutor=Count("pk", filter=Q(procedural_prosecutor_id=user_id)),
    )
    return {role: int(count or 0) for role, count in counts.items()}
