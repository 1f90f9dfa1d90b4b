"""The decision workflow: every change of a decision's state is one function here.

Each verb checks, in one transaction under a row lock: the actor's role and jurisdiction, the
current state, and the rulebook version the decision is judged by. It then changes the state,
appends exactly one event, opens or closes the clocks the rulebook attaches, and, when the last
required approval is in, applies the decision's legal effects. Nobody reviews what they drafted,
and no judge rules on a petition they filed.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol

from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from oversight.accounts.access import Grant, Jurisdiction, jurisdiction_of
from oversight.accounts.models import Organisation, OrganisationKind, User
from oversight.decisions import effects
from oversight.decisions.access import access_decision
from oversight.decisions.deadlines import (
    acted_on,
    close_person_deadlines,
    step_deadline,
)
from oversight.decisions.effects import apply_effects, check_preconditions, co_accused
from oversight.decisions.models import (
    STATE_NAMES,
    Deadline,
    DeadlineStatus,
    Decision,
    DecisionRevision,
    LegalEffect,
)
from oversight.decisions.states import PENDING, Action, State, TransitionNotAllowed, next_state
from oversight.kit import rows
from oversight.kit.errors import Conflict, Forbidden, Invalid
from oversight.kit.languages import reader_language
from oversight.kit.transactions import service_block, service_transaction
from oversight.law import (
    ApprovalKind,
    DecisionType,
    Effect,
    Rulebook,
    UnknownDecisionType,
    rulebook,
    rulebook_in_force,
)
from oversight.law.citations import cite
from oversight.law.content import clean_content
from oversight.law.roles import INVESTIGATIVE_ROLES, PROSECUTORIAL_ROLES, OfficeLevel, Role
from oversight.law.rulebook import CO_ACCUSED_FIELD, SubjectRule
from oversight.register.access import access_case, access_case_and_participant, may_act_on_case
from oversight.register.models import Case, CaseStatus, CourtReferral, Participant
from oversight.register.services import record_case_event

MAX_REASON = 20_000
# What a transition may change on the decision row; the rest is fixed at drafting or editing. A
# transition writes back those of them it changed (`_changed_fields`), not all of them.
WORKFLOW_FIELDS = [
    "state",
    "rulebook_version",
    "content",
    "revision",
    "submitted_at",
    "needs_agreement",
    "needs_consent",
    "needs_sanction",
    "level_required",
    "due_at",
    "agreed_by",
    "agreed_at",
    "consented_by",
    "consented_at",
    "court",
    "petitioned_by",
    "petitioned_at",
    "ruled_by",
    "ruled_at",
    "granted_at",
    "closed_reason",
    "in_force_at",
    "updated_at",
]


# --- who may act ----------------------------------------------------------------------------------


def drafting_grant(jurisdiction: Jurisdiction, case: Case, decision_type: DecisionType) -> Grant | None:
    """The grant under which the user may draft `decision_type` in `case`, if any."""
    for grant in jurisdiction.grants:
        if grant.role not in decision_type.drafted_by:
            continue
        if (
            grant.role is Role.INVESTIGATOR
            and grant.organisation_id == case.unit_id
            and (case.investigator_id == jurisdiction.user_id)
        ):
            return grant
        if grant.role is Role.HEAD_OF_UNIT and grant.organisation_id == case.unit_id:
            return grant
        if grant.role in PROSECUTORIAL_ROLES and _covers(grant, case.supervising_office):
            return grant
    return None


def _covers(grant: Grant, office: Organisation) -> bool:
    if grant.role is Role.PROSECUTOR:
        return grant.organisation_id == office.pk
    return grant.role is Role.SENIOR_PROSECUTOR and bool(grant.path) and office.path.startswith(grant.path)


# Who may review a decision whose level ladder (CPC arts. 151, 192) reaches each office level.
REVIEWERS_BY_LEVEL = {
    OfficeLevel.DISTRICT: gettext_lazy("a prosecutor of a district or city office or above"),
    OfficeLevel.REGIONAL: gettext_lazy("a prosecutor of a regional office or above"),
    OfficeLevel.GENERAL: gettext_lazy("a prosecutor of the General Prosecutor's Office"),
}


def _reviewing_grant(jurisdiction: Jurisdiction, case: Case) -> Grant | None:
    """The highest prosecutorial grant covering the case's supervising office, if any."""
    office = case.supervising_office
    covering = [g for g in jurisdiction.grants if g.role in PROSECUTORIAL_ROLES and _covers(g, office)]
    return max(covering, key=lambda g: g.level.rank if g.level else -1) if covering else None


def level_lacking(jurisdiction: Jurisdiction, case: Case, decision: Decision, book: Rulebook) -> OfficeLevel | None:
    """The office level this decision's review needs (its ladder, by the term it reaches) that the
    prosecutor supervising the case does not have; None when theirs suffices or none is needed."""
    best = _reviewing_grant(jurisdiction, case)
    required = book.decision_type(decision.kind).level_required(decision.content)
    if required is None or (best is not None and best.level is not None and best.level.rank >= required.rank):
        return None
    return required


def prosecutor_grant(jurisdiction: Jurisdiction, case: Case, decision: Decision, book: Rulebook) -> Grant:
    """The highest prosecutorial grant covering the case's office that may review this decision."""
    best = _reviewing_grant(jurisdiction, case)
    if best is None:
        raise Forbidden(gettext("Only a prosecutor supervising this case may do this."))
    lacking = level_lacking(jurisdiction, case, decision, book)
    if lacking is not None:
        raise Forbidden(
            gettext("Only %(reviewer)s may act on this decision (%(article)s).")
            % {
                "reviewer": REVIEWERS_BY_LEVEL[lacking],
                "article": cite(book.decision_type(decision.kind).source.article, reader_language()),
            }
        )
    return best


