"""Case pages: the list within the user's reach and the case card. Thin: read, log the look, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import Organisation, RoleGrant, User
from oversight.audit.models import Operation
from oversight.audit.services import record, who
from oversight.decisions import services as workflow
from oversight.decisions.access import case_events_reached, clocks_reached, effects_reached
from oversight.decisions.effects import RESTRAINTS, end_if_resumed, held_awaiting_consent
from oversight.decisions.messages import in_reader_language
from oversight.decisions.models import Deadline, DeadlineStatus, Decision, LegalEffect
from oversight.decisions.presentation import (
    clock_title,
    decision_type_of,
    drafting_choices,
    effect_title,
    event_title,
    language,
    type_title,
)
from oversight.kit.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from oversight.kit.html_dates import ISO_MINUTE
from oversight.law import Effect, rulebook, rulebook_in_force
from oversight.law.roles import Role
from oversight.register import services as register
from oversight.register.access import access_case, may_act_as_investigator, may_act_on_case
from oversight.register.forms import ARTICLE_ROWS, CaseRegistrationForm, ParticipantForm
from oversight.register.models import Case, CaseForm, CaseStatus
from oversight.web.pages import signed_in_user

PAGE = 50


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    jurisdiction = jurisdiction_of(user)
    cases = (
        Case.objects.visible_to(user)
        .select_related("unit", "investigator", "procedural_prosecutor")
        .order_by("-registered_at", "-pk")
    )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    number = request.GET.get("erdr", "").strip()
    if number:
        cases = cases.filter(erdr_number__startswith=number[:15])
    page = Paginator(cases, PAGE).get_page(request.GET.get("page"))
    with transaction.atomic():
        if page.object_list:
            record(
                who(request, user),
                operation=Operation.CONSULTATION,
                action="case_list",
                object_type="case",
                detail={"cases": [case.erdr_number for case in page.object_list]},
            )
    return render(
        request,
        "register/case_list.html",
        {
            "page": page,
            "statuses": CaseStatus.choices,
            "status": status,
            "erdr": number,
            "may_register": bool(jurisdiction.roles & {Role.INVESTIGATOR, Role.HEAD_OF_UNIT}),
        },
    )


@require_GET
def case_card(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    with transaction.atomic():
        case = access_case(user, case_id)
        record(
            who(request, user),
            operation=Operation.CONSULTATION,
            action="case_card",
            object_type="case",
            object_id=case.pk,
            object_label=case.erdr_number,
        )
    return _card(request, user, case)


def _card(request: HttpRequest, user: User, case: Case, *, status: int = 200, **extra: Any) -> HttpResponse:
    jurisdiction = jurisdiction_of(user)
    investigating = may_act_as_investigator(jurisdiction, case)
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(case=case)
        .select_related("subject", "drafted_by")
        .order_by("-drafted_at", "-pk")
    )
    for decision in decisions:
        decision.title_here = type_title(decision_type_of(decision))  # type: ignore[attr-defined]
    effects = list(effects_reached(case, decisions).select_related("participant", "decision").order_by("-started_at"))
    for effect in effects:
        effect.title_here = effect_title(effect.kind)  # type: ignore[attr-defined]
    events = list(case_events_reached(case, decisions).select_related("actor").order_by("-at")[:20])
    for event in events:
        event.title_here = event_title(event.code)  # type: ignore[attr-defined]
    deadlines = [
        (deadline, clock_title(deadline.clock), _late_by(deadline))
        for deadline in clocks_reached(case, decisions)
        .select_related("participant", "decision")
        .order_by("status", "due_at")
    ]
    context: dict[str, Any] = {
        "case": case,
        "now": timezone.now(),
        "articles": list(case.articles.all()),
        "participants": list(case.participants.order_by("role", "last_name")),
        "decisions": decisions,
        "effects": effects,
        "deadlines": deadlines,
        "events": events,
        "drafting": drafting_choices(jurisdiction, case),
        "petitions": list(
            case.petitions.select_related("participant", "decided_by").order_by("decided_at", "due_at", "pk")
        ),
        "may_record_petitions": investigating,
        "may_add_participants": investigating and case.status in register.OPEN_STATUSES,
        "participant_form": ParticipantForm(initial={"role": "witness", "citizenship": "KZ"}),
        "may_release": may_act_on_case(jurisdiction, case),
        "restraints": [kind.value for kind in RESTRAINTS],
        "held_awaiting_consent": held_awaiting_consent(decisions),
        "release_form": {"participant": "", "reason": ""},
        "may_resume": case.status == CaseStatus.INTERRUPTED and may_act_on_case(jurisdiction, case),
        "resumption_article": _resumption_article(),
        "left_when_interrupted": _left_when_interrupted(effects),
        # what the resumption would give, for whoever may resume: the end `resume` would compute now
        "end_if_resumed": end_if_resumed(case, rulebook(case.rulebook_version), at=timezone.now())
        if case.status == CaseStatus.INTERRUPTED and may_act_on_case(jurisdiction, case)
        else None,
        "resume_form": {"reason": ""},
        "resume_errors": {},
        "petition_form": {"participant": "", "request": "", "filed_at": ""},
        "answer_form": {"petition": "", "granted": "", "answer": ""},
        "errors": {},
        "may_reassign_investigator": jurisdiction.heads_unit(case.unit_id),
        "may_assign_prosecutor": any(case.supervising_office.path.startswith(p) for p in jurisdiction.senior_paths()),
    }
    if context["may_reassign_investigator"]:
        context["investigators"] = User.objects.filter(
            role_grants__role=Role.INVESTIGATOR, role_grants__organisation=case.unit, is_active=True
        ).order_by("last_name")
    if context["may_assign_prosecutor"]:
        office_ids = RoleGrant.objects.filter(
            role__in=[Role.PROSECUTOR, Role.SENIOR_PROSECUTOR], organisation=case.supervising_office
        ).values("user_id")
        context["prosecutors"] = User.objects.filter(pk__in=office_ids, is_active=True).order_by("last_name")
    context.update(extra)
    return render(request, "register/case_card.html", context, status=status)


def _reader_errors(error: Invalid) -> dict[str, str]:
    return {name: in_reader_language(message) for name, message in error.errors.items()}


@require_POST
def file_petition(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a participant's petition (CPC art. 99) as filed; its clock starts when it was filed."""
    user = signed_in_user(request)
    typed = {name: request.POST.get(name, "") for name in ("participant", "request", "filed_at")}
    try:
        filed_at = _local_moment(typed["filed_at"])
        participant = int(typed["participant"]) if typed["participant"].isdigit() else 0
        with transaction.atomic():
            petition = register.file_petition(
                case_id, actor=user, participant_id=participant, request=typed["request"], filed_at=filed_at
            )
            _log_change(request, user, Operation.COLLECTION, "file_petition", petition.case)
    except Invalid as error:
        case = access_case(user, case_id)
        return _card(request, user, case, status=422, petition_form=typed, errors=_reader_errors(error))
    except (Conflict, Forbidden) as error:
        messages.error(request, error.detail)
        return redirect("register:case_card", case_id=case_id)
    messages.success(request, _("The petition is recorded; its clock runs from when it was filed."))
    return redirect(f"{reverse('register:case_card', kwargs={'case_id': case_id})}#petitions")


