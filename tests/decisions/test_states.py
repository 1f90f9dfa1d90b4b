"""The transition table alone, without a database."""

from __future__ import annotations

import pytest

from oversight.decisions.states import ALLOWED_FROM, Action, State, TransitionNotAllowed, next_state
from oversight.law import ApprovalKind

AGREEMENT = ApprovalKind.PROSECUTOR_AGREEMENT
CONSENT = ApprovalKind.SPECIAL_SUBJECT_CONSENT
SANCTION = ApprovalKind.JUDICIAL_SANCTION


@pytest.mark.parametrize(
    ("needed", "expected"),
    [
        ((), State.IN_FORCE),
        ((AGREEMENT,), State.SUBMITTED),
        ((CONSENT,), State.AWAITING_CONSENT),
        ((SANCTION,), State.AGREED),
        ((AGREEMENT, CONSENT, SANCTION), State.SUBMITTED),
    ],
)
def test_submission_waits_for_the_first_approval_needed(needed: tuple[ApprovalKind, ...], expected: State) -> None:
    assert next_state(State.DRAFT, Action.SUBMIT, needed) is expected


def test_each_approval_moves_to_the_next_one_and_the_last_puts_it_in_force() -> None:
    needed = (AGREEMENT, CONSENT, SANCTION)
    state = next_state(State.DRAFT, Action.SUBMIT, needed)
    state = next_state(state, Action.AGREE, needed)
    assert state is State.AWAITING_CONSENT
    state = next_state(state, Action.CONSENT, needed[1:])
    assert state is State.AGREED
    state = next_state(state, Action.PETITION, needed[2:])
    assert state is State.PETITIONED
    assert next_state(state, Action.GRANT, needed[2:]) is State.IN_FORCE


def test_an_approval_other_than_the_one_awaited_is_refused() -> None:
    with pytest.raises(TransitionNotAllowed):
        next_state(State.SUBMITTED, Action.AGREE, (CONSENT,))


@pytest.mark.parametrize("terminal", [State.IN_FORCE, State.REFUSED, State.DENIED, State.WITHDRAWN])
@pytest.mark.parametrize("action", list(Action))
def test_nothing_leaves_a_terminal_state(terminal: State, action: Action) -> None:
    with pytest.raises(TransitionNotAllowed):
        next_state(terminal, action, (AGREEMENT,))


def test_every_action_is_allowed_from_somewhere_and_withdrawal_only_before_force_or_the_judge() -> None:
    assert set(ALLOWED_FROM) == set(Action)
    assert ALLOWED_FROM[Action.WITHDRAW] == {
        State.DRAFT,
        State.RETURNED,
        State.SUBMITTED,
        State.AWAITING_CONSENT,
        State.AGREED,
    }


def test_a_return_reopens_the_draft_for_editing_and_resubmission() -> None:
    state = next_state(State.SUBMITTED, Action.RETURN, (AGREEMENT,))
    assert state is State.RETURNED
    assert next_state(state, Action.EDIT, (AGREEMENT,)) is State.RETURNED
    assert next_state(state, Action.SUBMIT, (AGREEMENT,)) is State.SUBMITTED
