"""The legality monitor's pages: the prosecutor's findings, one finding with its answer, the roll-up.

Thin: read through `Finding.objects.visible_to` (out of reach is a 404, as for a missing finding),
log the look, call one service, render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import Organisation, User
from oversight.audit.models import Operation
from oversight.audit.services import record, who
from oversight.decisions.messages import in_reader_language
from oversight.decisions.presentation import language
from oversight.kit.errors import Conflict, Forbidden, Invalid
from oversight.law.citations import cite
from oversight.law.roles import PROSECUTORIAL_ROLES
from oversight.law.violations import BY_CODE, RULES, Severity
from oversight.monitoring import services
from oversight.monitoring.models import ACTIVE, Finding, FindingQuerySet, FindingStatus, Response
from oversight.monitoring.presentation import SEVERITY_TITLES, explain, rule_title
from oversight.web.pages import signed_in_user

PAGE = 50
STATUS_FILTERS = {
    "active": ACTIVE,
    **{status.value: [status] for status in FindingStatus},
}
STATUS_FILTER_TITLES = {"active": gettext_lazy("open or acknowledged"), **dict(FindingStatus.choices)}


def _prosecutor(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not jurisdiction_of(user).roles & PROSECUTORIAL_ROLES:
        raise Forbidden(_("The legality monitor answers to prosecutors."))
    return user


def _findings(user: User) -> FindingQuerySet:
    return Finding.objects.visible_to(user).select_related(
        "case", "unit", "office", "escalated_to", "decision", "participant"
    )


@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    user = _prosecutor(request)
    status = request.GET.get("status", "active")
    rule = request.GET.get("rule", "")
    severity = request.GET.get("severity", "")
    erdr = request.GET.get("erdr", "").strip()[:15]
    chosen = _findings(user).filter(status__in=STATUS_FILTERS.get(status, ACTIVE))
    if rule in {r.code for r in RULES}:
        chosen = chosen.filter(rule=rule)
    if severity in Severity.__members__.values():
        chosen = chosen.filter(severity=severity)
    if erdr:
        chosen = chosen.filter(case__erdr_number__startswith=erdr)
    place = {name: request.GET.get(name, "") for name in ("office", "body", "unit")}
    if place["office"].isdigit():
        chosen = chosen.filter(office_id=int(place["office"]))
    if place["body"].isdigit():
        chosen = chosen.filter(case__body_id=int(place["body"]))
    if place["unit"].isdigit():
        chosen = chosen.filter(Q(unit_id=int(place["unit"])) | Q(case__unit_id=int(place["unit"])))
    page = Paginator(chosen.gravest_first(), PAGE).get_page(request.GET.get("page"))
    with transaction.atomic():
        if page.object_list:
            record(
                who(request, user),
                operation=Operation.CONSULTATION,
                action="findings",
                object_type="finding",
                detail={"findings": [finding.pk for finding in page.object_list]},
            )
    return render(
        request,
        "monitoring/findings.html",
        {
            "page": page,
            "explained": [explain(finding) for finding in page.object_list],
            "rules": [(r.code, rule_title(r.code)) for r in RULES],
            "severities": [(s.value, SEVERITY_TITLES[s]) for s in Severity],
            "statuses": list(STATUS_FILTER_TITLES.items()),
            "status": status if status in STATUS_FILTERS else "active",
            "rule": rule,
            "severity": severity,
            "erdr": erdr,
            "place": {name: value for name, value in place.items() if value.isdigit()},
            "senior": bool(jurisdiction_of(user).senior_paths()),
        },
    )


def _finding_page(request: HttpRequest, user: User, finding: Finding, status: int = 200, **extra: Any) -> HttpResponse:
    context: dict[str, Any] = {
        "item": explain(finding),
        "responses": Response.choices,
        "answerable": finding.status in ACTIVE,
        "now": timezone.now(),
        "form": {"response": "", "note": "", "reason": ""},
        "errors": {},
    }
    context.update(extra)
    return render(request, "monitoring/finding.html", context, status=status)


def _visible(user: User, finding_id: int) -> Finding:
    finding = _findings(user).filter(pk=finding_id).first()
    if finding is None:
        raise Http404
    return finding


@require_GET
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    user = _prosecutor(request)
    with transaction.atomic():
        finding = _visible(user, finding_id)
        record(
            who(request, user),
            operation=Operation.CONSULTATION,
            action="finding",
            object_type="finding",
            object_id=finding.pk,
            object_label=finding.case.erdr_number if finding.case else "",
        )
    return _finding_page(request, user, finding)


Answer = Callable[[int, User, HttpRequest], Finding]
ANSWERS: dict[str, Answer] = {
    "acknowledge": lambda pk, user, request: services.acknowledge_finding(pk, actor=user),
    "resolve": lambda pk, user, request: services.resolve_finding(
        pk, actor=user, response=request.POST.get("response", ""), note=request.POST.get("note", "")
    ),
    "dismiss": lambda pk, user, request: services.dismiss_finding(
        pk, actor=user, reason=request.POST.get("reason", "")
    ),
}
DONE = {
    "acknowledge": gettext_lazy("Acknowledged: the finding is yours to answer."),
    "resolve": gettext_lazy("Resolved by the act of response you recorded."),
    "dismiss": gettext_lazy("Dismissed, with your reason."),
}


@require_POST
def answer(request: HttpRequest, finding_id: int, action: str) -> HttpResponse:
    """Acknowledge, resolve (with the act of response) or dismiss (with a reason) a finding."""
    if action not in ANSWERS:
        raise Http404
    user = _prosecutor(request)
    try:
        with transaction.atomic():
            finding = ANSWERS[action](finding_id, user, request)
            record(
                who(request, user),
                operation=Operation.ALTERATION,
                action=f"finding_{action}",
                object_type="finding",
                object_id=finding.pk,
                object_label=finding.case.erdr_number if finding.case else "",
            )
    except Invalid as error:
        finding = _visible(user, finding_id)
        typed = {name: request.POST.get(name, "") for name in ("response", "note", "reason")}
        errors = {name: in_reader_language(message) for name, message in error.errors.items()}
        return _finding_page(request, user, finding, status=422, form=typed, errors=errors, failed=action)
    except (Conflict, Forbidden) as error:
        messages.error(request, error.detail)
        return redirect("monitoring:finding", finding_id=finding_id)
    messages.success(request, DONE[action])
    return redirect("monitoring:finding", finding_id=finding.pk)


@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    """For senior prosecutors: findings below them by office, body, unit and rule."""
    user = _prosecutor(request)
    if not jurisdiction_of(user).senior_paths():
        raise Forbidden(_("The roll-up is for senior prosecutors."))
    reach = Finding.objects.visible_to(user).annotate(unit_or_case_unit=Coalesce("unit_id", "case__unit_id"))
    measures = {
        "open": Count("id", filter=Q(status=FindingStatus.OPEN)),
        "acknowledged": Count("id", filter=Q(status=FindingStatus.ACKNOWLEDGED)),
        "escalated": Count("id", filter=Q(status__in=ACTIVE, escalated_at__isnull=False)),
        "critical": Count("id", filter=Q(status__in=ACTIVE, severity=Severity.CRITICAL.value)),
        "closed": Count("id", filter=Q(status__in=[FindingStatus.RESOLVED, FindingStatus.DISMISSED])),
    }

    def grouped(field: str) -> list[dict[str, Any]]:
        rows = list(reach.values(field).annotate(**measures).order_by("-open", field))
        return [row for row in rows if row[field] is not None]

    offices, bodies, units = grouped("office_id"), grouped("case__body_id"), grouped("unit_or_case_unit")
    names = {
        organisation.pk: organisation
        for organisation in Organisation.objects.filter(
            pk__in={row["office_id"] for row in offices}
            | {row["case__body_id"] for row in bodies}
            | {row["unit_or_case_unit"] for row in units}
        )
    }
    rules = grouped("rule")
    with transaction.atomic():
        record(who(request, user), operation=Operation.CONSULTATION, action="findings_rollup", object_type="finding")
    return render(
        request,
        "monitoring/rollup.html",
        {
            "groups": [
                (
                    _("By office"),
                    _("Office"),
                    "offices",
                    [(names.get(row["office_id"]), "", f"office={row['office_id']}", row) for row in offices],
                ),
                (
                    _("By investigation body"),
                    _("Investigation body"),
                    "bodies",
                    [(names.get(row["case__body_id"]), "", f"body={row['case__body_id']}", row) for row in bodies],
                ),
                (
                    _("By unit"),
                    _("Unit"),
                    "units",
                    [
                        (names.get(row["unit_or_case_unit"]), "", f"unit={row['unit_or_case_unit']}", row)
                        for row in units
                    ],
                ),
                (
                    _("By rule"),
                    _("Rule"),
                    "rules",
                    [
                        (
                            rule_title(row["rule"]),
                            cite(BY_CODE[row["rule"]].source.article, language()),
                            f"rule={row['rule']}",
                            row,
                        )
                        for row in rules
                        if row["rule"] in BY_CODE
                    ],
                ),
            ],
        },
    )
