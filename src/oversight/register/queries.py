"""Read-side selectors for cases, starting from the visibility filter."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

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
