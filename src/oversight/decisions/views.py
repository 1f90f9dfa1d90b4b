"""Decision pages: the review queue, a decision beside its case file, drafting, and the workflow's acts.

Thin: read through the visibility functions, log the look, call one service verb, render or redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oversight.accounts.access import Jurisdiction, jurisdiction_of
from oversight.accounts.models import User
from oversight.audit.models import Operation
from oversight.audit.services import record, who
from oversight.decisions import effects as legal_effects
from oversight.decisions import services as workflow
from oversight.decisions.access import access_decision
from oversight.decisions.forms import DecisionForm, ReasonForm
from oversight.decisions.messages import in_reader_language
from oversight.decisions.models import Deadline, DeadlineStatus, Decision, DecisionEvent
from oversight.decisions.presentation import (
    changes_since_return,
    clock_title,
    decision_type_of,
    event_title,
    language,
    readable,
    type_title,
)
from oversight.decisions.services import REVIEWERS_BY_LEVEL, drafting_grant, level_lacking, remaining_approvals
from oversight.decisions.states import ALLOWED_FROM, EDITABLE, PENDING, Action, State
from oversight.kit.errors import Conflict, DomainError, Forbidden, Invalid
from oversight.law import UnknownDecisionType, rulebook, rulebook_in_force
from oversight.law.citations import cite
from oversight.law.roles import PROSECUTORIAL_ROLES, Role
from oversight.register.access import access_case
from oversight.web.pages import signed_in_user

PAGE = 50
DECIDING_CODES = (
    "decision.agreed",
    "decision.refused",
    "decision.returned",
    "decision.petitioned",
    "decision.consented",
    "decision.consent_refused",
    "sanction.granted",
    "sanction.denied",
)


def _titled(event: DecisionEvent) -> DecisionEvent:
    event.title_here = event_title(event.code, event.to_state)  # type: ignore[attr-defined]
    return event


def _local_midnight() -> dt.datetime:
    today = timezone.localdate()
    return dt.datetime.combine(today, dt.time(0, 0), tzinfo=timezone.get_current_timezone())


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """What awaits the user, soonest deadline first, with filters and what they decided today."""
    user = signed_in_user(request)
    now = timezone.now()
    waiting = Decision.objects.review_queue(user).select_related("case__body")
    everything = list(waiting)  # one query; filters apply in memory so their options stay complete
    kinds = sorted({(d.kind, type_title(decision_type_of(d))) for d in everything}, key=lambda kind: kind[1])
    units = sorted({(d.case.unit_id, d.case.unit.name(language())) for d in everything}, key=lambda unit: unit[1])
    bodies = sorted({(d.case.body_id, d.case.body.name(language())) for d in everything}, key=lambda body: body[1])
    chosen = {name: request.GET.get(name, "") for name in ("kind", "unit", "body", "overdue")}
    shown = [
        d
        for d in everything
        if (not chosen["kind"] or d.kind == chosen["kind"])
        and (not chosen["unit"] or str(d.case.unit_id) == chosen["unit"])
        and (not chosen["body"] or str(d.case.body_id) == chosen["body"])
        and (not chosen["overdue"] or (d.due_at is not None and d.due_at < now))
    ]
    page = Paginator(shown, PAGE).get_page(request.GET.get("page"))
    rows = [(d, type_title(decision_type_of(d))) for d in page.object_list]
    decided = list(
        DecisionEvent.objects.filter(actor=user, code__in=DECIDING_CODES, at__gte=_local_midnight())
        .select_related("decision", "decision__case")
        .order_by("-at")
    )
    with transaction.atomic():
        if rows:
            record(
                who(request, user),
                operation=Operation.CONSULTATION,
                action="queue",
                object_type="decision",
                detail={"decisions": [d.pk for d, _ in rows]},
            )
    return render(
        request,
        "decisions/queue.html",
        {
            "page": page,
            "rows": rows,
            "total": len(everything),
            "overdue": sum(1 for d in everything if d.due_at is not None and d.due_at < now),
            "kinds": kinds,
            "units": units,
            "bodies": bodies,
            "chosen": chosen,
            "decided": [(_titled(event), type_title(decision_type_of(event.decision))) for event in decided],
            "keys": _action_keys(jurisdiction_of(user)),
            "now": now,
        },
    )


def _action_keys(jurisdiction: Jurisdiction) -> list[tuple[str, str]]:
    """The keys of the acts this user performs on a decision page (static/web/app.js binds them)."""
    keys: list[tuple[str, str]] = []
    if jurisdiction.roles & PROSECUTORIAL_ROLES:
        keys += [("a", _("agree")), ("r", _("return for rework")), ("x", _("refuse")), ("p", _("petition the court"))]
    if jurisdiction.may_consent_for_special_subjects():
        keys.append(("c", _("give consent")))
    if jurisdiction.has(Role.INVESTIGATING_JUDGE):
        keys += [("g", _("grant the sanction")), ("d", _("deny it"))]
    return keys


def _due_clock(decision: Decision) -> str:
    """The clock behind the decision's due date: its own step's, or, for an agreed petition still to be
    filed, the person's clock it must beat (detention, custody), which the workflow shows as its due date."""
    own = decision.deadlines.filter(status=DeadlineStatus.OPEN).values_list("clock", flat=True).first()
    if own is not None or decision.due_at is None or decision.subject_id is None:
        return own or ""
    person = Deadline.objects.filter(
        participant_id=decision.subject_id, status=DeadlineStatus.OPEN, due_at=decision.due_at
    ).values_list("clock", flat=True)
    return person.first() or ""


