"""Turning domain objects into the API's JSON shapes (plain dicts the schemas validate)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection
from django.utils import timezone, translation

from oversight.accounts.models import Organisation, User
from oversight.audit.models import AccessLogEntry
from oversight.decisions.effects import projected_end
from oversight.decisions.models import Deadline, Decision, LegalEffect
from oversight.decisions.states import EDITABLE, PENDING, State
from oversight.kit import rows
from oversight.kit.languages import reader_language
from oversight.law import Rulebook, rulebook, rulebook_in_force
from oversight.law.rulebook import DecisionType, Text
from oversight.law.terms import Source
from oversight.monitoring.models import Finding
from oversight.monitoring.presentation import explain
from oversight.register.models import Case, Participant

language = reader_language


def org_ref(organisation: Organisation | None) -> dict[str, Any] | None:
    if organisation is None:
        return None
    return {"id": organisation.pk, "name": organisation.name(language())}


def user_ref(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name()}


def text(value: Text) -> dict[str, str]:
    return {"en": value.en, "ru": value.ru, "kk": value.kk}


def source(value: Source) -> dict[str, Any]:
    return {"article": value.article, "note": value.note, "to_be_confirmed": value.to_be_confirmed}


def decision_title(decision: Decision) -> str:
    return decision.title(language())


def participant(p: Participant) -> dict[str, Any]:
    return {
        "id": p.pk,
        "role": p.role,
        "last_name": p.last_name,
        "first_name": p.first_name,
        "patronymic": p.patronymic,
        "iin": p.iin,
        "foreign_national": p.foreign_national,
        "citizenship": p.citizenship,
        "birth_date": p.birth_date,
        "special_subject": p.special_subject,
        "qualification": p.qualification,
        "suspect_since": p.suspect_since,
        "accused_since": p.accused_since,
    }


def effect(e: LegalEffect) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "decision_id": e.decision_id,
        "participant_id": e.participant_id,
        "started_at": e.started_at,
        "ends_at": e.ends_at,
        "ended_at": e.ended_at,
        "data": e.data,
    }


def deadline(d: Deadline) -> dict[str, Any]:
    try:
        unconfirmed = rulebook(d.rulebook_version).term(d.clock).to_be_confirmed
    except LookupError:
        unconfirmed = True
    return {
        "id": d.pk,
        "clock": d.clock,
        "decision_id": d.decision_id,
        "participant_id": d.participant_id,
        "started_at": d.started_at,
        "due_at": d.due_at,
        "exceptional": d.exceptional,
        "status": d.status,
        "closed_at": d.closed_at,
        "rulebook_version": d.rulebook_version,
        "to_be_confirmed": unconfirmed,
    }


def case(c: Case) -> dict[str, Any]:
    return {
        "id": c.pk,
        "erdr_number": c.erdr_number,
        "reported_at": c.reported_at,
        "registered_at": c.registered_at,
        "form": c.form,
        "status": c.status,
        "summary": c.summary,
        "body": org_ref(c.body),
        "unit": org_ref(c.unit),
        "investigator": user_ref(c.investigator),
        "supervising_office": org_ref(c.supervising_office),
        "procedural_prosecutor": user_ref(c.procedural_prosecutor),
        "rulebook_version": c.rulebook_version,
        "term_started_at": c.term_started_at,
        "term_total_months": c.term_total_months,
        "term_ends_at": c.term_ends_at,
        "interrupted_at": c.interrupted_at,
        "terminated_at": c.terminated_at,
        "termination_rehabilitating": c.termination_rehabilitating,
        "completed_at": c.completed_at,
        "sent_to_court_at": c.sent_to_court_at,
        "articles": [{"article": a.article, "part": a.part, "paragraph": a.paragraph} for a in c.articles.all()],
    }


def decision_brief(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "state": d.state,
        "subject_id": d.subject_id,
        "revision": d.revision,
        "drafted_at": d.drafted_at,
        "submitted_at": d.submitted_at,
        "due_at": d.due_at,
        "in_force_at": d.in_force_at,
    }


def case_detail(c: Case, *, decisions: list[Decision]) -> dict[str, Any]:
    body = case(c)
    body["participants"] = [participant(p) for p in c.participants.all()]
    body["decisions"] = [decision_brief(d) for d in decisions]
    body["legal_effects"] = [effect(e) for e in c.legal_effects.all()]
    body["deadlines"] = [deadline(d) for d in c.deadlines.all()]
    return body


def _required(d: Decision) -> list[str]:
    if d.submitted_at is None:
        return []
    kinds = []
    if d.needs_agreement:
        kinds.append("prosecutor_agreement")
    if d.needs_consent:
        kinds.append("special_subject_consent")
    if d.needs_sanction:
        kinds.append("judicial_sanction")
    return kinds


@functools.cache
def _people_statement() -> str:
    return f"SELECT {rows.select_list(User, 'u')} FROM accounts_user u WHERE u.id = ANY(%s)"  # noqa: S608


def _people(ids: set[int]) -> dict[int | None, User]:
    """The users a decision names, in one statement written once (every write answers with a decision)."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_people_statement(), [sorted(ids)])
        found = [rows.instance(User, row) for row in cursor.fetchall()]
    return {user.pk: user for user in found}


