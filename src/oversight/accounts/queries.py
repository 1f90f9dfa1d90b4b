"""The administrator's read side: the accounts, the organisations a role is granted in, and what was
done to an account."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from oversight.accounts.models import Organisation, OrganisationKind, RoleGrant, User
from oversight.audit.models import AccessLogEntry, Operation

# What the list filters an account by; the first is the default.
STATES = ("all", "active", "disabled", "locked", "first_password")


def accounts(search: str = "", state: str = "all") -> QuerySet[User]:
    """Every account, with its grants, matching `search` (a part of the username or of the name) and
    `state`: disabled, locked after failed sign-ins, or still on the password an administrator gave."""
    found = User.objects.prefetch_related(
        Prefetch(
            "role_grants",
            queryset=RoleGrant.objects.select_related("organisation").order_by("role", "pk"),
        )
    )
    for word in search.split()[:5]:
        found = found.filter(
            Q(username__icontains=word)
            | Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
        )
    if state == "active":
        found = found.filter(is_active=True, locked_at__isnull=True)
    elif state == "disabled":
        found = found.filter(is_active=False)
    elif state == "locked":
        found = found.filter(locked_at__isnull=False)
    elif state == "first_password":
        found = found.filter(must_change_password=True)
    return found.order_by("last_name", "first_name", "username")


# The organisations in which roles are held, in the order the grant form offers them.
GRANTING_KINDS = (OrganisationKind.PROSECUTOR_OFFICE, OrganisationKind.INVESTIGATIVE_UNIT, OrganisationKind.COURT)


def organisations_for_grants() -> dict[str, list[Organisation]]:
    """Prosecutor's offices, investigative units and courts, each kind in the tree's order."""
    grouped: dict[str, list[Organisation]] = {kind.value: [] for kind in GRANTING_KINDS}
    for organisation in Organisation.objects.filter(kind__in=grouped).order_by("path"):
        grouped[organisation.kind].append(organisation)
    return grouped


def account_history(user: User, limit: int = 30) -> list[AccessLogEntry]:
    """The latest acts on the account (created, roles granted and removed, disabled, locked, unlocked,
    sign-in reset, password changed), newest first, from the access log."""
    return list(
        AccessLogEntry.objects.filter(operation=Operation.ACCOUNT, object_type="user", object_id=str(user.pk))
        .select_related("organisation")
        .order_by("-at", "-pk")[:limit]
    )
