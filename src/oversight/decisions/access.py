"""The only way to fetch a decision: outside the user's reach it is the same 404 as a missing one."""

# ruff: noqa: S608 - statements assembled from the models' column lists and the visibility filter as the ORM
# compiled it; every value is a bound parameter

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Q, QuerySet

from oversight.accounts.access import Jurisdiction, jurisdiction_of, reach_sql
from oversight.accounts.models import Organisation, User
from oversight.decisions.models import Deadline, Decision, LegalEffect
from oversight.kit import rows
from oversight.kit.errors import NotFound
from oversight.register.models import Case, CaseEvent, Participant


def access_decision(
    user: User | None, decision_id: int, *, for_update: bool = False, jurisdiction: Jurisdiction | None = None
) -> Decision:
    """Fetch a decision through the visibility filter, with its case (and the case's supervising
    office), its author, its subject and its court.

    With `for_update` the decision, its case and its subject are locked together in one statement
    (`_lock_decision`), so that two decisions taking effect on the same case, or on the same person,
    are applied one after the other, each seeing what the other did.
    """
    reach = jurisdiction if jurisdiction is not None else jurisdiction_of(user)
    if for_update:
        return _lock_decision(reach, decision_id)
    return _read_decision(reach, decision_id)


def _decision_and_case(more_columns: str) -> str:
    """The columns and joins every fetch of a decision starts with: the decision, its case, the case's
    supervising office and the decision's author (every page and answer names them), then `more_columns`."""
    return (
        f"SELECT {rows.select_list(Decision, 'd')}, {rows.select_list(Case, 'c')}, "
        f"{rows.select_list(Organisation, 'o')}, {rows.select_list(User, 'u')}{more_columns} "
        "FROM decisions_decision d "
        "JOIN register_case c ON c.id = d.case_id "
        "JOIN accounts_organisation o ON o.id = c.supervising_office_id "
        "JOIN accounts_user u ON u.id = d.drafted_by_id "
    )


def _assemble(row: Sequence[object]) -> Decision:
    """The decision of a row read by a `_decision_and_case` statement, with its case, office and author."""
    decision, case, office, author = rows.split4(row, Decision, Case, Organisation, User)
    case.supervising_office = office
    decision.case = case
    decision.drafted_by = author
    return decision


@functools.cache
def _read_statement(reach: str) -> str:
    more_columns = f", {rows.select_list(Participant, 's')}, {rows.select_list(Organisation, 'ct')}"
    return _decision_and_case(more_columns) + (
        "LEFT JOIN register_participant s ON s.id = d.subject_id "
        "LEFT JOIN accounts_organisation ct ON ct.id = d.court_id "
        f"WHERE d.id = %s AND d.id IN ({reach})"
    )


def _read_decision(jurisdiction: Jurisdiction, decision_id: int) -> Decision:
    """The decision with its case, office, author, subject and court, in one statement written once per
    jurisdiction around the visibility filter `reach_sql` compiles, as the locked fetch uses it."""
    reach = reach_sql(Decision.objects.within, jurisdiction)
    if reach is None:
        raise NotFound(f"decision {decision_id} not found")
    sql, params = reach
    with connection.cursor() as cursor:
        cursor.execute(_read_statement(sql), [decision_id, *params])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"decision {decision_id} not found")
    court_at = len(row) - rows.width(Organisation)
    subject_at = court_at - rows.width(Participant)
    decision = _assemble(row[:subject_at])
    decision.subject = rows.instance(Participant, row[subject_at:court_at]) if decision.subject_id else None
    decision.court = rows.instance(Organisation, row[court_at:]) if decision.court_id else None
    return decision


@functools.cache
def _lock_statement(reach: str, *, with_subject: bool) -> str:
    more_columns = f", {rows.select_list(Participant, 's')}" if with_subject else ""
    return _decision_and_case(more_columns) + (
        "JOIN register_participant s ON s.id = d.subject_id "
        f"WHERE d.id = %s AND d.id IN ({reach}) FOR UPDATE OF d, c, s"
        if with_subject
        else f"WHERE d.id = %s AND d.subject_id IS NULL AND d.id IN ({reach}) FOR UPDATE OF d, c"
    )


def _lock_decision(jurisdiction: Jurisdiction, decision_id: int) -> Decision:
    """The decision with its case and its subject, the three rows locked in one statement and read as
    they are once locked (a statement that waited for a lock re-reads the rows it locks); with them the
    case's supervising office and the decision's author (every answer to a transition names them).

    Most decisions concern a person, so that statement comes first; a decision about the case alone
    is found by the second.
    """
    reach = reach_sql(Decision.objects.within, jurisdiction)
    if reach is None:
        raise NotFound(f"decision {decision_id} not found")
    sql, params = reach
    with connection.cursor() as cursor:
        cursor.execute(_lock_statement(sql, with_subject=True), [decision_id, *params])
        row = cursor.fetchone()
        subject: Participant | None = None
        if row is not None:
            subject = rows.instance(Participant, row[-rows.width(Participant) :])
            row = row[: -rows.width(Participant)]
        else:
            cursor.execute(_lock_statement(sql, with_subject=False), [decision_id, *params])
            row = cursor.fetchone()
    if row is None:
        raise NotFound(f"decision {decision_id} not found")
    decision = _assemble(row)
    decision.subject = subject
    return decision


def _pks(reached: Iterable[Decision]) -> list[int]:
    return [decision.pk for decision in reached]


def effects_reached(case: Case, reached: Iterable[Decision]) -> QuerySet[LegalEffect]:
    """The case's legal effects that come of the decisions the reader reaches (`reached`, read through
    the visibility function): an effect names its decision, which for anyone else is a 404. A judge
    reaches only the petitions sent to their court, not the recognition that made the person a suspect."""
    return LegalEffect.objects.filter(case=case, decision_id__in=_pks(reached))


def clocks_reached(case: Case, reached: Iterable[Decision]) -> QuerySet[Deadline]:
    """The case's clocks: its own and its people's (no decision), and those of the decisions in `reached`."""
    return Deadline.objects.filter(case=case).filter(Q(decision__isnull=True) | Q(decision_id__in=_pks(reached)))


# Where a case event's data names a decision (the callers of register.services.record_case_event):
# the qualification announced, the interruption whose terms resumed.
EVENT_KEYS_NAMING_A_DECISION = ("decision", "interruption")


def case_events_reached(case: Case, reached: Iterable[Decision]) -> QuerySet[CaseEvent]:
    """The case's own history, less the events about a decision the reader does not reach."""
    ids = _pks(reached)
    events = CaseEvent.objects.filter(case=case)
    for key in EVENT_KEYS_NAMING_A_DECISION:
        events = events.exclude(Q(data__has_key=key) & ~Q(**{f"data__{key}__in": ids}))
    return events