def _decision_context(request: HttpRequest, user: User, decision: Decision) -> dict[str, Any]:
    decision_type = decision_type_of(decision)
    revisions = list(decision.revisions.select_related("created_by").order_by("number"))
    jurisdiction = jurisdiction_of(user)
    state = State(decision.state)
    remaining = remaining_approvals(decision) if decision.submitted_at else ()
    own = decision.drafted_by_id == user.pk
    prosecutor = bool(jurisdiction.roles & PROSECUTORIAL_ROLES) and jurisdiction.supervises(
        decision.case.supervising_office
    )
    case = decision.case
    participants = list(case.participants.order_by("role", "last_name"))
    # as the person concerned is shown: a special subject among the co-accused is why consent is asked
    people = {
        p.pk: f"{p.full_name()} ({p.get_role_display()})" + (f" — {_('special subject')}" if p.special_subject else "")
        for p in participants
    }
    book = rulebook(decision.rulebook_version)
    # A decision whose term needs a higher office (CPC arts. 151, 192) is shown, not offered, to the case's
    # own prosecutor: it waits in the higher office's queue.
    lacking = (
        level_lacking(jurisdiction, case, decision, book)
        if prosecutor and not own and state in (State.SUBMITTED, State.AGREED)
        else None
    )
    announcement = (
        decision.deadlines.filter(clock="qualification_announcement", status="open").first()
        if state is State.IN_FORCE
        else None
    )
    return {
        "decision": decision,
        "title": type_title(decision_type),
        "article": cite(decision_type.source.article, language()),
        "fields": readable(decision_type, decision.content, people),
        "revisions": revisions,
        "changes": changes_since_return(decision, revisions, people),
        "last_return": decision.events.filter(code="decision.returned").order_by("-at").first(),
        "events": [_titled(event) for event in decision.events.select_related("actor").order_by("at", "pk")],
        "due_title": clock_title(_due_clock(decision)),
        "case": case,
        "now": timezone.now(),
        "articles": list(case.articles.all()),
        "participants": participants,
        "effects": list(decision.legal_effects.select_related("participant")),
        # what an extension still pending would make of the term or the custody it extends
        "projection": legal_effects.projected_end(decision, case, book) if state in EDITABLE | PENDING else None,
        "other_decisions": [
            (d, type_title(decision_type_of(d)))
            for d in Decision.objects.visible_to(user)
            .filter(case=case)
            .exclude(pk=decision.pk)
            .select_related("subject")
            .order_by("-drafted_at")[:20]
        ],
        "may_edit": own and state in EDITABLE,
        "may_withdraw": own and state in ALLOWED_FROM[Action.WITHDRAW],
        "may_review": prosecutor and not own and state is State.SUBMITTED and lacking is None,
        "may_return": decision_type.may_be_returned,
        "may_petition": prosecutor and not own and state is State.AGREED and lacking is None,
        "reviewer_needed": REVIEWERS_BY_LEVEL[lacking] if lacking is not None else "",
        "may_consent": jurisdiction.may_consent_for_special_subjects() and not own and state is State.AWAITING_CONSENT,
        "may_rule": decision.court_id is not None
        and jurisdiction.sits_in(decision.court_id)
        and not own
        and decision.petitioned_by_id != user.pk
        and state is State.PETITIONED,
        "announcement": announcement,
        "may_announce": announcement is not None and drafting_grant(jurisdiction, case, decision_type) is not None,
        "remaining": [kind.value for kind in remaining],
        "reason_form": ReasonForm(),
        "failed_action": "",
    }


