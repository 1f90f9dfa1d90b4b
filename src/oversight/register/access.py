"""The only way to fetch a case: outside the user's reach it is the same 404 as a missing one."""

# ruff: noqa: S608 - statements assembled from the models' column lists and the visibility filter as the ORM
# compiled it; every value is a bound parameter

from __future__ import annotations

import functools

from django.db import connection

from oversight.accounts.access import Jurisdiction, jurisdiction_of, reach_sql
from oversight.accounts.models import Organisation, User
from oversight.kit import rows
from oversight.kit.errors import NotFound
from oversight.kit.queries import one_or_none
from oversight.law.roles import PROSECUTORIAL_ROLES
from oversight.register.models import Case, Participant


def access_case(
    user: User | None, case_id: int, *, for_update: bool = False, jurisdiction: Jurisdiction | None = None
) -> Case:
    """Fetch a case (with its supervising office) through the visibility filter, `for_update` locking
    its row; `jurisdiction` saves re-reading the user's grants."""
    reach = reach_sql(Case.objects.within, jurisdiction if jurisdiction is not None else jurisdiction_of(user))
    if reach is None:
        raise NotFound(f"case {case_id} not found")
    sql, params = reach
    with connection.cursor() as cursor:
        cursor.execute(_case_statement(sql, for_update), [case_id, *params])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"case {case_id} not found")
    case, office = rows.pair(row, Case, Organisation)
    case.supervising_office = office
    return case


def access_case_and_participant(
    user: User | None, case_id: int, participant_id: int | None, *, jurisdiction: Jurisdiction | None = None
) -> tuple[Case, Participant | None]:
    """`access_case`, and in the same statement the participant `participant_id` of that case (None
    when the case has no such participant): drafting a decision about a person reads both."""
    if participant_id is None:
        return access_case(user, case_id, jurisdiction=jurisdiction), None
    reach = reach_sql(Case.objects.within, jurisdiction if jurisdiction is not None else jurisdiction_of(user))
    if reach is None:
        raise NotFound(f"case {case_id} not found")
    sql, params = reach
    with connection.cursor() as cursor:
        cursor.execute(_case_and_participant_statement(sql), [participant_id, case_id, *params])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"case {case_id} not found")
    case, office, participant = rows.triple(row, Case, Organisation, Participant)
    case.supervising_office = office
    return case, participant if participant.pk is not None else None


@functools.cache
def _case_and_participant_statement(reach: str) -> str:
    return (
        f"SELECT {rows.select_list(Case, 'c')}, {rows.select_list(Organisation, 'o')}, "
        f"{rows.select_list(Participant, 'p')} "
        "FROM register_case c JOIN accounts_organisation o ON o.id = c.supervising_office_id "
        "LEFT JOIN register_participant p ON p.id = %s AND p.case_id = c.id "
        f"WHERE c.id = %s AND c.id IN ({reach})"
    )


@functools.cache
def _case_statement(reach: str, for_update: bool) -> str:
    return (
        f"SELECT {rows.select_list(Case, 'c')}, {rows.select_list(Organisation, 'o')} "
        "FROM register_case c JOIN accounts_organisation o ON o.id = c.supervising_office_id "
        f"WHERE c.id = %s AND c.id IN ({reach})" + (" FOR UPDATE OF c" if for_update else "")
    )


def access_case_by_erdr(user: User | None, erdr_number: str) -> Case:
    case = Case.objects.visible_to(user).filter(erdr_number=erdr_number).first()
    if case is None:
        raise NotFound(f"case {erdr_number} not found")
    return case


def access_participant(user: User | None, case: Case, participant_id: int) -> Participant:
    """A participant of a case the caller already reached through access_case."""
    participant = Participant.objects.filter(case=case, pk=participant_id).first()
    if participant is None:
        raise NotFound(f"participant {participant_id} not found in case {case.erdr_number}")
    return participant


def break_glass_case(case_id: int | None = None, *, erdr_number: str | None = None) -> Case:
    """An administrator's emergency read, outside every jurisdiction, by id or by ERDR number.

    Only `register.services.break_glass` calls this, after it has checked the role and the written
    reason, and in the transaction that records the read and alerts the supervising senior prosecutors.
    """
    found = Case.objects.select_related("supervising_office")
    case = one_or_none(found.filter(pk=case_id) if case_id is not None else found.filter(erdr_number=erdr_number))
    if case is None:
        raise NotFound(f"case {case_id if case_id is not None else erdr_number} not found")
    return case


def may_act_as_investigator(jurisdiction: Jurisdiction, case: Case) -> bool:
    """The case's assigned investigator (still in its unit), or the head of its unit."""
    assigned = jurisdiction.investigates_in(case.unit_id) and case.investigator_id == jurisdiction.user_id
    return assigned or jurisdiction.heads_unit(case.unit_id)


def may_act_on_case(jurisdiction: Jurisdiction, case: Case) -> bool:
    """The investigator's side (see above) or a prosecutor who supervises the case: who releases a person
    or resumes interrupted terms."""
    supervising = bool(jurisdiction.roles & PROSECUTORIAL_ROLES) and jurisdiction.supervises(case.supervising_office)
    return may_act_as_investigator(jurisdiction, case) or supervising