PEOPLE_FIELDS = ("drafted_by", "agreed_by", "consented_by", "ruled_by")


def _named_people(d: Decision) -> dict[int | None, User]:
    """The people the decision names: those already loaded with it (its author, who just acted), and
    the others in one statement."""
    found: dict[int | None, User] = {}
    missing: set[int] = set()
    for name in PEOPLE_FIELDS:
        field = Decision._meta.get_field(name)
        pk = getattr(d, f"{name}_id")
        if pk is None:
            continue
        if field.is_cached(d):  # type: ignore[union-attr]
            found[pk] = getattr(d, name)
        else:
            missing.add(pk)
    found.update(_people(missing - set(found)))
    return found


def decision(d: Decision) -> dict[str, Any]:
    """The decision's shape; the people it names are read in one query, not joined one by one."""
    people = _named_people(d)
    approvals = []
    if d.agreed_at:
        approvals.append(
            {"kind": "prosecutor_agreement", "by": user_ref(people.get(d.agreed_by_id)), "at": d.agreed_at}
        )
    if d.consented_at:
        approvals.append(
            {"kind": "special_subject_consent", "by": user_ref(people.get(d.consented_by_id)), "at": d.consented_at}
        )
    if d.granted_at:
        approvals.append({"kind": "judicial_sanction", "by": user_ref(people.get(d.ruled_by_id)), "at": d.granted_at})
    return {
        "id": d.pk,
        "case_id": d.case_id,
        "erdr_number": d.case.erdr_number,
        "kind": d.kind,
        "title": decision_title(d),
        "rulebook_version": d.rulebook_version,
        "state": d.state,
        "subject": participant(d.subject) if d.subject else None,
        "revision": d.revision,
        "content": d.content,
        "stated_date": d.stated_date,
        "drafted_by": user_ref(people.get(d.drafted_by_id)),
        "drafted_by_role": d.drafted_by_role,
        "drafted_at": d.drafted_at,
        "submitted_at": d.submitted_at,
        "due_at": d.due_at,
        "required_approvals": _required(d),
        "level_required": d.level_required or None,
        "approvals": approvals,
        "court": org_ref(d.court),
        "petitioned_at": d.petitioned_at,
        "closed_reason": d.closed_reason,
        "in_force_at": d.in_force_at,
    }


def decision_detail(d: Decision) -> dict[str, Any]:
    body = decision(d)
    projection = (
        projected_end(d, d.case, rulebook(d.rulebook_version)) if State(d.state) in EDITABLE | PENDING else None
    )
    body["projected_end"] = {"now": projection.now, "then": projection.then} if projection else None
    body["revisions"] = [
        {
            "number": r.number,
            "content": r.content,
            "stated_date": r.stated_date,
            "created_by": user_ref(r.created_by),
            "created_at": r.created_at,
            "updated_at": r.updated_at,
        }
        for r in d.revisions.select_related("created_by").order_by("number")
    ]
    body["events"] = [
        {
            "id": e.pk,
            "code": e.code,
            "actor": user_ref(e.actor),
            "actor_role": e.actor_role,
            "at": e.at,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "revision": e.revision,
            "reason": e.reason,
            "data": e.data,
        }
        for e in d.events.select_related("actor").order_by("at", "pk")
    ]
    body["legal_effects"] = [effect(e) for e in d.legal_effects.order_by("started_at", "pk")]
    return body


