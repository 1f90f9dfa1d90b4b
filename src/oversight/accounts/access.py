"""What a user's role grants reach: the one place that turns roles into jurisdiction.

Every domain app's `visible_to(user)` and every authority check in a service starts here, so that a
change of role or office takes effect on the very next request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from oversight.accounts.models import Organisation, User
from oversight.kit import rows
from oversight.law.roles import CONSENTING_POSTS, OfficeLevel, Post, Role


@dataclass(frozen=True)
class Grant:
    role: Role
    organisation_id: int | None
    path: str
    level: OfficeLevel | None
    post: Post = Post.NONE


@dataclass(frozen=True)
class Jurisdiction:
    user_id: int
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.grants)

    def has(self, role: Role) -> bool:
        return role in self.roles

    def only(self, *roles: Role) -> Jurisdiction:
        """The part of this jurisdiction that comes from `roles`."""
        return Jurisdiction(self.user_id, tuple(g for g in self.grants if g.role in roles))

    def organisations(self, role: Role) -> frozenset[int]:
        return frozenset(g.organisation_id for g in self.grants if g.role is role and g.organisation_id)

    def senior_paths(self) -> tuple[str, ...]:
        return tuple(g.path for g in self.grants if g.role is Role.SENIOR_PROSECUTOR and g.path)

    def prosecutor_level_over(self, office: Organisation) -> OfficeLevel | None:
        """The highest level from which the user acts as prosecutor over `office`, or None."""
        levels = [
            grant.level
            for grant in self.grants
            if grant.level is not None
            and (
                (grant.role is Role.PROSECUTOR and grant.organisation_id == office.pk)
                or (grant.role is Role.SENIOR_PROSECUTOR and office.path.startswith(grant.path))
            )
        ]
        return max(levels, key=lambda level: level.rank) if levels else None

    def supervises(self, office: Organisation) -> bool:
        return self.prosecutor_level_over(office) is not None

    def consent_grant(self) -> Grant | None:
        """The grant by which the user consents to decisions about special subjects, if any: the General
        Prosecutor or the First Deputy, senior prosecutors of the General Prosecutor's Office."""
        return next(
            (
                g
                for g in self.grants
                if g.role is Role.SENIOR_PROSECUTOR and g.level is OfficeLevel.GENERAL and g.post in CONSENTING_POSTS
            ),
            None,
        )

    def may_consent_for_special_subjects(self) -> bool:
        return self.consent_grant() is not None

    def heads_unit(self, unit_id: int) -> bool:
        return unit_id in self.organisations(Role.HEAD_OF_UNIT)

    def investigates_in(self, unit_id: int) -> bool:
        return unit_id in self.organisations(Role.INVESTIGATOR)

    def sits_in(self, court_id: int) -> bool:
        return court_id in self.organisations(Role.INVESTIGATING_JUDGE)


NOBODY = Jurisdiction(user_id=0, grants=())


_REQUEST_SCOPE: ContextVar[dict[int, Jurisdiction] | None] = ContextVar("jurisdictions", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Within one request, read each user's grants once; the next request reads them afresh."""
    token = _REQUEST_SCOPE.set({})
    try:
        yield
    finally:
        _REQUEST_SCOPE.reset(token)


def jurisdiction_of(user: User | None, *, lock: bool = False) -> Jurisdiction:
    """The user's grants. Inactive and anonymous users reach nothing.

    Outside a request scope the grants are read afresh on every call. `lock` (inside a
    transaction) locks the grant rows until it commits, so a revocation running at the same time
    waits: an approval commits before the revocation or not at all (CJIS CC-4).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    scope = _REQUEST_SCOPE.get()
    if scope is not None:
        found = None if lock else scope.get(user.pk)
        if found is None:
            found = scope[user.pk] = _read_grants(user, lock=lock)
        return found
    return _read_grants(user, lock=lock)


GRANTS = """
    SELECT g.role, g.organisation_id, o.path, o.office_level, g.post
    FROM accounts_rolegrant g LEFT JOIN accounts_organisation o ON o.id = g.organisation_id
    WHERE g.user_id = %s
    ORDER BY g.id
"""
# Held until the transaction ends: a revocation (a DELETE) waits; other readers do not.
GRANTS_UNDER_LOCK = GRANTS + "FOR KEY SHARE OF g"


def _read_grants(user: User, *, lock: bool) -> Jurisdiction:
    """The grants, in one plain statement: every verb of every service reads them first."""
    with connection.cursor() as cursor:
        cursor.execute(GRANTS_UNDER_LOCK if lock else GRANTS, [user.pk])
        rows = cursor.fetchall()
    grants = tuple(
        Grant(
            role=Role(role),
            organisation_id=organisation_id,
            path=path or "",
            level=OfficeLevel(level) if level else None,
            post=Post(post),
        )
        for role, organisation_id, path, level, post in rows
    )
    return Jurisdiction(user_id=user.pk, grants=grants)


@functools.lru_cache(maxsize=4096)
def reach_sql(
    within: Callable[[Jurisdiction], QuerySet[Any]], jurisdiction: Jurisdiction
) -> tuple[str, tuple[Any, ...]] | None:
    """The ids a visibility filter (`Model.objects.within`) lets `jurisdiction` reach, as SQL to use as a
    subquery: the filter itself, compiled once per jurisdiction instead of on every locked fetch.

    A jurisdiction is every input the filter has (the user and each grant's role, office and path),
    so a changed grant is a different key and is compiled afresh. None: it reaches nothing.
    """
    return rows.compiled(within(jurisdiction).order_by().values("pk"))
