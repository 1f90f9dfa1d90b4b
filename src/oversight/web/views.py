"""The browser's entry: what the system is, each user's work at a glance, supervision, language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import Organisation, OrganisationKind, User
from oversight.audit.models import Alert, Operation
from oversight.audit.services import record, who
from oversight.decisions.models import Decision, DecisionEvent
from oversight.decisions.presentation import decision_type_of, language, type_title
from oversight.decisions.states import State
from oversight.law.roles import Role
from oversight.register.models import Case
from oversight.web.pages import signed_in_user

PAGE = 10
# What awaits an office's own prosecutors (their review queues): a review, or filing an agreed petition.
OFFICE_BACKLOG = [State.SUBMITTED, State.AGREED]
# What an investigator's decisions wait on from the prosecutor's side (a petition with the judge is not).
AWAITING_PROSECUTOR = [State.SUBMITTED, State.AWAITING_CONSENT, State.AGREED]
RATE_WINDOW = dt.timedelta(days=90)  # how far back refusal and return rates look (a reporting choice, not law)


@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context: dict[str, Any] = {"now": now}
    user = request.user
    # A password an administrator gave opens what the system is, and the way to one's own password.
    context["own_password_needed"] = isinstance(user, User) and user.is_authenticated and user.must_change_password
    if isinstance(user, User) and user.is_authenticated and not user.must_change_password:
        jurisdiction = jurisdiction_of(user)
        with transaction.atomic():
            queue = Decision.objects.review_queue(user)
            waiting = list(queue[:PAGE])
            mine = list(
                Decision.objects.visible_to(user)
                .filter(drafted_by=user, state__in=[State.DRAFT, State.RETURNED, State.REFUSED])
                .select_related("case", "subject")
                .order_by("-updated_at")[:PAGE]
            )
            cases = list(
                Case.objects.visible_to(user).select_related("unit", "investigator").order_by("-registered_at")[:PAGE]
            )
            headed = jurisdiction.organisations(Role.HEAD_OF_UNIT)
            unit_setbacks = (  # what the head of unit's investigators must rework or answer for
                list(
                    Decision.objects.visible_to(user)
                    .filter(case__unit_id__in=headed, state__in=[State.RETURNED, State.REFUSED])
                    .exclude(drafted_by=user)
                    .select_related("case", "subject", "drafted_by")
                    .order_by("-updated_at")[:PAGE]
                )
                if headed
                else []
            )
            if (
                cases or waiting or mine or unit_setbacks
            ):  # a look at case data is logged (LED art. 25), in the same transaction
                record(
                    who(request, user),
                    operation=Operation.CONSULTATION,
                    action="home",
                    object_type="case",
                    detail={
                        "cases": [case.erdr_number for case in cases],
                        "queue": [d.pk for d in waiting],
                        "unit": [d.pk for d in unit_setbacks],
                    },
                )
        context.update(
            alerts=list(
                Alert.objects.filter(recipient=user, read_at__isnull=True)
                .select_related("entry", "entry__user")
                .order_by("-created_at")[:PAGE]
            ),
            grants=user.role_grants.select_related("organisation").order_by("role"),
            queue=[(d, type_title(decision_type_of(d))) for d in waiting],
            queue_count=queue.count(),
            mine=[(d, type_title(decision_type_of(d))) for d in mine],
            unit_setbacks=[(d, type_title(decision_type_of(d))) for d in unit_setbacks],
            cases=cases,
            supervises=bool(jurisdiction.roles & {Role.SENIOR_PROSECUTOR, Role.HEAD_OF_UNIT}),
        )
    return render(request, "web/home.html", context)


def _office_rows(user: User, offices: list[Organisation], now: dt.datetime) -> list[dict[str, Any]]:
    """Per office: the queue, what is overdue, refusal and return rates, the oldest waiting decisions."""
    ids = [office.pk for office in offices]
    supervised = Decision.objects.visible_to(user).filter(case__supervising_office_id__in=ids)
    waiting = supervised.filter(state__in=OFFICE_BACKLOG)
    counts = {
        row["case__supervising_office_id"]: row
        for row in waiting.values("case__supervising_office_id").annotate(
            size=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)), oldest=Min("submitted_at")
        )
    }
    reviews = {
        row["case__supervising_office_id"]: row
        for row in DecisionEvent.objects.filter(
            decision__in=supervised,
            at__gte=now - RATE_WINDOW,
            code__in=["decision.agreed", "decision.refused", "decision.returned"],
        )
        .values("case__supervising_office_id")
        .annotate(
            total=Count("id"),
            refused=Count("id", filter=Q(code="decision.refused")),
            returned=Count("id", filter=Q(code="decision.returned")),
        )
    }
    rows = []
    for office in offices:
        count: dict[str, Any] = dict(counts.get(office.pk, {}))
        review: dict[str, int] = {
            key: int(str(value or 0))
            for key, value in reviews.get(office.pk, {}).items()
            if key != "case__supervising_office_id"
        }
        total = review.get("total", 0)
        rows.append(
            {
                "office": office,
                "size": count.get("size", 0),
                "overdue": count.get("overdue", 0),
                "oldest": count.get("oldest"),
                "reviewed": total,
                "refusal_rate": round(100 * review.get("refused", 0) / total) if total else None,
                "return_rate": round(100 * review.get("returned", 0) / total) if total else None,
            }
        )
    return rows


@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """Senior prosecutors see the offices below them; heads of unit see their unit's investigators."""
    user = signed_in_user(request)
    now = timezone.now()
    jurisdiction = jurisdiction_of(user)
    offices = (
        list(
            Organisation.objects.filter(
                Q(kind=OrganisationKind.PROSECUTOR_OFFICE)
                & Q(*[Q(path__startswith=path) for path in jurisdiction.senior_paths()], _connector=Q.OR)
            ).order_by("path")
        )
        if jurisdiction.senior_paths()
        else []
    )
    oldest = (
        list(
            Decision.objects.visible_to(user)
            .filter(case__supervising_office__in=offices, state__in=OFFICE_BACKLOG)
            .select_related("case", "case__supervising_office", "subject")
            .order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")[:10]
        )
        if offices
        else []
    )
    units = list(Organisation.objects.filter(pk__in=jurisdiction.organisations(Role.HEAD_OF_UNIT)))
    investigators = []
    if units:
        # Counted over the head's units, and through the visibility function: one who also works in
        # another unit has cases and drafts there that are none of this reader's business here.
        cases = Q(investigated_cases__unit__in=units, investigated_cases__in=Case.objects.visible_to(user).values("pk"))
        drafts = Q(
            drafted_decisions__case__unit__in=units,
            drafted_decisions__in=Decision.objects.visible_to(user).values("pk"),
        )
        investigators = list(
            User.objects.filter(role_grants__role=Role.INVESTIGATOR, role_grants__organisation__in=units)
            .annotate(
                open_cases=Count(
                    "investigated_cases",
                    filter=cases & Q(investigated_cases__status__in=["under_investigation", "interrupted"]),
                    distinct=True,
                ),
                waiting=Count(
                    "drafted_decisions",
                    filter=drafts & Q(drafted_decisions__state__in=AWAITING_PROSECUTOR),
                    distinct=True,
                ),
                returned=Count(
                    "drafted_decisions", filter=drafts & Q(drafted_decisions__state=State.RETURNED), distinct=True
                ),
                refused=Count(
                    "drafted_decisions", filter=drafts & Q(drafted_decisions__state=State.REFUSED), distinct=True
                ),
            )
            .order_by("last_name")
        )
    with transaction.atomic():
        record(
            who(request, user),
            operation=Operation.CONSULTATION,
            action="supervision",
            object_type="office",
            detail={"offices": [office.code for office in offices], "units": [unit.code for unit in units]},
        )
    return render(
        request,
        "web/supervision.html",
        {
            "rows": _office_rows(user, offices, now),
            "oldest": [(d, type_title(decision_type_of(d))) for d in oldest],
            "units": units,
            "investigators": investigators,
            "now": now,
            "language": language(),
        },
    )


@require_POST
def acknowledge_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The recipient marks an alert as read; it stays in the access log."""
    user = signed_in_user(request)
    Alert.objects.filter(pk=alert_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    return HttpResponseRedirect("/")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a signed-in user's choice is remembered on their account."""
    chosen = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if chosen not in {code for code, _ in settings.LANGUAGES}:
        return response
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        User.objects.filter(pk=user.pk).update(preferred_language=chosen)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
