"""The decision workflow as a pure transition table, testable without a database.

draft -> submitted -> (agreed | refused | returned) -> in force; a return reopens the draft as a new
revision. Its author may withdraw a decision until it is in force or before the investigating judge:
an agreed petition that is no longer needed (the person was released) or a decision awaiting the
General Prosecutor's consent would otherwise wait for ever, and block the next one of its kind.
The approvals a decision needs are given in order (prosecutor's agreement, special-subject consent,
judicial sanction); after each one the decision waits for the next, and is in force when none is
left.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from oversight.law.rulebook import ApprovalKind


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # awaiting the prosecutor's agreement
    RETURNED = "returned"  # sent back for rework; a new revision is open for editing
    AWAITING_CONSENT = "awaiting_consent"  # special subject: awaiting the General Prosecutor's consent
    AGREED = "agreed"  # agreed; awaiting the prosecutor's petition to the investigating judge
    PETITIONED = "petitioned"  # before the investigating judge
    IN_FORCE = "in_force"
    REFUSED = "refused"
    DENIED = "denied"  # the judge refused the sanction
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    AGREE = "agree"
    REFUSE = "refuse"
    RETURN = "return"
    CONSENT = "consent"
    REFUSE_CONSENT = "refuse_consent"
    PETITION = "petition"
    GRANT = "grant"
    DENY = "deny"


TERMINAL = frozenset({State.IN_FORCE, State.REFUSED, State.DENIED, State.WITHDRAWN})
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
PENDING = frozenset({State.SUBMITTED, State.AWAITING_CONSENT, State.AGREED, State.PETITIONED})  # awaits an approval
AWAITING = {
    ApprovalKind.PROSECUTOR_AGREEMENT: State.SUBMITTED,
    ApprovalKind.SPECIAL_SUBJECT_CONSENT: State.AWAITING_CONSENT,
    ApprovalKind.JUDICIAL_SANCTION: State.AGREED,
}
# The approval each action gives, where it gives one.
GIVES = {
    Action.AGREE: ApprovalKind.PROSECUTOR_AGREEMENT,
    Action.CONSENT: ApprovalKind.SPECIAL_SUBJECT_CONSENT,
    Action.GRANT: ApprovalKind.JUDICIAL_SANCTION,
}
ALLOWED_FROM: dict[Action, frozenset[State]] = {
    Action.EDIT: EDITABLE,
    Action.SUBMIT: EDITABLE,
    Action.WITHDRAW: frozenset({State.DRAFT, State.RETURNED, State.SUBMITTED, State.AWAITING_CONSENT, State.AGREED}),
    Action.AGREE: frozenset({State.SUBMITTED}),
    Action.REFUSE: frozenset({State.SUBMITTED}),
    Action.RETURN: frozenset({State.SUBMITTED}),
    Action.CONSENT: frozenset({State.AWAITING_CONSENT}),
    Action.REFUSE_CONSENT: frozenset({State.AWAITING_CONSENT}),
    Action.PETITION: frozenset({State.AGREED}),
    Action.GRANT: frozenset({State.PETITIONED}),
    Action.DENY: frozenset({State.PETITIONED}),
}


class TransitionNotAllowed(ValueError):
    pass


def waiting_state(remaining: Sequence[ApprovalKind]) -> State:
    """The state of a decision that still needs `remaining`, in order; in force when none is left."""
    return AWAITING[remaining[0]] if remaining else State.IN_FORCE


def next_state(current: State, action: Action, remaining: Sequence[ApprovalKind]) -> State:
    """Where `action` takes a decision in `current` that still needs `remaining` approvals."""
    if current not in ALLOWED_FROM[action]:
        raise TransitionNotAllowed(f"cannot {action.value} a decision that is {current.value}")
    if action is Action.EDIT:
        return current
    if action is Action.SUBMIT:
        return waiting_state(remaining)
    if action is Action.WITHDRAW:
        return State.WITHDRAWN
    if action in (Action.REFUSE, Action.REFUSE_CONSENT):
        return State.REFUSED
    if action is Action.RETURN:
        return State.RETURNED
    if action is Action.PETITION:
        return State.PETITIONED
    if action is Action.DENY:
        return State.DENIED
    given = GIVES[action]
    if not remaining or remaining[0] is not given:
        raise TransitionNotAllowed(f"{given.value} is not the approval this decision awaits")
    return waiting_state(remaining[1:])