@require_POST
def decide_petition(request: HttpRequest, case_id: int, petition_id: int) -> HttpResponse:
    user = signed_in_user(request)
    typed = {"petition": str(petition_id), **{name: request.POST.get(name, "") for name in ("granted", "answer")}}
    try:
        if typed["granted"] not in ("yes", "no"):
            raise Invalid({"granted": "must be one of yes, no"})
        with transaction.atomic():
            petition = register.decide_petition(
                petition_id, actor=user, granted=typed["granted"] == "yes", answer=typed["answer"]
            )
            if petition.case_id != case_id:
                raise NotFound(f"petition {petition_id} not found")
            _log_change(request, user, Operation.ALTERATION, "decide_petition", petition.case)
    except Invalid as error:
        case = access_case(user, case_id)
        if not case.petitions.filter(pk=petition_id).exists():
            raise Http404 from None
        return _card(request, user, case, status=422, answer_form=typed, errors=_reader_errors(error))
    except (Conflict, Forbidden) as error:
        messages.error(request, error.detail)
        return redirect("register:case_card", case_id=case_id)
    messages.success(request, _("The decision on the petition is recorded."))
    return redirect(f"{reverse('register:case_card', kwargs={'case_id': case_id})}#petitions")


def _log_change(request: HttpRequest, user: User, operation: Operation, action: str, case: Case) -> None:
    """The access-log row of a change made through a page, in the change's own transaction (LED art. 25)."""
    record(
        who(request, user),
        operation=operation,
        action=action,
        object_type="case",
        object_id=case.pk,
        object_label=case.erdr_number,
    )