def _consent_grant(jurisdiction: Jurisdiction) -> Grant:
    grant = jurisdiction.consent_grant()
    if grant is None:
        raise Forbidden(
            gettext("Consent for a special subject is given by the General Prosecutor or the First Deputy.")
        )
    return grant


def _judge_grant(jurisdiction: Jurisdiction, decision: Decision) -> Grant:
    for grant in jurisdiction.grants:
        if grant.role is Role.INVESTIGATING_JUDGE and grant.organisation_id == decision.court_id:
            return grant
    raise Forbidden(gettext("Only an investigating judge of the court the petition went to may rule on it."))


def _not_own_draft(actor: User, decision: Decision) -> None:
    if decision.drafted_by_id == actor.pk:
        raise Forbidden(gettext("Nobody reviews a decision they drafted."))


def _drafter_grant(actor: User, decision: Decision, book: Rulebook, jurisdiction: Jurisdiction) -> Grant:
    if decision.drafted_by_id != actor.pk:
        raise Forbidden(gettext("Only the author of the draft may do this."))
    grant = drafting_grant(jurisdiction, decision.case, book.decision_type(decision.kind))
    if grant is None:
        raise Forbidden(gettext("You no longer hold a role that may draft this decision in this case."))
    return grant


# --- shared steps -----------------------------------------------------------------------------------


def _book_for(decision: Decision) -> Rulebook:
    return rulebook(decision.rulebook_version)


def _lock(actor: User, decision_id: int) -> tuple[Decision, Jurisdiction]:
    """Read the actor's grants, then lock the decision with its case and its subject.

    The subject is locked too, and read as it is once locked: two decisions about one person (two
    recognitions of the same witness) would otherwise each see the person as they were before the
    other took effect, because a recognition changes the person, not the case row both wait on.
    """
    jurisdiction = jurisdiction_of(actor)
    decision = access_decision(actor, decision_id, for_update=True, jurisdiction=jurisdiction)
    _remember_as_locked(decision)
    return decision, jurisdiction


def _advance(decision: Decision, action: Action, remaining: tuple[ApprovalKind, ...]) -> tuple[State, State]:
    current = State(decision.state)
    try:
        target = next_state(current, action, remaining)
    except TransitionNotAllowed:
        raise Conflict(_conflict_message(decision, action)) from None
    return current, target


ACT_WORDS = {
    "decision.submitted": gettext_lazy("submitted"),
    "decision.withdrawn": gettext_lazy("withdrawn"),
    "decision.agreed": gettext_lazy("agreed"),
    "decision.refused": gettext_lazy("refused"),
    "decision.returned": gettext_lazy("returned for rework"),
    "decision.consented": gettext_lazy("given consent"),
    "decision.consent_refused": gettext_lazy("refused consent"),
    "decision.petitioned": gettext_lazy("petitioned to the judge"),
    "sanction.granted": gettext_lazy("granted"),
    "sanction.denied": gettext_lazy("denied"),
}


def _conflict_message(decision: Decision, action: Action) -> str:
    """Says who acted first and when, in the reader's language: the answer to a lost race."""
    last = decision.events.select_related("actor").order_by("-at", "-id").first()
    state = STATE_NAMES.get(State(decision.state), decision.state)
    if last is not None and last.from_state != last.to_state and last.code in ACT_WORDS:
        when = f"{timezone.localtime(last.at):%Y-%m-%d %H:%M}"
        return gettext("This decision was already %(act)s by %(who)s at %(when)s; it is now %(state)s.") % {
            "act": ACT_WORDS[last.code],
            "who": last.actor.full_name(),
            "when": when,
            "state": state,
        }
    return gettext("This decision is %(state)s; that step is not possible now.") % {"state": state}


class ApprovalRecord(Protocol):
    """What a decision records of its approvals: the model, or the generator's row of one."""

    @property
    def needs_agreement(self) -> bool: ...
    @property
    def needs_consent(self) -> bool: ...
    @property
    def needs_sanction(self) -> bool: ...
    @property
    def agreed_at(self) -> object: ...
    @property
    def consented_at(self) -> object: ...
    @property
    def granted_at(self) -> object: ...


def remaining_approvals(decision: ApprovalRecord) -> tuple[ApprovalKind, ...]:
    """The approvals still awaited, in order, from what was fixed at submission."""
    needed: list[ApprovalKind] = []
    if decision.needs_agreement and decision.agreed_at is None:
        needed.append(ApprovalKind.PROSECUTOR_AGREEMENT)
    if decision.needs_consent and decision.consented_at is None:
        needed.append(ApprovalKind.SPECIAL_SUBJECT_CONSENT)
    if decision.needs_sanction and decision.granted_at is None:
        needed.append(ApprovalKind.JUDICIAL_SANCTION)
    return tuple(needed)