@require_GET
def decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = signed_in_user(request)
    with transaction.atomic():
        decision = access_decision(user, decision_id)
        record(
            who(request, user),
            operation=Operation.CONSULTATION,
            action="decision_page",
            object_type="decision",
            object_id=decision.pk,
            object_label=decision.case.erdr_number,
        )
    return render(request, "decisions/decision.html", _decision_context(request, user, decision))


def _next_in_queue(user: User, after: Decision) -> str:
    following = Decision.objects.review_queue(user).exclude(pk=after.pk).first()
    if following is None:
        return reverse("decisions:queue")
    return reverse("decisions:decision", kwargs={"decision_id": following.pk})


Act = Callable[[int, User, str], Decision]
ACTS: dict[str, Act] = {
    "submit": lambda pk, user, _reason: workflow.submit_decision(pk, actor=user),
    "withdraw": lambda pk, user, reason: workflow.withdraw_decision(pk, actor=user, reason=reason),
    "agree": lambda pk, user, reason: workflow.agree_decision(pk, actor=user, comment=reason),
    "refuse": lambda pk, user, reason: workflow.refuse_decision(pk, actor=user, reason=reason),
    "return": lambda pk, user, reason: workflow.return_decision(pk, actor=user, reason=reason),
    "consent": lambda pk, user, reason: workflow.consent_decision(pk, actor=user, comment=reason),
    "refuse_consent": lambda pk, user, reason: workflow.refuse_consent(pk, actor=user, reason=reason),
    "petition": lambda pk, user, _reason: workflow.petition_court(pk, actor=user),
    "grant": lambda pk, user, reason: workflow.grant_sanction(pk, actor=user, reason=reason),
    "deny": lambda pk, user, reason: workflow.deny_sanction(pk, actor=user, reason=reason),
    "announce": lambda pk, user, _reason: workflow.announce_qualification(pk, actor=user),
}
DONE_MESSAGES = {  # lazy: module-level strings are translated when shown, in the reader's language
    "withdraw": gettext_lazy("Withdrawn."),
    "agree": gettext_lazy("Agreed."),
    "refuse": gettext_lazy("Refused."),
    "return": gettext_lazy("Returned for rework."),
    "consent": gettext_lazy("Consent given."),
    "refuse_consent": gettext_lazy("Consent refused."),
    "petition": gettext_lazy("Petition filed with the investigating judge."),
    "grant": gettext_lazy("Sanction granted."),
    "deny": gettext_lazy("Sanction denied."),
    "announce": gettext_lazy("The announcement to the suspect is recorded."),
}