@require_POST
def release_person(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a person's release from detention, house arrest or custody, with its ground."""
    user = signed_in_user(request)
    typed = {name: request.POST.get(name, "") for name in ("participant", "reason")}
    try:
        with transaction.atomic():
            workflow.release_person(
                case_id,
                actor=user,
                participant_id=int(typed["participant"]) if typed["participant"].isdigit() else 0,
                reason=typed["reason"],
            )
            _log_change(request, user, Operation.ALTERATION, "release_person", access_case(user, case_id))
    except Invalid as error:
        case = access_case(user, case_id)
        return _card(request, user, case, status=422, release_form=typed, errors=_reader_errors(error))
    except (Conflict, Forbidden) as error:
        messages.error(request, error.detail)
        return redirect("register:case_card", case_id=case_id)
    messages.success(request, _("The release is recorded; the person's clocks are closed."))
    return redirect("register:case_card", case_id=case_id)


def _late_by(deadline: Deadline) -> str:
    """How long after its limit a clock was closed by its act, as the reader says it ("14 d 12 h")."""
    if deadline.status != DeadlineStatus.LATE or deadline.closed_at is None:
        return ""
    late = deadline.closed_at - deadline.due_at
    hours, seconds = divmod(late.seconds, int(dt.timedelta(hours=1).total_seconds()))
    # The same abbreviations as the countdowns on every page (web/_due.html, "overdue by …").
    parts = []
    if late.days:
        parts.append(f"{late.days} {pgettext('abbreviation of days', 'd')}")
    if hours or late.days:
        parts.append(f"{hours} {pgettext('abbreviation of hours', 'h')}")
    if not late.days:
        parts.append(f"{seconds // 60} {pgettext('abbreviation of minutes', 'min')}")
    return " ".join(parts)


def _left_when_interrupted(effects: list[LegalEffect]) -> str:
    """How much of the term was left when the interruption in force began, as the reader says it."""
    for effect in effects:
        if effect.kind == Effect.TERMS_INTERRUPTED and effect.ended_at is None:
            remaining = effect.data.get("remaining_seconds")
            if remaining is None or float(remaining) <= 0:
                return ""
            left = dt.timedelta(seconds=float(remaining))
            hours = left.seconds // int(dt.timedelta(hours=1).total_seconds())
            # The same abbreviations as the countdowns on every page (web/_due.html).
            return (
                f"{left.days} {pgettext('abbreviation of days', 'd')} {hours} {pgettext('abbreviation of hours', 'h')}"
            )
    return ""


def _resumption_article() -> str:
    source = rulebook_in_force(timezone.now()).resumption_source
    return source.article if source is not None else ""


@require_POST
def resume_terms(request: HttpRequest, case_id: int) -> HttpResponse:
    """Resume the case's interrupted terms, naming the ground that has fallen away."""
    user = signed_in_user(request)
    typed = {"reason": request.POST.get("reason", "")}
    try:
        with transaction.atomic():
            case = workflow.resume_terms(case_id, actor=user, reason=typed["reason"])
            _log_change(request, user, Operation.ALTERATION, "resume_terms", case)
    except Invalid as error:
        case = access_case(user, case_id)
        return _card(request, user, case, status=422, resume_form=typed, resume_errors=_reader_errors(error))
    except (Conflict, Forbidden) as error:
        messages.error(request, error.detail)
        return redirect("register:case_card", case_id=case_id)
    messages.success(request, _("The terms run again; the term of investigation now ends as shown."))
    return redirect("register:case_card", case_id=case_id)


def _local_moment(text: str) -> dt.datetime | None:
    """A `datetime-local` field, in the reader's zone; empty means now."""
    if not text.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid({"filed_at": "must be an ISO 8601 date and time with its offset"}) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@require_POST
def reassign_investigator(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        with transaction.atomic():
            case = register.reassign_investigator(
                case_id, actor=user, investigator_id=int(request.POST.get("investigator", 0))
            )
            _log_change(request, user, Operation.ALTERATION, "reassign_investigator", case)
        messages.success(request, _("The investigator was reassigned."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "detail", _("Choose an investigator of the unit.")))
    return redirect("register:case_card", case_id=case_id)


@require_POST
def assign_prosecutor(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        with transaction.atomic():
            case = register.assign_procedural_prosecutor(
                case_id, actor=user, prosecutor_id=int(request.POST.get("prosecutor", 0))
            )
            _log_change(request, user, Operation.ALTERATION, "assign_procedural_prosecutor", case)
        messages.success(request, _("The procedural prosecutor was assigned."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "detail", _("Choose a prosecutor of the supervising office.")))
    return redirect("register:case_card", case_id=case_id)


# --- registering a report and adding participants -------------------------------------------------------

# The services name fields as the API does; the pages' forms name some of them otherwise.
_FORM_FIELDS = {"unit_id": "unit", "investigator_id": "investigator"}


def _form_errors(form: forms.Form, error: Invalid) -> None:
    for name, message in _reader_errors(error).items():
        if name.startswith("articles["):  # "articles[1]": the second row of the table
            row = name[len("articles[") : -1]
            field = f"article-{row}" if f"article-{row}" in form.fields else None
        else:
            field = _FORM_FIELDS.get(name, name)
        form.add_error(field if field in form.fields else None, message)


@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    """Register a report in the ERDR (CPC art. 179): the investigation starts with its number."""
    user = signed_in_user(request)
    jurisdiction = jurisdiction_of(user)
    headed = jurisdiction.organisations(Role.HEAD_OF_UNIT)
    reach = jurisdiction.organisations(Role.INVESTIGATOR) | headed
    if not reach:
        raise Forbidden(_("Reports are registered by investigators and heads of investigative units."))
    units = [(unit.pk, unit.name(language())) for unit in Organisation.objects.filter(pk__in=reach).order_by("code")]
    investigators = [
        (person.pk, person.full_name())
        for person in User.objects.filter(
            is_active=True, role_grants__role=Role.INVESTIGATOR, role_grants__organisation__in=headed
        )
        .distinct()
        .order_by("last_name", "first_name")
    ]
    initial = {"reported_at": timezone.localtime().strftime(ISO_MINUTE), "form": CaseForm.PRE_TRIAL_INVESTIGATION}
    form = CaseRegistrationForm(units, investigators, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rows = [(data[f"article-{row}"], data[f"part-{row}"], data[f"paragraph-{row}"]) for row in range(ARTICLE_ROWS)]
        try:
            with transaction.atomic():
                case = register.register_case(
                    actor=user,
                    unit_id=data["unit"],
                    form=data["form"],
                    articles=[
                        register.ArticleInput(article.strip(), part, paragraph)
                        for article, part, paragraph in rows
                        if article.strip()
                    ],
                    reported_at=data["reported_at"],
                    summary=data["summary"],
                    investigator_id=data["investigator"] or None,
                )
                _log_change(request, user, Operation.COLLECTION, "create_case", case)
        except Invalid as error:
            _form_errors(form, error)
        except (Conflict, Forbidden, NotFound) as error:
            form.add_error(None, in_reader_language(error.detail))
        else:
            messages.success(request, _("Registered in the ERDR as %(number)s.") % {"number": case.erdr_number})
            return redirect("register:case_card", case_id=case.pk)
    return render(request, "register/new_case.html", {"form": form}, status=422 if form.errors else 200)


@require_POST
def add_participant(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a participant in their procedural role; a suspect or accused comes only by a decision."""
    user = signed_in_user(request)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                participant = register.add_participant(
                    case_id,
                    actor=user,
                    role=data["role"],
                    last_name=data["last_name"],
                    first_name=data["first_name"],
                    patronymic=data["patronymic"],
                    iin=data["iin"].strip() or None,
                    foreign_national=data["foreign_national"],
                    citizenship=data["citizenship"].strip().upper(),
                    birth_date=data["birth_date"],
                    phone=data["phone"],
                    email=data["email"],
                    special_subject=data["special_subject"].strip(),
                )
                _log_change(request, user, Operation.COLLECTION, "add_participant", participant.case)
        except Invalid as error:
            _form_errors(form, error)
        except (Conflict, Forbidden) as error:
            messages.error(request, in_reader_language(error.detail))
            return redirect("register:case_card", case_id=case_id)
        else:
            messages.success(request, _("%(name)s is added to the case.") % {"name": participant.full_name()})
            return redirect(f"{reverse('register:case_card', kwargs={'case_id': case_id})}#participants")
    case = access_case(user, case_id)
    return _card(request, user, case, status=422, participant_form=form)


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """An administrator's emergency read of a case by its ERDR number, with a written reason."""
    user = signed_in_user(request)
    if not jurisdiction_of(user).has(Role.ADMINISTRATOR):
        raise Forbidden(_("Only an administrator reads a case by break-glass."))
    typed = {name: request.POST.get(name, "").strip()[:20_000] for name in ("erdr_number", "reason")}
    if request.method == "GET":
        return render(request, "register/break_glass.html", {"typed": typed, "errors": {}})
    try:
        case = register.break_glass(who(request, user), reason=typed["reason"], erdr_number=typed["erdr_number"][:15])
    except Invalid as error:
        return render(
            request, "register/break_glass.html", {"typed": typed, "errors": _reader_errors(error)}, status=422
        )
    except NotFound:
        errors = {"erdr_number": _("No case has this ERDR number.")}
        return render(request, "register/break_glass.html", {"typed": typed, "errors": errors}, status=404)
    return _card(request, user, case, break_glass=True)