# Every transition is written in one statement: its event, the case's last act and, as the transition
# requires, the decision's own row (its workflow fields, or the whole decision with its first revision
# when drafted), the closing of the clocks of the step that was awaited and the opening of the next
# one's. All its parts see the rows as they were before it, so the clock it opens is not among those
# it closes. A submission also looks for a rival still awaiting approvals (`_no_pending_rival`).
RECORD_EVENT = """
    WITH {parts}acted AS (UPDATE register_case SET last_act_at = %(at)s WHERE id = %(case_id)s),
         recorded AS (
            INSERT INTO decisions_decisionevent
                (decision_id, case_id, code, actor_id, actor_role, actor_organisation_id, at, from_state,
                 to_state, revision, reason, data)
            VALUES ({decision_id}, %(case_id)s, %(code)s, %(actor_id)s, %(actor_role)s, %(organisation_id)s,
                    %(at)s, %(from_state)s, %(to_state)s, %(revision)s, %(reason)s, %(data)s::jsonb)
            RETURNING decision_id)
    SELECT (SELECT decision_id FROM recorded), {rival}
"""
CLOSE_STEP_CLOCKS = """closed AS (
            UPDATE decisions_deadline
            SET status = CASE WHEN NOT %(close_met)s THEN %(cleared)s WHEN due_at < %(at)s THEN %(late)s
                              ELSE %(on_time)s END,
                closed_at = %(at)s
            WHERE decision_id = %(decision_id)s AND status = %(open)s AND clock = ANY(%(step_clocks)s)),
         """
PENDING_RIVAL = """rival AS (
            SELECT id, state FROM decisions_decision
            WHERE case_id = %(case_id)s AND kind = %(kind)s AND state = ANY(%(pending)s) AND id <> %(decision_id)s
                  {same_subject}
            ORDER BY submitted_at, id
            LIMIT 1),
         """


class Closing(enum.Enum):
    """What becomes of the clocks of the step a transition ends: met (or late) when acted on, or cleared."""

    ACTED = "acted"
    CLEARED = "cleared"


@functools.cache
def _workflow_fields() -> tuple[Field[Any, Any], ...]:
    return tuple(field for field in Decision._meta.concrete_fields if field.name in WORKFLOW_FIELDS)


# Where `_lock` leaves, on the decision it read, its workflow fields as they were in the locked row.
_AS_LOCKED = "_workflow_fields_as_locked"


def _remember_as_locked(decision: Decision) -> None:
    """Note the decision's workflow fields as its row holds them now (read under lock, or just written)."""
    decision.__dict__[_AS_LOCKED] = tuple(getattr(decision, field.attname) for field in _workflow_fields())


def _changed_fields(decision: Decision) -> tuple[Field[Any, Any], ...]:
    """The workflow fields this transition changed since the row was read under lock: all of them for a
    decision that `_lock` did not read. A value that can be edited in place (the content, a JSON
    object) is always written: the value noted under lock may be the very object edited since."""
    as_locked = decision.__dict__.get(_AS_LOCKED)
    if as_locked is None:
        return _workflow_fields()
    return tuple(
        field
        for field, before in zip(_workflow_fields(), as_locked, strict=True)
        if isinstance(before, dict | list) or getattr(decision, field.attname) != before
    )


@functools.cache
def _update_part(columns: tuple[str, ...]) -> str:
    """The decision's row updated: `columns` (workflow fields' columns) from their `set_` parameters."""
    assignments = ", ".join(f'"{column}" = %(set_{column})s' for column in columns)
    return f"changed AS (UPDATE decisions_decision SET {assignments} WHERE id = %(decision_id)s),\n         "  # noqa: S608


@functools.cache
def _transition_statement(*, update: tuple[str, ...], close: bool, open_columns: str, rival: str, riders: str) -> str:
    """RECORD_EVENT for a decision that exists, with the parts a transition asks for (cached per shape):
    `update` names the columns of the decision's row that it writes (none: the row is left alone)."""
    parts = riders
    if rival:
        parts += PENDING_RIVAL.format(same_subject=rival)
    if update:
        parts += _update_part(update)
    if close:
        parts += CLOSE_STEP_CLOCKS
    if open_columns:
        parts += open_columns
    return RECORD_EVENT.format(
        parts=parts,
        decision_id="%(decision_id)s",
        rival="(SELECT id FROM rival), (SELECT state FROM rival)" if rival else "NULL, NULL",
    )


def _creation_statement(decision: Decision, revision: DecisionRevision) -> tuple[str, dict[str, Any]]:
    """RECORD_EVENT for a decision drafted now: the decision and its first revision are inserted with it."""
    decision_columns, decision_values, params = rows.insert_parts(decision, prefix="decision")
    revision_columns, revision_values, revision_params = rows.insert_parts(
        revision, prefix="revision", columns_sql={"decision_id": "(SELECT id FROM created)"}
    )
    params.update(revision_params)
    # Column lists from the models' metadata; every value is a bound parameter.
    parts = (
        f"created AS (INSERT INTO decisions_decision ({decision_columns}) VALUES ({decision_values}) RETURNING id),\n"  # noqa: S608
        f"         revised AS (INSERT INTO decisions_decisionrevision ({revision_columns}) "
        f"VALUES ({revision_values})),\n         "
    )
    return RECORD_EVENT.format(parts=parts, decision_id="(SELECT id FROM created)", rival="NULL, NULL"), params


def _step_clocks(decision: Decision, book: Rulebook) -> list[str]:
    """The clocks that run while a decision awaits a step (see `_enter`): its review, consent, sanction."""
    clocks = [book.decision_type(decision.kind).review_clock, book.special_subject_consent_clock, book.sanction_clock]
    return [clock for clock in clocks if clock]


