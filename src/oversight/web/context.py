"""What every page shows in its frame: the rulebook in force and the navigation the user's roles open."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import User
from oversight.law import rulebook_in_force
from oversight.law.roles import INVESTIGATIVE_ROLES, PROSECUTORIAL_ROLES, Role


def frame(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {"rulebook": rulebook_in_force(timezone.now())}
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return context
    roles = jurisdiction_of(user).roles
    links: list[tuple[str, str]] = []
    if roles & (INVESTIGATIVE_ROLES | PROSECUTORIAL_ROLES | {Role.INVESTIGATING_JUDGE}):
        links.append((reverse("register:case_list"), _("Cases")))
    if roles & PROSECUTORIAL_ROLES:
        links.append((reverse("decisions:queue"), _("Review queue")))
        links.append((reverse("monitoring:findings"), _("Violations")))
    if Role.INVESTIGATING_JUDGE in roles:
        links.append((reverse("decisions:queue"), _("Petitions")))
    if roles & {Role.SENIOR_PROSECUTOR, Role.HEAD_OF_UNIT}:
        links.append((reverse("web:supervision"), _("Supervision")))
    if Role.ADMINISTRATOR in roles:
        links.append((reverse("web:account_list"), _("Accounts")))
        links.append((reverse("register:break_glass"), _("Emergency read")))
    if Role.AUDITOR in roles:
        links.append((reverse("audit:access_log"), _("Access log")))
    context["navigation"] = list(dict.fromkeys(links))
    return context