def queue_item(d: Decision, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "title": decision_title(d),
        "state": d.state,
        "case_id": d.case_id,
        "erdr_number": d.case.erdr_number,
        "unit": org_ref(d.case.unit),
        "subject_name": d.subject.full_name() if d.subject else None,
        "drafted_by": user_ref(d.drafted_by),
        "submitted_at": d.submitted_at,
        "due_at": d.due_at,
        "seconds_left": int((d.due_at - now).total_seconds()) if d.due_at else None,
        "revision": d.revision,
    }


def _decision_type(t: DecisionType) -> dict[str, Any]:
    return {
        "code": t.code,
        "title": text(t.title),
        "source": source(t.source),
        "drafted_by": sorted(role.value for role in t.drafted_by),
        "approvals": [{"kind": a.kind.value, "when": a.when.value, "source": source(a.source)} for a in t.approvals],
        "review_clock": t.review_clock,
        "effects": [e.value for e in t.effects],
        "subject": t.subject.value,
        "subject_roles": sorted(t.subject_roles),
        "fields": [
            {
                "name": f.name,
                "kind": f.kind.value,
                "title": text(f.title),
                "required": f.required,
                "choices": [{"code": c.code, "title": text(c.title), "source": source(c.source)} for c in f.choices],
                "minimum": f.minimum,
                "maximum": f.maximum,
            }
            for f in t.fields
        ],
        "may_be_returned": t.may_be_returned,
        "one_pending_at_a_time": t.one_pending_at_a_time,
        "case_statuses": sorted(t.case_statuses),
    }


def rulebook_body(book: Rulebook) -> dict[str, Any]:
    return {
        "country": book.country,
        "version": book.version,
        "effective_from": book.effective_from,
        "effective_from_source": source(book.effective_from_source),
        "terms_source": source(book.terms_source) if book.terms_source is not None else None,
        "in_force": rulebook_in_force(timezone.now(), book.country).version == book.version,
        "clocks": [
            {
                "code": code,
                "amount": term.amount,
                "unit": term.unit.value,
                "exceptional_amount": term.exceptional_amount,
                "moves_off_non_working_days": term.moves_off_non_working_days,
                "relative_to": term.relative_to,
                "source": source(term.source),
                "calendar_source": source(term.calendar_source) if term.calendar_source is not None else None,
            }
            for code, term in book.clocks.items()
        ],
        "decision_types": [_decision_type(t) for t in book.decision_types.values()],
        "to_be_confirmed_count": len(book.unconfirmed_values()),
    }


def access_log_entry(entry: AccessLogEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": entry.at,
        "user_id": entry.user_id,
        "username": entry.username,
        "role": entry.role,
        "organisation_id": entry.organisation_id,
        "ip": entry.ip,
        "operation": entry.operation,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "outcome": entry.outcome,
        "justification": entry.justification,
        "recipient": entry.recipient,
        "request_id": entry.request_id,
        "detail": entry.detail,
    }


def finding(f: Finding) -> dict[str, Any]:
    """A finding as the API shows it: in English, its facts as stored, its explanation written out."""
    with translation.override("en"):
        told = explain(f)
    return {
        "id": f.pk,
        "rule": f.rule,
        "title": told.title,
        "article": told.article,
        "severity": f.severity,
        "status": f.status,
        "case_id": f.case_id,
        "erdr_number": f.case.erdr_number if f.case else None,
        "decision_id": f.decision_id,
        "participant_id": f.participant_id,
        "office_id": f.office_id,
        "escalated_to_id": f.escalated_to_id,
        "occurred_at": f.occurred_at,
        "detected_at": f.detected_at,
        "escalated_at": f.escalated_at,
        "facts": f.facts,
        "explanation": told.text,
        "remedy": told.remedy,
        "response": f.response,
        "note": f.note,
        "acknowledged_at": f.acknowledged_at,
        "closed_at": f.closed_at,
    }