def _record(
    decision: Decision,
    code: str,
    *,
    actor: User,
    grant: Grant,
    at: dt.datetime,
    from_state: State | None,
    to_state: State,
    reason: str = "",
    revision: int | None = None,
    save: bool = True,
    first_revision: DecisionRevision | None = None,
    closing: Closing | None = None,
    entered: Entered | None = None,
    rival_of: DecisionType | None = None,
    **data: Any,
) -> None:
    """Write the transition in one statement (RECORD_EVENT): the decision's event; the case marked as
    acted on (which queues the monitor's evaluation of the case: see monitoring's migration 0003); with
    `save`, the decision's workflow fields the transition changed, or the whole decision with its
    `first_revision` when it is drafted (then `decision.pk` is set from the row inserted); the clocks of
    the step it ends closed as `closing` says; what `_enter` left to it (`entered`): the clock of the
    step it opens and the effects' writes that ride with it. `from_state` is None only for creation.

    With `rival_of` (a submission), a rival still awaiting approvals is a 409, and the transaction
    rolls back with everything the statement wrote.

    `revision` is the revision the act concerns (a return concerns the one reviewed, not the one it opens).
    """
    params: dict[str, Any] = {
        "decision_id": decision.pk,
        "case_id": decision.case_id,
        "code": code,
        "actor_id": actor.pk,
        "actor_role": grant.role.value,
        "organisation_id": grant.organisation_id,
        "at": at,
        "from_state": from_state.value if from_state else "",
        "to_state": to_state.value,
        "revision": decision.revision if revision is None else revision,
        "reason": reason,
        "data": json.dumps(data),
    }
    if first_revision is not None:
        statement, row_params = _creation_statement(decision, first_revision)
        params.update(row_params)
    else:
        open_part = ""
        opening = entered.opening if entered is not None else None
        if opening is not None:
            columns, values, opening_params = rows.insert_parts(
                opening, prefix="opening", columns_sql={"decision_id": "%(decision_id)s"}
            )
            open_part = f"opened AS (INSERT INTO decisions_deadline ({columns}) VALUES ({values})),\n         "  # noqa: S608
            params.update(opening_params)
        rival = ""
        if rival_of is not None and rival_of.one_pending_at_a_time:
            rival = "AND true" if rival_of.pending_per_case else "AND subject_id = %(subject_id)s"
            params.update(
                kind=decision.kind, pending=[state.value for state in PENDING], subject_id=decision.subject_id
            )
        if closing is not None:
            params.update(
                close_met=closing is Closing.ACTED,
                step_clocks=_step_clocks(decision, rulebook(decision.rulebook_version)),
                open=DeadlineStatus.OPEN.value,
                cleared=DeadlineStatus.CLEARED.value,
                late=DeadlineStatus.LATE.value,
                on_time=DeadlineStatus.MET.value,
            )
        riders = entered.riders if entered is not None else ()
        ctes = rows.rider_ctes(riders, params)
        changed = _changed_fields(decision) if save else ()
        for field in changed:
            params[f"set_{field.column}"] = field.get_db_prep_save(getattr(decision, field.attname), connection)
        statement = _transition_statement(
            update=tuple(str(field.column) for field in changed),
            close=closing is not None,
            open_columns=open_part,
            rival=rival,
            riders="".join(f"{cte},\n         " for cte in ctes),
        )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        written = cursor.fetchone()
    if written is None:  # a SELECT without FROM returns its one row
        raise RuntimeError(f"decision {decision.pk}: the transition's statement returned no row")
    recorded, rival_id, rival_state = written
    if rival_id is not None:
        _rival_conflict(decision, rival_id, rival_state, per_case=rival_of is not None and rival_of.pending_per_case)
    if first_revision is not None:
        decision.pk = first_revision.decision_id = recorded
        decision._state.adding = first_revision._state.adding = False
    if save or first_revision is not None:
        _remember_as_locked(decision)  # the row now holds what the instance does


@dataclass(frozen=True)
class Entered:
    """What entering a state leaves to the transition's statement: the clock of the step now awaited,
    and the writes of the effects that ride with it (`effects._RIDING`)."""

    opening: Deadline | None = None
    riders: tuple[rows.Rider, ...] = ()


def _enter(decision: Decision, target: State, book: Rulebook, at: dt.datetime) -> Entered:
    """Set the state, apply effects if in force, and return what the `_record` that follows writes in
    the statement of its event: the clock of the step now awaited and the effects' riders.
    """
    decision.state = target
    decision.due_at = None
    decision_type = book.decision_type(decision.kind)
    clock: str | None = None
    if target is State.SUBMITTED:
        clock = decision_type.review_clock
    elif target is State.AWAITING_CONSENT:
        clock = book.special_subject_consent_clock
    elif target is State.PETITIONED:
        clock = book.sanction_clock
    opening = None
    if clock is not None:
        opening = step_deadline(case=decision.case, clock=clock, start=at, rulebook=book, decision=decision)
        decision.due_at = opening.due_at
    if target is State.AGREED and decision.subject is not None:
        # Awaiting the petition: the person's own clock (detention, custody) is what runs.
        person_clock = (
            Deadline.objects.filter(
                participant=decision.subject,
                status=DeadlineStatus.OPEN,
                clock__in=["detention", "custody_extension_petition"],
            )
            .order_by("due_at")
            .first()
        )
        decision.due_at = person_clock.due_at if person_clock else None
    riders: list[rows.Rider] = []
    if target is State.IN_FORCE:
        decision.in_force_at = at
        riders = apply_effects(decision, decision.case, book, at=at)
    decision.updated_at = at  # written with the transition's event (`_record`)
    return Entered(opening=opening, riders=tuple(riders))


