"""The browser's entry: what the system is, sign-in, and the signed-in user's work at a glance."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oversight.accounts.models import User
from oversight.audit.models import Operation
from oversight.audit.services import record, who
from oversight.decisions.models import Decision
from oversight.law import rulebook_in_force
from oversight.register.models import Case

PAGE = 25


@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context: dict[str, object] = {"rulebook": rulebook_in_force(now), "now": now}
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        with transaction.atomic():
            queue = Decision.objects.review_queue(user)
            waiting = list(queue[:PAGE])
            cases = list(
                Case.objects.visible_to(user).select_related("unit", "investigator").order_by("-registered_at")[:PAGE]
            )
            if cases or waiting:  # a look at case data is logged (LED art. 25), in the same transaction
                record(
                    who(request, user),
                    operation=Operation.CONSULTATION,
                    action="home",
                    object_type="case",
                    detail={"cases": [case.erdr_number for case in cases], "queue": [d.pk for d in waiting]},
                )
            context.update(
                grants=user.role_grants.select_related("organisation").order_by("role"),
                queue=waiting,
                queue_count=queue.count(),
                cases=cases,
            )
    return render(request, "web/home.html", context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
