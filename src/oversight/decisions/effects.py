"""The legal effects of a decision, applied only at the moment every required approval is in.

Called from the workflow service alone, inside its transaction: there is no other way for a person
to become a suspect, for custody to be in force or for a case's terms to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext, ngettext

from oversight import law
from oversight.decisions.deadlines import (
    close_case_deadlines,
    close_person_deadlines,
    open_deadline,
)
from oversight.decisions.models import Decision, LegalEffect
from oversight.kit import rows
from oversight.kit.errors import Conflict, Invalid
from oversight.law import Effect, Rulebook, deadline_for
from oversight.law.rulebook import CO_ACCUSED_FIELD, DecisionType, FieldKind
from oversight.register.models import Case, CaseEvent, CaseStatus, Participant, ParticipantRole

MEASURES = (
    Effect.CUSTODY_IN_FORCE,
    Effect.HOUSE_ARREST_IN_FORCE,
    Effect.PERSON_DETAINED,
    Effect.BAIL_SET,
)


def running_effect(participant: Participant, kind: Effect) -> LegalEffect | None:
    return (
        LegalEffect.objects.filter(participant=participant, kind=kind, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def co_accused(case_id: int, decision_type: DecisionType, content: Mapping[str, object]) -> list[Participant]:
    """The other accused a decision names (its `co_accused` field, the indictment's), as found in its
    case, in the order named; Invalid naming the field if one is not there."""
    spec = decision_type.field_spec(CO_ACCUSED_FIELD)
    value = content.get(CO_ACCUSED_FIELD)
    if spec is None or spec.kind is not FieldKind.PARTICIPANTS or not isinstance(value, list):
        return []
    ids = [pk for pk in value if isinstance(pk, int)]  # as cleaned by clean_content
    found = {p.pk: p for p in Participant.objects.filter(case_id=case_id, pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise Invalid({f"content.{CO_ACCUSED_FIELD}": f"no such participant in this case: {missing[0]}"})
    return [found[pk] for pk in ids]


def status_text(case: Case) -> str:
    """The case's status as a sentence reads it, in the reader's language."""
    return str(CaseStatus(case.status).label).lower()


def role_text(participant: Participant) -> str:
    """The person's procedural role as a sentence reads it, in the reader's language."""
    return str(ParticipantRole(participant.role).label).lower()


def not_in_custody(participant: Participant) -> str:
    return gettext("%(person)s is not in custody.") % {"person": participant.full_name()}


def check_preconditions(decision: Decision, case: Case, rulebook: Rulebook) -> None:
    """Raise Conflict where the case or person no longer allows the decision's effects."""
    decision_type = rulebook.decision_type(decision.kind)
    if case.status not in decision_type.case_statuses:
        raise Conflict(
            gettext("This decision can no longer take effect: case %(erdr_number)s — %(status)s.")
            % {"erdr_number": case.erdr_number, "status": status_text(case)}
        )
    effects = set(decision_type.effects)
    if effects & {Effect.TERMS_INTERRUPTED, Effect.TERMS_EXTENDED} and case.status != CaseStatus.UNDER_INVESTIGATION:
        raise Conflict(
            gettext("The terms of case %(erdr_number)s do not run now (%(status)s).")
            % {"erdr_number": case.erdr_number, "status": status_text(case)}
        )
    if Effect.TERMS_EXTENDED in effects:
        total = decision.content.get("total_months")
        current = current_term_months(case, rulebook)
        if isinstance(total, int) and current is not None and total <= current:
            raise Conflict(
                ngettext(
                    "The term already runs for %(months)d month; an extension must exceed it.",
                    "The term already runs for %(months)d months; an extension must exceed it.",
                    current,
                )
                % {"months": current},
                field="content.total_months",
            )
    subject = decision.subject
    if subject is None:
        return
    if decision_type.subject_roles and subject.role not in decision_type.subject_roles:
        raise Conflict(
            gettext("%(person)s is now %(role)s; this decision no longer applies.")
            % {"person": subject.full_name(), "role": role_text(subject)},
            field="subject_id",
        )
    for other in co_accused(case.pk, decision_type, decision.content):
        if decision_type.subject_roles and other.role not in decision_type.subject_roles:
            raise Conflict(
                gettext("%(person)s is now %(role)s; this decision no longer applies to them.")
                % {"person": other.full_name(), "role": role_text(other)},
                field=f"content.{CO_ACCUSED_FIELD}",
            )
    if Effect.CUSTODY_EXTENDED in effects:
        custody = running_effect(subject, Effect.CUSTODY_IN_FORCE)
        if custody is None:
            raise Conflict(not_in_custody(subject), field="subject_id")
        total = decision.content.get("total_months")
        current_total = int(custody.data.get("total_months", 0))
        if isinstance(total, int) and total <= current_total:
            raise Conflict(
                ngettext(
                    "Custody already runs for %(months)d month.",
                    "Custody already runs for %(months)d months.",
                    current_total,
                )
                % {"months": current_total},
                field="content.total_months",
            )
        if isinstance(total, int) and total > rulebook.custody_ceiling_months:
            raise Conflict(
                ngettext(
                    "Custody cannot exceed %(months)d month.",
                    "Custody cannot exceed %(months)d months.",
                    rulebook.custody_ceiling_months,
                )
                % {"months": rulebook.custody_ceiling_months},
                field="content.total_months",
            )


def current_term_months(case: Case, rulebook: Rulebook) -> int | None:
    if case.term_total_months is not None:
        return case.term_total_months
    term = rulebook.term(rulebook.investigation_terms[case.form])
    return term.amount if term.unit.value == "months" else None


def apply_effects(decision: Decision, case: Case, rulebook: Rulebook, *, at: dt.datetime) -> list[rows.Rider]:
    """Apply the decision's effects. Most are written at once; those in `_RIDING` leave their writes to
    the transition's own statement, and these writes (riders) are returned for it to carry."""
    check_preconditions(decision, case, rulebook)
    decision_type = rulebook.decision_type(decision.kind)
    riders: list[rows.Rider] = []
    for effect in decision_type.effects:
        if effect in _RIDING:
            riders.extend(_RIDING[effect](decision, case, at))
        else:
            _APPLY[effect](decision, case, rulebook, at)
    return riders


def _effect(
    decision: Decision,
    case: Case,
    kind: Effect,
    at: dt.datetime,
    *,
    ends_at: dt.datetime | None = None,
    started_at: dt.datetime | None = None,
    replaced: list[str] | None = None,
    participant: Participant | None = None,
    ended_at: dt.datetime | None = None,
    **data: object,
) -> LegalEffect:
    if replaced:  # the preventive measures this one replaced (`_replace_measures`)
        data["replaced"] = replaced
    return LegalEffect(
        case=case,
        decision=decision,
        kind=kind.value,
        participant=participant or decision.subject,
        started_at=started_at or at,
        ends_at=ends_at,
        ended_at=ended_at,
        data=data,
    )


def _record(
    decision: Decision,
    case: Case,
    kind: Effect,
    at: dt.datetime,
    *,
    ends_at: dt.datetime | None = None,
    started_at: dt.datetime | None = None,
    replaced: list[str] | None = None,
    participant: Participant | None = None,
    ended_at: dt.datetime | None = None,
    **data: object,
) -> LegalEffect:
    effect = _effect(
        decision,
        case,
        kind,
        at,
        ends_at=ends_at,
        started_at=started_at,
        replaced=replaced,
        participant=participant,
        ended_at=ended_at,
        **data,
    )
    rows.insert(effect)  # on the last approval of every decision: a statement written once
    return effect


def _subject(decision: Decision) -> Participant:
    if decision.subject is None:
        raise Conflict(gettext("The decision names no participant."), field="subject_id")
    return decision.subject


def _becomes_suspect(decision: Decision, case: Case, at: dt.datetime) -> list[rows.Rider]:
    """The person becomes a suspect: their row (locked with the decision) and the effect's row are
    written by the agreement's own statement. Nothing else in the transition reads either."""
    subject = _subject(decision)
    previous = subject.role
    subject.role = ParticipantRole.SUSPECT
    subject.suspect_since = at
    effect = _effect(
        decision,
        case,
        Effect.PERSON_BECOMES_SUSPECT,
        at,
        previous_role=previous,
        articles=decision.content.get("articles", []),
    )
    return [
        rows.update_rider(subject, ["role", "suspect_since"], prefix="suspect"),
        rows.insert_rider(effect, prefix="effect"),
    ]


def _qualification(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    subject = _subject(decision)
    subject.qualification = list(decision.content.get("articles", []))
    subject.save(update_fields=["qualification"])
    # Announced to the suspect within 24 h (CPC art. 206): the clock starts when it takes effect.
    open_deadline(
        case=case,
        clock="qualification_announcement",
        start=at,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
    )
    return _record(decision, case, Effect.QUALIFICATION_SET, at, articles=subject.qualification)


def _interrupted(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    remaining = (case.term_ends_at - at).total_seconds() if case.term_ends_at else None
    case.status = CaseStatus.INTERRUPTED
    case.interrupted_at = at
    case.term_ends_at = None
    case.save(update_fields=["status", "interrupted_at", "term_ends_at", "updated_at"])
    return _record(
        decision,
        case,
        Effect.TERMS_INTERRUPTED,
        at,
        ground=decision.content.get("ground"),
        remaining_seconds=remaining,
    )


def interruptions(case: Case) -> list[tuple[dt.datetime, dt.datetime]]:
    """When the case's terms stood still: every interruption that has since been resumed."""
    return [
        (started, ended)
        for started, ended in LegalEffect.objects.filter(
            case=case, kind=Effect.TERMS_INTERRUPTED.value, ended_at__isnull=False
        ).values_list("started_at", "ended_at")
        if ended is not None  # always, by the filter; the check is for the type
    ]


def term_clock(case: Case, rulebook: Rulebook) -> str:
    """The clock the case's term of investigation runs by: its form's, or the extended term's."""
    form = "pre_trial_investigation" if case.term_total_months is not None else case.form
    return rulebook.investigation_terms[form]


def term_end(case: Case, rulebook: Rulebook, *, resuming: law.Interruption | None = None) -> dt.datetime:
    """The end of the case's running term: its length from its start, moved on by every day it stood
    still, then off a non-working day once (`law.deadline_for`). `resuming` is the interruption in
    force, counted as ended at the moment it gives."""
    return deadline_for(
        term_clock(case, rulebook),
        case.term_started_at,
        rulebook=rulebook,
        amount=case.term_total_months,
        interruptions=[*interruptions(case), *([resuming] if resuming else [])],
    )


@dataclass(frozen=True)
class Projection:
    """What a pending extension would change: the end it has now and the end it would have."""

    now: dt.datetime | None
    then: dt.datetime


def projected_end(decision: Decision, case: Case, rulebook: Rulebook) -> Projection | None:
    """The end an extension of the term or of custody would give, computed as its effect will be
    (`_extended`, `_custody_extended`), for the reviewer to see what they agree to; None where the
    decision extends nothing, nothing it could extend is running, or its effect would be refused."""
    effects = set(rulebook.decision_type(decision.kind).effects)
    total = decision.content.get("total_months")
    if not isinstance(total, int) or total <= 0 or not effects & {Effect.TERMS_EXTENDED, Effect.CUSTODY_EXTENDED}:
        return None
    try:
        check_preconditions(decision, case, rulebook)
    except Conflict:
        return None  # its effect would be refused as things stand: it would extend nothing
    if Effect.TERMS_EXTENDED in effects and case.status == CaseStatus.UNDER_INVESTIGATION:
        then = deadline_for(
            rulebook.investigation_terms["pre_trial_investigation"],  # an extended term runs as one
            case.term_started_at,
            rulebook=rulebook,
            amount=total,
            interruptions=interruptions(case),
        )
        return Projection(now=case.term_ends_at, then=then)
    if Effect.CUSTODY_EXTENDED in effects and decision.subject is not None:
        custody = running_effect(decision.subject, Effect.CUSTODY_IN_FORCE)
        if custody is None:
            return None
        then = deadline_for("custody", custody.started_at, rulebook=rulebook, amount=total)
        return Projection(now=custody.ends_at, then=then)
    return None


def _extended(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    """The term now runs `total_months` from its start, its end moved on by the days it stood still."""
    total = int(decision.content["total_months"])
    previous = case.term_ends_at
    case.term_total_months = total
    case.term_ends_at = term_end(case, rulebook)
    case.save(update_fields=["term_total_months", "term_ends_at", "updated_at"])
    return _record(
        decision,
        case,
        Effect.TERMS_EXTENDED,
        at,
        ends_at=case.term_ends_at,
        total_months=total,
        previous_end=previous.isoformat() if previous else None,
    )


def _terminated(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    decision_type = rulebook.decision_type(decision.kind)
    ground_code = str(decision.content["ground"])
    spec = decision_type.field_spec("ground")
    choice = spec.choice(ground_code) if spec else None
    rehabilitating = bool(choice.data.get("rehabilitating")) if choice else False
    previous_end = case.term_ends_at  # kept, so a term that ran out before the termination stays visible
    _end_interruption(case, at)
    case.status = CaseStatus.TERMINATED
    case.terminated_at = at
    case.termination_rehabilitating = rehabilitating
    case.term_ends_at = None
    case.save(
        update_fields=[
            "status",
            "terminated_at",
            "termination_rehabilitating",
            "term_ends_at",
            "interrupted_at",
            "updated_at",
        ]
    )
    _end_measures(case, at)
    close_case_deadlines(case, at=at)
    return _record(
        decision,
        case,
        Effect.CASE_TERMINATED,
        at,
        ground=ground_code,
        rehabilitating=rehabilitating,
        previous_end=previous_end.isoformat() if previous_end else None,
    )


def _end_interruption(case: Case, at: dt.datetime) -> None:
    """The investigation is over (terminated, completed, or the case sent to court): interrupted terms
    end with it. The caller saves the case with `interrupted_at`, which no longer describes it (the
    interruption's effect keeps when it began and ended)."""
    LegalEffect.objects.filter(case=case, kind=Effect.TERMS_INTERRUPTED.value, ended_at__isnull=True).update(
        ended_at=at
    )
    case.interrupted_at = None


def _completed(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    _end_interruption(case, at)
    previous_end = case.term_ends_at
    case.status = CaseStatus.COMPLETED
    case.completed_at = at
    case.term_ends_at = None
    case.save(update_fields=["status", "completed_at", "term_ends_at", "interrupted_at", "updated_at"])
    return _record(
        decision,
        case,
        Effect.INVESTIGATION_COMPLETED,
        at,
        previous_end=previous_end.isoformat() if previous_end else None,
    )


def _accused(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    """The person concerned, and every other accused the decision names, become accused: one effect each.
    The person concerned's is returned."""
    others = co_accused(case.pk, rulebook.decision_type(decision.kind), decision.content)
    effects = [_becomes_accused(decision, case, person, at) for person in [_subject(decision), *others]]
    return effects[0]


def _becomes_accused(decision: Decision, case: Case, person: Participant, at: dt.datetime) -> LegalEffect:
    person.role = ParticipantRole.ACCUSED
    person.accused_since = at
    person.save(update_fields=["role", "accused_since"])
    return _record(
        decision,
        case,
        Effect.PERSON_BECOMES_ACCUSED,
        at,
        participant=person,
        articles=decision.content.get("articles", []),
    )


def _sent_to_court(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    _end_interruption(case, at)
    previous_end = case.term_ends_at
    case.status = CaseStatus.SENT_TO_COURT
    case.sent_to_court_at = at
    case.term_ends_at = None
    case.save(update_fields=["status", "sent_to_court_at", "term_ends_at", "interrupted_at", "updated_at"])
    close_case_deadlines(case, at=at)
    return _record(
        decision,
        case,
        Effect.CASE_SENT_TO_COURT,
        at,
        previous_end=previous_end.isoformat() if previous_end else None,
    )


def _agreement(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    return _record(
        decision, case, Effect.PROCEDURAL_AGREEMENT_CONCLUDED, at, agreement_kind=decision.content.get("kind")
    )


def _detained(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    subject = _subject(decision)
    detained_at = dt.datetime.fromisoformat(str(decision.content["detained_at"]))
    exceptional = bool(decision.content.get("exceptional_ground"))
    released = holding_ended(decision) if decision.needs_consent else None
    if released is not None:
        # Released, or put under a measure the judge sanctioned, while a special subject's consent was
        # awaited: the consent that comes now finds the detention over. It is recorded as it was, from
        # the moment in the protocol to its end, and no clock runs for it.
        return _record(
            decision,
            case,
            Effect.PERSON_DETAINED,
            at,
            started_at=detained_at,
            ends_at=deadline_for("detention", detained_at, exceptional=exceptional, rulebook=rulebook),
            ended_at=released,
            exceptional=exceptional,
            released_before_consent=True,
        )
    deadline = open_deadline(
        case=case,
        clock="detention",
        start=detained_at,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
        exceptional=exceptional,
    )
    return _record(
        decision,
        case,
        Effect.PERSON_DETAINED,
        at,
        started_at=detained_at,
        ends_at=deadline.due_at,
        exceptional=exceptional,
    )


def _releases(case_id: int) -> dict[int, dt.datetime]:
    """The detention protocols awaiting consent whose person's release was recorded, with when
    (`services.release_person` names them in the release's event: `awaiting_consent`)."""
    released: dict[int, dt.datetime] = {}
    for at, pending in CaseEvent.objects.filter(
        case_id=case_id, code=RELEASED, data__has_key="awaiting_consent"
    ).values_list("at", "data__awaiting_consent"):
        for pk in pending or []:
            released.setdefault(int(pk), at)
    return released


def _measures_since(participant_ids: list[int]) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Custody and house arrest of the persons: when each runs from, and when the judge's sanction put
    it in force."""
    found: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for participant_id, started_at, in_force_at in LegalEffect.objects.filter(
        participant_id__in=participant_ids, kind__in=[Effect.CUSTODY_IN_FORCE.value, Effect.HOUSE_ARREST_IN_FORCE.value]
    ).values_list("participant_id", "started_at", "decision__in_force_at"):
        found.setdefault(participant_id, []).append((started_at, in_force_at or started_at))
    return found


def _ended(
    decision: Decision,
    since: dt.datetime,
    releases: dict[int, dt.datetime],
    measures: dict[int, list[tuple[dt.datetime, dt.datetime]]],
) -> dt.datetime | None:
    """When the holding under a protocol awaiting consent ended: its release, or the sanction of a
    measure that runs from it (custody or house arrest, which count from the detention)."""
    ends = [sanctioned for started, sanctioned in measures.get(decision.subject_id or 0, []) if started >= since]
    if decision.pk in releases:
        ends.append(releases[decision.pk])
    return min(ends, default=None)


def holding_ended(decision: Decision) -> dt.datetime | None:
    """When the person held under this protocol, while it awaited consent, stopped being held by it."""
    since = dt.datetime.fromisoformat(str(decision.content["detained_at"]))
    return _ended(decision, since, _releases(decision.case_id), _measures_since([decision.subject_id or 0]))


def held_awaiting_consent(decisions: list[Decision]) -> list[tuple[Decision, dt.datetime, dt.datetime]]:
    """The detentions among `decisions` (of one case) that await a special subject's consent while the
    person is held (neither released nor under a measure since): each with the moment in the protocol
    and the end of its term. The person is held from that moment whether or not the protocol is in
    force yet."""
    pending = [
        d for d in decisions if d.kind == "detention" and d.state == "awaiting_consent" and d.subject_id is not None
    ]
    if not pending:
        return []
    releases = _releases(pending[0].case_id)
    measures = _measures_since([d.subject_id or 0 for d in pending])
    held = []
    for decision in pending:
        since = dt.datetime.fromisoformat(str(decision.content["detained_at"]))
        if _ended(decision, since, releases, measures) is not None:
            continue
        exceptional = bool(decision.content.get("exceptional_ground"))
        book = law.rulebook(decision.rulebook_version)
        held.append((decision, since, deadline_for("detention", since, exceptional=exceptional, rulebook=book)))
    return held


def _measure_start(subject: Participant, at: dt.datetime) -> dt.datetime:
    """Where custody or house arrest starts counting: the moment of actual detention where there was one
    (CPC art. 151), in force or in a special subject's protocol still awaiting consent; else now."""
    detention = _end_detention(subject, at)
    if detention is not None:
        return detention.started_at
    return min((since for _, since, _ in held_by_protocols(subject)), default=at)


def held_by_protocols(person: Participant) -> list[tuple[Decision, dt.datetime, dt.datetime]]:
    """`held_awaiting_consent` for one person: the protocols awaiting consent that hold them now."""
    return held_awaiting_consent(
        list(Decision.objects.filter(subject=person, kind="detention", state="awaiting_consent"))
    )


def _custody(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    subject = _subject(decision)
    # The custody term runs from the moment of actual detention where there was one (CPC art. 151).
    start = _measure_start(subject, at)
    replaced = _replace_measures(subject, Effect.CUSTODY_IN_FORCE, at)
    custody = open_deadline(
        case=case,
        clock="custody",
        start=start,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
    )
    open_deadline(
        case=case,
        clock="custody_extension_petition",
        start=start,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
    )
    months = rulebook.term("custody").amount
    return _record(
        decision,
        case,
        Effect.CUSTODY_IN_FORCE,
        at,
        started_at=start,
        ends_at=custody.due_at,
        total_months=months,
        replaced=replaced,
    )


def _custody_extended(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    subject = _subject(decision)
    custody = running_effect(subject, Effect.CUSTODY_IN_FORCE)
    if custody is None:
        raise Conflict(not_in_custody(subject), field="subject_id")
    total = int(decision.content["total_months"])
    close_person_deadlines(subject, ("custody", "custody_extension_petition"), at=at, met=True)
    deadline = open_deadline(
        case=case,
        clock="custody",
        start=custody.started_at,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
        amount=total,
    )
    open_deadline(
        case=case,
        clock="custody_extension_petition",
        start=custody.started_at,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
        amount=total,
    )
    previous_end = custody.ends_at
    custody.ends_at = deadline.due_at
    custody.data = {**custody.data, "total_months": total}
    custody.save(update_fields=["ends_at", "data"])
    return _record(
        decision,
        case,
        Effect.CUSTODY_EXTENDED,
        at,
        ends_at=deadline.due_at,
        total_months=total,
        previous_end=previous_end.isoformat() if previous_end else None,
    )


def _house_arrest(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    subject = _subject(decision)
    # Its terms are those of custody (CPC art. 146, to be confirmed), which run from the moment of
    # actual detention where there was one (CPC art. 151).
    start = _measure_start(subject, at)
    replaced = _replace_measures(subject, Effect.HOUSE_ARREST_IN_FORCE, at)
    deadline = open_deadline(
        case=case,
        clock="house_arrest",
        start=start,
        rulebook=rulebook,
        decision=decision,
        participant=subject,
    )
    return _record(decision, case, Effect.HOUSE_ARREST_IN_FORCE, at, ends_at=deadline.due_at, replaced=replaced)


def _bail(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
    """Bail set by the judge: a detained person or one in custody or under house arrest goes free on it."""
    subject = _subject(decision)
    _end_detention(subject, at)
    replaced = _replace_measures(subject, Effect.BAIL_SET, at)
    return _record(decision, case, Effect.BAIL_SET, at, amount=decision.content.get("amount"), replaced=replaced)


def _end_detention(subject: Participant, at: dt.datetime) -> LegalEffect | None:
    """A measure in force ends the detention it follows; the detention clock is met (or late) by it.

    Returns the detention it ended, if there was one."""
    detention = running_effect(subject, Effect.PERSON_DETAINED)
    if detention is not None:
        detention.ended_at = at
        detention.save(update_fields=["ended_at"])
    close_person_deadlines(subject, ("detention",), at=at, met=True)
    return detention


# A person is under one preventive measure at a time (CPC art. 137 lists them; a new one is the change
# of the measure, which cancels the one running). Each measure's clocks end with it.
PREVENTIVE_MEASURES: dict[Effect, tuple[str, ...]] = {
    Effect.CUSTODY_IN_FORCE: ("custody", "custody_extension_petition"),
    Effect.HOUSE_ARREST_IN_FORCE: ("house_arrest",),
    Effect.BAIL_SET: (),
}


def _replace_measures(subject: Participant, new: Effect, at: dt.datetime) -> list[str]:
    """End every other preventive measure running for the person, and clear its clocks; returns their kinds.

    A clock that had run out stays visible to the monitor through its effect (ended after its end).
    """
    running = list(
        LegalEffect.objects.select_for_update()
        .filter(
            participant=subject,
            kind__in=[measure.value for measure in PREVENTIVE_MEASURES if measure is not new],
            ended_at__isnull=True,
        )
        .order_by("started_at", "pk")
    )
    for effect in running:
        effect.ended_at = at
        effect.save(update_fields=["ended_at"])
        clocks = PREVENTIVE_MEASURES[Effect(effect.kind)]
        if clocks:
            close_person_deadlines(subject, clocks, at=at, met=False)
    return [effect.kind for effect in running]


def _simple(effect: Effect, *fields: str) -> Callable[[Decision, Case, Rulebook, dt.datetime], LegalEffect]:
    def apply(decision: Decision, case: Case, rulebook: Rulebook, at: dt.datetime) -> LegalEffect:
        return _record(decision, case, effect, at, **{name: decision.content.get(name) for name in fields})

    return apply


RELEASED = "person.released"  # the case event of a release (services.release_person)
RESTRAINTS = (Effect.PERSON_DETAINED, Effect.CUSTODY_IN_FORCE, Effect.HOUSE_ARREST_IN_FORCE)
RESTRAINT_CLOCKS = ("detention", "custody", "custody_extension_petition", "house_arrest")


def release(participant: Participant, *, at: dt.datetime) -> list[LegalEffect]:
    """End every restraint of liberty running for the person, and its clocks (CPC art. 14: at once).

    A clock closed after it ran out stays visible to the monitor as broken: the release ends the
    holding, not the violation.
    """
    running = list(
        LegalEffect.objects.select_for_update()
        .filter(participant=participant, kind__in=[kind.value for kind in RESTRAINTS], ended_at__isnull=True)
        .order_by("started_at")
    )
    for effect in running:
        effect.ended_at = at
        effect.save(update_fields=["ended_at"])
    close_person_deadlines(participant, RESTRAINT_CLOCKS, at=at, met=True)
    return running


def _interruption_in_force(case: Case) -> QuerySet[LegalEffect]:
    """The case's interruption in force, the latest first (there is one at most)."""
    return LegalEffect.objects.filter(case=case, kind=Effect.TERMS_INTERRUPTED.value, ended_at__isnull=True).order_by(
        "-started_at", "-pk"
    )


def _resumed_end(
    case: Case, rulebook: Rulebook, interruption: LegalEffect, resumed_at: dt.datetime
) -> dt.datetime | None:
    """The end the term has once `interruption`, still in force, ends at `resumed_at`: by the rule where
    it had time left; the instant it ran out where it had run out when interrupted; none without a term."""
    remaining = interruption.data.get("remaining_seconds")
    if remaining is None:
        return None
    if float(remaining) <= 0:
        return interruption.started_at + dt.timedelta(seconds=float(remaining))
    return term_end(case, rulebook, resuming=(interruption.started_at, resumed_at))


def end_if_resumed(case: Case, rulebook: Rulebook, *, at: dt.datetime) -> dt.datetime | None:
    """The end the case's interrupted term would have if it were resumed at `at`, as `resume` would
    compute it (for a term that had run out when interrupted, the instant it ran out); None where no
    interruption is in force or the case has no term."""
    interruption = _interruption_in_force(case).first()
    if interruption is None:
        return None
    return _resumed_end(case, rulebook, interruption, max(at, interruption.started_at))


def resume(case: Case, rulebook: Rulebook, *, at: dt.datetime) -> LegalEffect:
    """End the case's running interruption; its term runs on with the time it had left (CPC art. 45 p. 7).

    Its end is its length from its start, moved on by every day it stood still (`term_end`), so a
    term with time left never comes back run out, and an end once moved off a weekend is not moved
    from there a second time. A term that had already run out when it was interrupted comes back run
    out, at the instant it ran out: the interruption hid the lapse, it did not cure it (and the
    monitor's finding stays the one).
    """
    interruption = _interruption_in_force(case).select_for_update().first()
    if interruption is None:
        raise Conflict(
            gettext("Case %(erdr_number)s has no interruption in force.") % {"erdr_number": case.erdr_number},
            field="case_id",
        )
    case.term_ends_at = _resumed_end(case, rulebook, interruption, at)  # before it is ended: counted once
    interruption.ended_at = at
    interruption.save(update_fields=["ended_at"])
    case.status = CaseStatus.UNDER_INVESTIGATION
    case.interrupted_at = None
    case.save(update_fields=["status", "interrupted_at", "term_ends_at", "updated_at"])
    return interruption


def _end_measures(case: Case, at: dt.datetime) -> None:
    LegalEffect.objects.filter(
        Q(case=case) & Q(kind__in=[m.value for m in MEASURES]) & Q(ended_at__isnull=True)
    ).update(ended_at=at)


# Effects whose writes ride in the transition's statement: each writes rows that nothing later in the
# transaction reads, and that the transition's statement itself does not touch.
_RIDING: dict[Effect, Callable[[Decision, Case, dt.datetime], list[rows.Rider]]] = {
    Effect.PERSON_BECOMES_SUSPECT: _becomes_suspect,
}
_APPLY: dict[Effect, Callable[[Decision, Case, Rulebook, dt.datetime], LegalEffect]] = {
    Effect.QUALIFICATION_SET: _qualification,
    Effect.TERMS_INTERRUPTED: _interrupted,
    Effect.TERMS_EXTENDED: _extended,
    Effect.CASE_TERMINATED: _terminated,
    Effect.INVESTIGATION_COMPLETED: _completed,
    Effect.PERSON_BECOMES_ACCUSED: _accused,
    Effect.CASE_SENT_TO_COURT: _sent_to_court,
    Effect.PROCEDURAL_AGREEMENT_CONCLUDED: _agreement,
    Effect.PERSON_DETAINED: _detained,
    Effect.CUSTODY_IN_FORCE: _custody,
    Effect.CUSTODY_EXTENDED: _custody_extended,
    Effect.HOUSE_ARREST_IN_FORCE: _house_arrest,
    Effect.BAIL_SET: _bail,
    Effect.PROPERTY_SEIZED: _simple(Effect.PROPERTY_SEIZED, "property"),
    Effect.SEARCH_AUTHORISED: _simple(Effect.SEARCH_AUTHORISED, "place"),
    Effect.COVERT_ACTIONS_AUTHORISED: _simple(Effect.COVERT_ACTIONS_AUTHORISED, "actions"),
}
if set(_APPLY) | set(_RIDING) != set(Effect) or set(_APPLY) & set(_RIDING):
    raise ImportError(f"effects without one application: {sorted(set(Effect) ^ set(_APPLY) ^ set(_RIDING))}")