def _reason(reason: str, *, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid({field: "a reason is required"})
    if len(text) > MAX_REASON:
        raise Invalid({field: f"at most {MAX_REASON} characters"})
    return text


@functools.cache
def _case_participant() -> str:
    columns = rows.select_list(Participant, "p")
    return f"SELECT {columns} FROM register_participant p WHERE p.id = %s AND p.case_id = %s"  # noqa: S608


def _subject_for(case: Case, decision_type: DecisionType, subject_id: int | None) -> Participant | None:
    subject = None
    if subject_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(_case_participant(), [subject_id, case.pk])
            row = cursor.fetchone()
        subject = rows.instance(Participant, row) if row is not None else None
    return _checked_subject(decision_type, subject_id, subject)


def _checked_subject(
    decision_type: DecisionType, subject_id: int | None, subject: Participant | None
) -> Participant | None:
    """The participant `subject_id` names (`subject`, as found in the decision's case), if the type
    concerns one."""
    if decision_type.subject is SubjectRule.NONE:
        if subject_id is not None:
            raise Invalid({"subject_id": f"{decision_type.code} concerns the case, not a person"})
        return None
    if subject_id is None:
        raise Invalid({"subject_id": f"{decision_type.code} concerns a participant; name them"})
    if subject is None:
        raise Invalid({"subject_id": "no such participant in this case"})
    if decision_type.subject_roles and subject.role not in decision_type.subject_roles:
        allowed = ", ".join(sorted(decision_type.subject_roles))
        raise Invalid({"subject_id": f"{decision_type.code} concerns a participant who is {allowed}"})
    return subject


def _check_co_accused(decision_type: DecisionType, subject: Participant | None, others: list[Participant]) -> None:
    field = f"content.{CO_ACCUSED_FIELD}"
    for other in others:
        if subject is not None and other.pk == subject.pk:
            raise Invalid({field: f"{other.full_name()} is the person concerned; name the others here"})
        if decision_type.subject_roles and other.role not in decision_type.subject_roles:
            allowed = ", ".join(sorted(decision_type.subject_roles))
            raise Invalid({field: f"{other.full_name()} is {other.role}; name only a participant who is {allowed}"})


def _validate_stated_date(stated_date: dt.date, book: Rulebook, case: Case) -> None:
    """A decision is made within its case: not before the case was registered, not in the future."""
    today = timezone.now().astimezone(book.calendar.tz).date()
    if stated_date > today:
        raise Invalid({"stated_date": "a decision cannot be dated in the future"})
    registered = case.registered_at.astimezone(book.calendar.tz).date()
    if stated_date < registered:
        raise Invalid({"stated_date": f"a decision cannot be dated before its case was registered ({registered})"})


def _rival_conflict(decision: Decision, rival_id: int, rival_state: str, *, per_case: bool) -> NoReturn:
    """One decision of a kind per person (or per case) awaits its approvals at a time.

    The rival is looked for by the submission's own statement (`_record` with `rival_of`), after the
    decision's case row was locked (`_lock`), so two rivals submitted at once are seen one after the
    other; raising here rolls back what that statement wrote.
    """
    per_person = decision.subject is not None and not per_case
    about = decision.subject.full_name() if decision.subject is not None and per_person else decision.case.erdr_number
    raise Conflict(
        gettext(
            "Decision No. %(number)s of this kind about %(about)s already awaits its approvals (%(state)s); "
            "it must be decided or withdrawn first."
        )
        % {"number": rival_id, "about": about, "state": STATE_NAMES.get(State(rival_state), rival_state)},
        field="subject_id" if per_person else None,
    )


# --- the verbs --------------------------------------------------------------------------------------


def draft_decision(
    case_id: int,
    *,
    actor: User,
    kind: str,
    content: Mapping[str, object],
    subject_id: int | None = None,
    stated_date: dt.date | None = None,
) -> Decision:
    now = timezone.now()
    book = rulebook_in_force(now)
    try:
        decision_type = book.decision_type(kind)
    except UnknownDecisionType:
        raise Invalid({"kind": f"unknown decision type {kind!r} in rulebook {book.version}"}) from None
    cleaned, errors = clean_content(decision_type, content, complete=False)
    if errors:
        raise Invalid(errors)
    stated = stated_date or now.astimezone(book.calendar.tz).date()
    with service_block():
        jurisdiction = jurisdiction_of(actor)
        case, named = access_case_and_participant(actor, case_id, subject_id, jurisdiction=jurisdiction)
        grant = drafting_grant(jurisdiction, case, decision_type)
        if grant is None:
            raise Forbidden(
                gettext("You may not draft “%(title)s” in this case.")
                % {"title": decision_type.title.get(reader_language())}
            )
        if case.status not in decision_type.case_statuses:
            raise Conflict(
                gettext("%(title)s can no longer be drafted: case %(erdr_number)s — %(status)s.")
                % {
                    "title": decision_type.title.get(reader_language()),
                    "erdr_number": case.erdr_number,
                    "status": effects.status_text(case),
                }
            )
        _validate_stated_date(stated, book, case)
        subject = _checked_subject(decision_type, subject_id, named)
        _check_co_accused(decision_type, subject, co_accused(case.pk, decision_type, cleaned))
        decision = Decision(
            case=case,
            kind=kind,
            rulebook_version=book.version,
            subject=subject,
            content=cleaned,
            stated_date=stated,
            drafted_by=actor,
            drafted_by_role=grant.role.value,
            drafted_at=now,
            updated_at=now,
        )
        first_revision = DecisionRevision(
            number=1, content=cleaned, stated_date=stated, created_by=actor, created_at=now, updated_at=now
        )
        _record(
            decision,
            "decision.drafted",
            actor=actor,
            grant=grant,
            at=now,
            from_state=None,
            to_state=State.DRAFT,
            first_revision=first_revision,
            kind=kind,
            rulebook_version=book.version,
        )
    return decision


@service_transaction
def edit_decision(
    decision_id: int,
    *,
    actor: User,
    content: Mapping[str, object],
    subject_id: int | None = None,
    stated_date: dt.date | None = None,
) -> Decision:
    decision, jurisdiction = _lock(actor, decision_id)
    book = rulebook_in_force(timezone.now())
    grant = _drafter_grant(actor, decision, book, jurisdiction)
    current, _ = _advance(decision, Action.EDIT, ())
    try:
        decision_type = book.decision_type(decision.kind)
    except UnknownDecisionType:
        raise Conflict(
            gettext("This kind of decision no longer exists in rulebook %(version)s; withdraw it.")
            % {"version": book.version}
        ) from None
    cleaned, errors = clean_content(decision_type, content, complete=False)
    if errors:
        raise Invalid(errors)
    if stated_date is not None:
        _validate_stated_date(stated_date, book, decision.case)
    subject = _subject_for(decision.case, decision_type, subject_id if subject_id is not None else decision.subject_id)
    _check_co_accused(decision_type, subject, co_accused(decision.case_id, decision_type, cleaned))
    now = timezone.now()
    changed = sorted(
        name for name in set(cleaned) | set(decision.content) if cleaned.get(name) != decision.content.get(name)
    )
    if (subject.pk if subject else None) != decision.subject_id:
        changed.append("subject")  # the monitor dates "acted on a person" from when this subject was set
    decision.content = cleaned
    decision.subject = subject
    decision.stated_date = stated_date or decision.stated_date
    decision.rulebook_version = book.version
    decision.updated_at = now
    decision.save()
    DecisionRevision.objects.filter(decision=decision, number=decision.revision).update(
        content=cleaned, stated_date=decision.stated_date, updated_at=now
    )
    _record(
        decision,
        "decision.edited",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=current,
        save=False,
        changed=changed,
    )
    return decision


@service_transaction
def submit_decision(decision_id: int, *, actor: User) -> Decision:
    """Send the draft to the prosecutor; from here it is judged by the rulebook now in force."""
    decision, jurisdiction = _lock(actor, decision_id)
    now = timezone.now()
    book = rulebook_in_force(now)
    grant = _drafter_grant(actor, decision, book, jurisdiction)
    try:
        decision_type = book.decision_type(decision.kind)
    except UnknownDecisionType:
        raise Conflict(
            gettext("This kind of decision no longer exists in rulebook %(version)s; withdraw it.")
            % {"version": book.version}
        ) from None
    if State(decision.state) not in (State.DRAFT, State.RETURNED):
        raise Conflict(_conflict_message(decision, Action.SUBMIT))
    cleaned, errors = clean_content(decision_type, decision.content, complete=True)
    if errors:
        raise Invalid(errors)
    if decision_type.subject is SubjectRule.REQUIRED and decision.subject is None:
        raise Invalid({"subject_id": f"{decision_type.code} concerns a participant; name them"})
    if "detained_at" in cleaned and dt.datetime.fromisoformat(str(cleaned["detained_at"])) > now:
        raise Invalid({"content.detained_at": "cannot be in the future"})
    decision.content = cleaned
    decision.rulebook_version = book.version
    others = co_accused(decision.case_id, decision_type, cleaned)
    _check_co_accused(decision_type, decision.subject, others)
    check_preconditions(decision, decision.case, book)
    subject = decision.subject
    needed = decision_type.required_approvals(
        # the consent is needed where any person the decision concerns is a special subject
        subject_is_special=any(person.is_special_subject for person in [subject, *others] if person is not None),
        drafted_by_investigative_body=Role(decision.drafted_by_role) in INVESTIGATIVE_ROLES,
    )
    decision.needs_agreement = ApprovalKind.PROSECUTOR_AGREEMENT in needed
    decision.needs_consent = ApprovalKind.SPECIAL_SUBJECT_CONSENT in needed
    decision.needs_sanction = ApprovalKind.JUDICIAL_SANCTION in needed
    level = decision_type.level_required(cleaned)
    decision.level_required = level.value if level is not None else ""
    decision.submitted_at = now
    current, target = _advance(decision, Action.SUBMIT, needed)
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.submitted",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        entered=entered,
        rival_of=decision_type,
        rulebook_version=book.version,
        required_approvals=[kind.value for kind in needed],
    )
    return decision


