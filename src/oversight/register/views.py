"""Case pages: the list within the user's reach and the case card. Thin: read, log the look, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import RoleGrant, User
from oversight.audit.models import Operation
from oversight.audit.services import record, who
from oversight.decisions.models import Decision
from oversight.decisions.presentation import (
    clock_title,
    decision_type_of,
    drafting_choices,
    effect_title,
    event_title,
    type_title,
)
from oversight.kit.errors import DomainError
from oversight.law import rulebook_in_force
from oversight.law.roles import Role
from oversight.register import services as register
from oversight.register.access import access_case
from oversight.register.models import Case, CaseEvent, CaseStatus
from oversight.web.pages import signed_in_user

PAGE = 50


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
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
    jurisdiction = jurisdiction_of(user)
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(case=case)
        .select_related("subject", "drafted_by")
        .order_by("-drafted_at", "-pk")
    )
    for decision in decisions:
        decision.title_here = type_title(decision_type_of(decision))  # type: ignore[attr-defined]
    effects = list(case.legal_effects.select_related("participant", "decision").order_by("-started_at"))
    for effect in effects:
        effect.title_here = effect_title(effect.kind)  # type: ignore[attr-defined]
    events = list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at")[:20])
    for event in events:
        event.title_here = event_title(event.code)  # type: ignore[attr-defined]
    deadlines = [
        (deadline, clock_title(deadline.clock))
        for deadline in case.deadlines.select_related("participant", "decision").order_by("status", "due_at")
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
        "drafting": drafting_choices(jurisdiction, case, rulebook_in_force(case.updated_at)),
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
    return render(request, "register/case_card.html", context)


@require_POST
def reassign_investigator(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        register.reassign_investigator(case_id, actor=user, investigator_id=int(request.POST.get("investigator", 0)))
        messages.success(request, _("The investigator was reassigned."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "detail", _("Choose an investigator of the unit.")))
    return redirect("register:case_card", case_id=case_id)


@require_POST
def assign_prosecutor(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        register.assign_procedural_prosecutor(case_id, actor=user, prosecutor_id=int(request.POST.get("prosecutor", 0)))
        messages.success(request, _("The procedural prosecutor was assigned."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "detail", _("Choose a prosecutor of the supervising office.")))
    return redirect("register:case_card", case_id=case_id)
