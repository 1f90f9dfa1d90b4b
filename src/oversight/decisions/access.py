"""The only way to fetch a decision: outside the user's reach it is the same 404 as a missing one."""

from __future__ import annotations

from oversight.accounts.access import Jurisdiction, jurisdiction_of
from oversight.accounts.models import User
from oversight.decisions.models import Decision
from oversight.kit.errors import NotFound
from oversight.kit.queries import one_or_none


def access_decision(
    user: User | None, decision_id: int, *, for_update: bool = False, jurisdiction: Jurisdiction | None = None
) -> Decision:
    """Fetch a decision through the visibility filter.

    With `for_update` the decision and its case are locked together in one statement, so that two
    decisions taking effect on the same case are applied one after the other; the caller then
    locks the subject on its own (it sits on the nullable side of a join, which cannot be locked).
    """
    decisions = Decision.objects.within(jurisdiction if jurisdiction is not None else jurisdiction_of(user))
    if for_update:
        decisions = decisions.select_for_update(of=("self", "case")).select_related("case__supervising_office")
    else:
        decisions = decisions.select_related("case__supervising_office", "subject")
    decision = one_or_none(decisions.filter(pk=decision_id))
    if decision is None:
        raise NotFound(f"decision {decision_id} not found")
    return decision