@service_transaction
def withdraw_decision(decision_id: int, *, actor: User, reason: str = "") -> Decision:
    decision, jurisdiction = _lock(actor, decision_id)
    grant = _drafter_grant(actor, decision, _book_for(decision), jurisdiction)
    current, target = _advance(decision, Action.WITHDRAW, ())
    now = timezone.now()
    entered = _enter(decision, target, _book_for(decision), now)
    _record(
        decision,
        "decision.withdrawn",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.CLEARED,
        entered=entered,
        reason=(reason or "").strip()[:MAX_REASON],
    )
    return decision


def _review_step(decision_id: int, actor: User, action: Action) -> tuple[Decision, Rulebook, Grant]:
    decision, jurisdiction = _lock(actor, decision_id)
    book = _book_for(decision)
    decision_type = book.decision_type(decision.kind)
    if action is Action.PETITION and not decision_type.needs_court:
        raise Conflict(
            gettext("%(title)s is not a petition to the investigating judge; it takes effect without the court.")
            % {"title": decision_type.title.get(reader_language())}
        )
    _advance(decision, action, remaining_approvals(decision))  # state first: a decided decision is a 409
    _not_own_draft(actor, decision)
    grant = prosecutor_grant(jurisdiction, decision.case, decision, book)
    return decision, book, grant


