"""The only way to fetch a decision: outside the user's reach it is the same 404 as a missing one."""

# ruff: noqa: S608 - statements assembled from the models' column lists and the visibility filter as the ORM
# compiled it; every value is a bound parameter

from __future__ import annotations

import functools
from typing import Any

from django.db import connection

from oversight.accounts.access import Jurisdiction, jurisdiction_of
from oversight.accounts.models import Organisation, User
from oversight.decisions.models import Decision
from oversight.kit import rows
from oversight.kit.errors import NotFound
from oversight.kit.queries import one_or_none
from oversight.register.models import Case, Participant


def access_decision(
    user: User | None, decision_id: int, *, for_update: bool = False, jurisdiction: Jurisdiction | None = None
) -> Decision:
    """Fetch a decision through the visibility filter.

    With `for_update` the decision and its case are locked together in one statement, so that two
    decisions taking effect on the same case are applied one after the other; the caller then
    locks the subject on its own (it sits on the nullable side of a join, which cannot be locked).
    """
    reach = jurisdiction if jurisdiction is not None else jurisdiction_of(user)
    if for_update:
        return _lock_decision(reach, decision_id)
    decisions = Decision.objects.within(reach).select_related("case__supervising_office", "subject")
    decision = one_or_none(decisions.filter(pk=decision_id))
    if decision is None:
        raise NotFound(f"decision {decision_id} not found")
    return decision


@functools.lru_cache(maxsize=4096)
def _reach_sql(jurisdiction: Jurisdiction) -> tuple[str, tuple[Any, ...]] | None:
    """The ids of the decisions `jurisdiction` reaches, as SQL: the visibility filter itself
    (`Decision.objects.within`), compiled once per jurisdiction instead of on every transition.

    A jurisdiction is every input the filter has (the user and each grant's role, office and
    path), so a changed grant is a different key and is compiled afresh. None: it reaches nothing.
    """
    return rows.compiled(Decision.objects.within(jurisdiction).order_by().values("pk"))


@functools.cache
def _lock_statement(reach: str) -> str:
    return (
        f"SELECT {rows.select_list(Decision, 'd')}, {rows.select_list(Case, 'c')}, "
        f"{rows.select_list(Organisation, 'o')}, {rows.select_list(User, 'u')} "
        "FROM decisions_decision d "
        "JOIN register_case c ON c.id = d.case_id "
        "JOIN accounts_organisation o ON o.id = c.supervising_office_id "
        "JOIN accounts_user u ON u.id = d.drafted_by_id "
        f"WHERE d.id = %s AND d.id IN ({reach}) "
        "FOR UPDATE OF d, c"
    )


def _lock_decision(jurisdiction: Jurisdiction, decision_id: int) -> Decision:
    """The decision with its case (and the case's supervising office), both rows locked, and its author
    (every answer to a transition names them)."""
    reach = _reach_sql(jurisdiction)
    if reach is None:
        raise NotFound(f"decision {decision_id} not found")
    sql, params = reach
    with connection.cursor() as cursor:
        cursor.execute(_lock_statement(sql), [decision_id, *params])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"decision {decision_id} not found")
    decision, case, office, author = rows.split4(row, Decision, Case, Organisation, User)
    case.supervising_office = office
    decision.case = case
    decision.drafted_by = author
    return decision


@functools.cache
def _subject_statement() -> str:
    return f"SELECT {rows.select_list(Participant, 'p')} FROM register_participant p WHERE p.id = %s FOR UPDATE"


def lock_subject(decision: Decision) -> None:
    """Lock the decision's subject and read it afresh, after its case is locked (see services._lock)."""
    if decision.subject_id is None:
        decision.subject = None
        return
    with connection.cursor() as cursor:
        cursor.execute(_subject_statement(), [decision.subject_id])
        row = cursor.fetchone()
    if row is None:  # cannot happen: a decision's subject is protected from deletion (on_delete=PROTECT)
        raise NotFound(f"participant {decision.subject_id} not found")
    decision.subject = rows.instance(Participant, row)
