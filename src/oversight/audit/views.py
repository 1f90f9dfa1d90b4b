"""The access log in the browser, for auditors: who read or changed which object, when and in which role.

Reading the log is itself an entry (operation `audit_read`), written in the same transaction as the read.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oversight.accounts.access import jurisdiction_of
from oversight.audit.models import AccessLogEntry, Operation, Outcome
from oversight.audit.services import record, who
from oversight.kit.errors import Forbidden
from oversight.law.roles import Role
from oversight.web.pages import signed_in_user

PAGE = 50


@never_cache
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not jurisdiction_of(user).has(Role.AUDITOR):
        raise Forbidden(_("The access log is read by auditors."))
    chosen = {name: request.GET.get(name, "").strip()[:150] for name in ("username", "object", "since", "outcome")}
    errors: dict[str, str] = {}
    entries = AccessLogEntry.objects.select_related("organisation")
    if chosen["username"]:
        entries = entries.filter(username=chosen["username"])
    if chosen["object"]:  # a case's ERDR number, or an object's id
        entries = entries.filter(Q(object_label=chosen["object"]) | Q(object_id=chosen["object"]))
    if chosen["outcome"] in Outcome.values:
        entries = entries.filter(outcome=chosen["outcome"])
    if chosen["since"]:
        try:
            since = dt.date.fromisoformat(chosen["since"])
        except ValueError:
            errors["since"] = _("Enter a date as YYYY-MM-DD.")
        else:
            midnight = dt.datetime.combine(since, dt.time(), tzinfo=timezone.get_current_timezone())
            entries = entries.filter(at__gte=midnight)
    page = Paginator(entries.order_by("-at", "-pk"), PAGE).get_page(request.GET.get("page"))
    with transaction.atomic():
        record(
            who(request, user),
            operation=Operation.AUDIT_READ,
            action="access_log",
            object_type="access_log",
            detail={"filters": {name: value for name, value in chosen.items() if value}, "page": page.number},
        )
    return render(
        request,
        "audit/access_log.html",
        {
            "page": page,
            "chosen": chosen,
            "errors": errors,
            "outcomes": Outcome.choices,
        },
        status=422 if errors else 200,
    )