@service_transaction
def agree_decision(decision_id: int, *, actor: User, comment: str = "") -> Decision:
    decision, book, grant = _review_step(decision_id, actor, Action.AGREE)
    now = timezone.now()
    current, target = _advance(decision, Action.AGREE, remaining_approvals(decision))
    decision.agreed_by = actor
    decision.agreed_at = now
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.agreed",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=(comment or "").strip()[:MAX_REASON],
    )
    return decision


@service_transaction
def refuse_decision(decision_id: int, *, actor: User, reason: str) -> Decision:
    decision, book, grant = _review_step(decision_id, actor, Action.REFUSE)  # a decided decision is a 409 first
    text = _reason(reason)
    now = timezone.now()
    current, target = _advance(decision, Action.REFUSE, remaining_approvals(decision))
    decision.closed_reason = text
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.refused",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=text,
    )
    return decision


@service_transaction
def return_decision(decision_id: int, *, actor: User, reason: str) -> Decision:
    """Send back for rework: the reviewed revision is kept and a new one opens for editing."""
    decision, book, grant = _review_step(decision_id, actor, Action.RETURN)
    text = _reason(reason)
    if not book.decision_type(decision.kind).may_be_returned:
        raise Conflict(
            gettext("%(title)s cannot be returned for rework; agree or refuse it.")
            % {"title": book.decision_type(decision.kind).title.get(reader_language())}
        )
    now = timezone.now()
    current, target = _advance(decision, Action.RETURN, remaining_approvals(decision))
    decision.closed_reason = text
    reviewed_revision = decision.revision
    decision.revision = reviewed_revision + 1
    DecisionRevision.objects.create(
        decision=decision,
        number=decision.revision,
        content=decision.content,
        stated_date=decision.stated_date,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.returned",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=text,
        revision=reviewed_revision,
        reviewed_revision=reviewed_revision,
    )
    return decision


def _consent_step(decision_id: int, actor: User, action: Action) -> tuple[Decision, Rulebook, Grant]:
    decision, jurisdiction = _lock(actor, decision_id)
    _advance(decision, action, remaining_approvals(decision))
    _not_own_draft(actor, decision)
    return decision, _book_for(decision), _consent_grant(jurisdiction)


@service_transaction
def consent_decision(decision_id: int, *, actor: User, comment: str = "") -> Decision:
    """Consent of the General Prosecutor for a decision concerning a special subject (CPC art. 547)."""
    decision, book, grant = _consent_step(decision_id, actor, Action.CONSENT)
    now = timezone.now()
    current, target = _advance(decision, Action.CONSENT, remaining_approvals(decision))
    decision.consented_by = actor
    decision.consented_at = now
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.consented",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=(comment or "").strip()[:MAX_REASON],
    )
    return decision


@service_transaction
def refuse_consent(decision_id: int, *, actor: User, reason: str) -> Decision:
    decision, book, grant = _consent_step(decision_id, actor, Action.REFUSE_CONSENT)
    text = _reason(reason)
    now = timezone.now()
    current, target = _advance(decision, Action.REFUSE_CONSENT, remaining_approvals(decision))
    decision.closed_reason = text
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.consent_refused",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=text,
    )
    return decision


@service_transaction
def petition_court(decision_id: int, *, actor: User, court_id: int | None = None) -> Decision:
    """The prosecutor files the agreed petition with the investigating judge."""
    decision, book, grant = _review_step(decision_id, actor, Action.PETITION)
    case = decision.case
    if court_id is None:
        court = case.supervising_office.investigating_court
        if court is None:
            raise Invalid({"court_id": "the supervising office has no investigating court on file; name one"})
    else:
        found = Organisation.objects.filter(pk=court_id, kind=OrganisationKind.COURT).first()
        if found is None:
            raise Invalid({"court_id": "no such court"})
        if found.region_id != case.supervising_office.region_id:
            raise Invalid({"court_id": "petitions go to an investigating court of the case's region"})
        court = found
    now = timezone.now()
    current, target = _advance(decision, Action.PETITION, remaining_approvals(decision))
    decision.court = court
    decision.petitioned_by = actor
    decision.petitioned_at = now
    CourtReferral.objects.get_or_create(case=case, court=court, decision_id=decision.pk, defaults={"referred_at": now})
    if decision.kind == "custody_extension_petition" and decision.subject is not None:
        # Filed in time or late, the duty to file is discharged now (CPC art. 151).
        close_person_deadlines(decision.subject, ("custody_extension_petition",), at=now, met=True)
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "decision.petitioned",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        entered=entered,
        court=court.pk,
    )
    return decision


def _ruling_step(decision_id: int, actor: User, action: Action) -> tuple[Decision, Rulebook, Grant]:
    decision, jurisdiction = _lock(actor, decision_id)
    _advance(decision, action, remaining_approvals(decision))
    _not_own_draft(actor, decision)
    if decision.petitioned_by_id == actor.pk:
        raise Forbidden(gettext("A judge does not rule on a petition they filed."))
    return decision, _book_for(decision), _judge_grant(jurisdiction, decision)


