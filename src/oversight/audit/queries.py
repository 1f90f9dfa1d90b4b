"""Who must hear of an emergency read of a case."""

from __future__ import annotations

from django.db.models import Q

from oversight.accounts.models import Organisation, User
from oversight.law.roles import Role


def senior_prosecutors_over(office: Organisation) -> list[User]:
    """Active senior prosecutors of the office and of every office above it."""
    ancestors = _prefixes(office.path)
    return list(
        User.objects.filter(
            Q(role_grants__role=Role.SENIOR_PROSECUTOR) & Q(role_grants__organisation__path__in=ancestors),
            is_active=True,
        ).distinct()
    )


def _prefixes(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: index + 1]) + "/" for index in range(len(parts))]