@require_POST
def act(request: HttpRequest, decision_id: int, action: str) -> HttpResponse:
    """One workflow verb. A missing reason re-shows the page with the error beside the field."""
    if action not in ACTS:
        raise Http404
    user = signed_in_user(request)
    verb = ACTS[action]
    reason = request.POST.get("reason", "")
    try:
        with transaction.atomic():  # the act and its access-log row commit together, or neither does
            decision = verb(decision_id, user, reason)
            _log_change(request, user, Operation.ALTERATION, f"{action}_decision", decision)
    except Invalid as error:
        decision = access_decision(user, decision_id)
        context = _decision_context(request, user, decision)
        form = ReasonForm(request.POST)
        form.is_valid()
        for key, message in error.errors.items():
            form.add_error("reason" if key == "reason" else None, in_reader_language(message))
        context.update(reason_form=form, failed_action=action)
        return render(request, "decisions/decision.html", context, status=422)
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("decisions:decision", decision_id=decision_id)
    except Forbidden as error:
        messages.error(request, error.detail)
        return redirect("decisions:decision", decision_id=decision_id)
    messages.success(request, _submitted(decision) if action == "submit" else DONE_MESSAGES[action])
    if action in ("agree", "refuse", "return", "consent", "refuse_consent", "petition", "grant", "deny") and (
        request.POST.get("then") == "next"
    ):
        return redirect(_next_in_queue(user, decision))
    return redirect("decisions:decision", decision_id=decision.pk)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = access_case(user, case_id)
    book = rulebook_in_force(timezone.now())
    try:
        decision_type = book.decision_type(request.GET.get("kind") or request.POST.get("kind", ""))
    except UnknownDecisionType:
        messages.error(request, _("Choose the kind of decision to draft."))
        return redirect("register:case_card", case_id=case.pk)
    if drafting_grant(jurisdiction_of(user), case, decision_type) is None:
        raise Forbidden(_("You may not draft this decision in this case."))
    participants = list(case.participants.order_by("last_name"))
    form = DecisionForm(
        decision_type, participants, request.POST or None, initial={"stated_date": timezone.localdate()}
    )
    context = {
        "case": case,
        "decision_type": decision_type,
        "title": type_title(decision_type),
        "form": form,
        "kind": decision_type.code,
    }
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                decision = workflow.draft_decision(
                    case.pk,
                    actor=user,
                    kind=decision_type.code,
                    content=form.content(),
                    subject_id=form.subject_id(),
                    stated_date=form.cleaned_data.get("stated_date"),
                )
                _log_change(request, user, Operation.COLLECTION, "draft_decision", decision)
                if "submit" in request.POST:
                    decision = workflow.submit_decision(decision.pk, actor=user)
                    _log_change(request, user, Operation.ALTERATION, "submit_decision", decision)
        except Invalid as error:
            form.place_errors(error.errors)
            return _form_page(request, "decisions/draft.html", context, status=422)
        except DomainError as error:
            form.add_error(None, error.detail)
            return _form_page(request, "decisions/draft.html", context, status=error.status)
        messages.success(request, _submitted(decision) if "submit" in request.POST else _("Draft saved."))
        return redirect("decisions:decision", decision_id=decision.pk)
    return _form_page(request, "decisions/draft.html", context, status=422 if request.method == "POST" else 200)


def _submitted(decision: Decision) -> str:
    """Where the submission went, as the decision's history says it (`presentation.event_title`)."""
    return f"{event_title('decision.submitted', decision.state)}."


def _log_change(request: HttpRequest, user: User, operation: Operation, action: str, decision: Decision) -> None:
    """The access-log row of a change made through a page, in the change's own transaction (LED art. 25)."""
    record(
        who(request, user),
        operation=operation,
        action=action,
        object_type="decision",
        object_id=decision.pk,
        object_label=decision.case.erdr_number,
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = signed_in_user(request)
    decision = access_decision(user, decision_id)
    decision_type = decision_type_of(decision)
    participants = list(decision.case.participants.order_by("last_name"))
    initial = DecisionForm.initial_from(decision.content, decision.subject_id, decision.stated_date)
    form = DecisionForm(decision_type, participants, request.POST or None, initial=initial)
    context = {
        "case": decision.case,
        "decision": decision,
        "decision_type": decision_type,
        "title": type_title(decision_type),
        "form": form,
        "kind": decision.kind,
        "last_return": decision.events.filter(code="decision.returned").order_by("-at").first(),
    }
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                workflow.edit_decision(
                    decision.pk,
                    actor=user,
                    content=form.content(),
                    subject_id=form.subject_id(),
                    stated_date=form.cleaned_data.get("stated_date"),
                )
                _log_change(request, user, Operation.ALTERATION, "edit_decision", decision)
                if "submit" in request.POST:
                    decision = workflow.submit_decision(decision.pk, actor=user)
                    _log_change(request, user, Operation.ALTERATION, "submit_decision", decision)
        except Invalid as error:
            form.place_errors(error.errors)
            return _form_page(request, "decisions/draft.html", context, status=422)
        except DomainError as error:
            form.add_error(None, error.detail)
            return _form_page(request, "decisions/draft.html", context, status=error.status)
        messages.success(request, _submitted(decision) if "submit" in request.POST else _("Draft saved."))
        return redirect("decisions:decision", decision_id=decision.pk)
    return _form_page(request, "decisions/draft.html", context, status=422 if request.method == "POST" else 200)