@service_transaction
def grant_sanction(decision_id: int, *, actor: User, reason: str = "") -> Decision:
    decision, book, grant = _ruling_step(decision_id, actor, Action.GRANT)
    now = timezone.now()
    current, target = _advance(decision, Action.GRANT, remaining_approvals(decision))
    decision.ruled_by = actor
    decision.ruled_at = now
    decision.granted_at = now
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "sanction.granted",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=(reason or "").strip()[:MAX_REASON],
    )
    return decision


@service_transaction
def deny_sanction(decision_id: int, *, actor: User, reason: str) -> Decision:
    decision, book, grant = _ruling_step(decision_id, actor, Action.DENY)
    text = _reason(reason)
    now = timezone.now()
    current, target = _advance(decision, Action.DENY, remaining_approvals(decision))
    decision.ruled_by = actor
    decision.ruled_at = now
    decision.closed_reason = text
    entered = _enter(decision, target, book, now)
    _record(
        decision,
        "sanction.denied",
        actor=actor,
        grant=grant,
        at=now,
        from_state=current,
        to_state=target,
        closing=Closing.ACTED,
        entered=entered,
        reason=text,
    )
    return decision


@service_transaction
def announce_qualification(decision_id: int, *, actor: User) -> Decision:
    """The investigator records that the qualification was announced to the suspect (CPC art. 206)."""
    decision, jurisdiction = _lock(actor, decision_id)
    book = _book_for(decision)
    if Effect.QUALIFICATION_SET not in book.decision_type(decision.kind).effects or decision.state != State.IN_FORCE:
        raise Conflict(gettext("Only a qualification in force is announced."))
    if drafting_grant(jurisdiction, decision.case, book.decision_type(decision.kind)) is None:
        raise Forbidden(gettext("Only the case's investigator or the head of unit records the announcement."))
    now = timezone.now()
    closed = Deadline.objects.filter(
        decision=decision, clock="qualification_announcement", status=DeadlineStatus.OPEN
    ).update(status=acted_on(now), closed_at=now)
    if not closed:
        raise Conflict(gettext("The qualification was already announced."))
    record_case_event(decision.case, "qualification.announced", actor=actor, at=now, decision=decision.pk)
    return decision


@service_transaction
def release_person(case_id: int, *, actor: User, participant_id: int, reason: str) -> list[LegalEffect]:
    """Record a person's release from detention, house arrest or custody, with its ground.

    The case's investigator or head of unit releases; so does a prosecutor who supervises the case,
    who must free anyone held unlawfully (CPC art. 14). Every restraint of the person ends at once.
    """
    jurisdiction = jurisdiction_of(actor)
    case = access_case(actor, case_id, for_update=True, jurisdiction=jurisdiction)
    if not may_act_on_case(jurisdiction, case):
        raise Forbidden(
            gettext("Only the case's investigator, the head of unit or a supervising prosecutor releases a person.")
        )
    text = _reason(reason)  # after the authority check: the form asking for it is shown only to who may act
    participant = Participant.objects.filter(case=case, pk=participant_id).first()
    if participant is None:
        raise Invalid({"participant_id": "no such participant in this case"})
    now = timezone.now()
    ended = effects.release(participant, at=now)
    # A special subject's detention that awaits the consent holds the person without an effect in force:
    # the release ends that holding too (its event names the protocol), and a consent that comes later
    # finds it over (effects.holding_ended).
    pending = [decision.pk for decision, _, _ in effects.held_by_protocols(participant)]
    if not ended and not pending:
        raise Conflict(gettext("%(person)s is not held.") % {"person": participant.full_name()})
    record_case_event(
        case,
        effects.RELEASED,
        actor=actor,
        at=now,
        participant=participant.pk,
        ended=[effect.kind for effect in ended],
        awaiting_consent=pending,
        reason=text,
    )
    return ended


@service_transaction
def resume_terms(case_id: int, *, actor: User, reason: str) -> Case:
    """Resume a case's interrupted terms, naming the ground that has fallen away (CPC art. 45 p. 7).

    The case's investigator or head of unit resumes them; so does a prosecutor who supervises the
    case, cancelling the interruption. The term runs on with the time it had left when interrupted.
    """
    jurisdiction = jurisdiction_of(actor)
    case = access_case(actor, case_id, for_update=True, jurisdiction=jurisdiction)
    if not may_act_on_case(jurisdiction, case):
        raise Forbidden(
            gettext("Only the case's investigator, the head of unit or a supervising prosecutor resumes its terms.")
        )
    if case.status != CaseStatus.INTERRUPTED:
        raise Conflict(
            gettext("The terms of case %(erdr_number)s are not interrupted; it is %(status)s.")
            % {"erdr_number": case.erdr_number, "status": CaseStatus(case.status).label}
        )
    text = _reason(reason)  # after the checks: a reason is asked only of who may resume, when they may
    now = timezone.now()
    interruption = effects.resume(case, rulebook(case.rulebook_version), at=now)
    record_case_event(
        case,
        "case.terms_resumed",
        actor=actor,
        at=now,
        reason=text,
        interruption=interruption.decision_id,
        remaining_seconds=interruption.data.get("remaining_seconds"),
        term_ends_at=case.term_ends_at.isoformat() if case.term_ends_at else None,
    )
    return case
