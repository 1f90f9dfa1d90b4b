"""The monitor's findings where other pages show them: on the case card, and on a prosecutor's home page."""

from __future__ import annotations

from typing import Any

from django import template

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import User
from oversight.law.roles import PROSECUTORIAL_ROLES
from oversight.monitoring.models import ACTIVE, Finding
from oversight.monitoring.presentation import explain

register = template.Library()
SHOWN = 5


def _reach(user: Any) -> Any:
    if not isinstance(user, User) or not jurisdiction_of(user).roles & PROSECUTORIAL_ROLES:
        return None
    return Finding.objects.visible_to(user).select_related("case", "unit", "escalated_to")


@register.inclusion_tag("monitoring/_case_findings.html")
def case_findings(user: Any, case_id: int) -> dict[str, Any]:
    """The findings on one case, for a prosecutor who supervises it (others see no section)."""
    reach = _reach(user)
    if reach is None:
        return {"shown": False}
    found = list(reach.filter(case_id=case_id).order_by("-occurred_at", "-pk")[:50])
    return {"shown": True, "explained": [explain(finding) for finding in found]}


@register.inclusion_tag("monitoring/_home_findings.html")
def home_findings(user: Any) -> dict[str, Any]:
    """A prosecutor's open findings, the gravest first."""
    reach = _reach(user)
    if reach is None:
        return {"shown": False}
    active = reach.filter(status__in=ACTIVE)
    gravest = list(active.gravest_first()[:SHOWN])
    return {"shown": True, "count": active.count(), "explained": [explain(finding) for finding in gravest]}
