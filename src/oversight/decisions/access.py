"""The only way to fetch a decision: outside the user's reach it is the same 404 as a missing one."""

from __future__ import annotations

from oversight.accounts.models import User
from oversight.decisions.models import Decision
from oversight.kit.errors import NotFound


def access_decision(user: User | None, decision_id: int, *, for_update: bool = False) -> Decision:
    decisions = Decision.objects.visible_to(user)
    if for_update:
        decisions = decisions.select_for_update(of=("self",))
    decision = decisions.select_related("case", "subject").filter(pk=decision_id).first()
    if decision is None:
        raise NotFound(f"decision {decision_id} not found")
    return decision
