"""What the role commands share: finding the account and the organisation, and listing the grants."""

from __future__ import annotations

from django.core.management.base import CommandError

from oversight.accounts.models import Organisation, RoleGrant, User


def account(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    return user


def organisation(code: str | None) -> Organisation | None:
    if not code:
        return None
    found = Organisation.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"no organisation with the code {code!r}")
    return found


def grants_of(user: User) -> list[str]:
    """One line per grant: role, organisation code, post."""
    lines = []
    for grant in RoleGrant.objects.filter(user=user).select_related("organisation").order_by("role", "pk"):
        line = f"  {grant.role}"
        if grant.organisation is not None:
            line += f" in {grant.organisation.code} ({grant.organisation.name_en})"
        if grant.post:
            line += f", post: {grant.post}"
        lines.append(line)
    return lines or ["  no roles"]
