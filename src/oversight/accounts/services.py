"""Writes on organisations, users, roles and tokens."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from oversight.accounts.models import (
    ROLE_NAMES,
    ApiToken,
    Organisation,
    OrganisationKind,
    Region,
    RoleGrant,
    User,
)
from oversight.kit import rows
from oversight.kit.errors import Invalid
from oversight.law.roles import OfficeLevel, Post, Role

TOKEN_PREFIX = "ovs_"  # noqa: S105 - a visible marker of our tokens, not a secret

_ROLE_ORGANISATION = {
    Role.INVESTIGATOR: OrganisationKind.INVESTIGATIVE_UNIT,
    Role.HEAD_OF_UNIT: OrganisationKind.INVESTIGATIVE_UNIT,
    Role.PROSECUTOR: OrganisationKind.PROSECUTOR_OFFICE,
    Role.SENIOR_PROSECUTOR: OrganisationKind.PROSECUTOR_OFFICE,
    Role.INVESTIGATING_JUDGE: OrganisationKind.COURT,
}


@transaction.atomic
def create_organisation(
    *,
    kind: OrganisationKind,
    code: str,
    names: tuple[str, str, str],
    parent: Organisation | None = None,
    region: Region | None = None,
    office_level: OfficeLevel | None = None,
    body_kind: str = "",
    unit_code: str = "",
    supervising_office: Organisation | None = None,
    investigating_court: Organisation | None = None,
) -> Organisation:
    """Create one node; its path extends its parent's. Idempotent on `code` for seeding."""
    existing = Organisation.objects.filter(code=code).first()
    if existing is not None:
        return existing
    if supervising_office is not None and supervising_office.kind != OrganisationKind.PROSECUTOR_OFFICE:
        raise Invalid({"supervising_office": "must be a prosecutor's office"})
    path = (parent.path if parent else "/") + code + "/"
    name_en, name_ru, name_kk = names
    return Organisation.objects.create(
        kind=kind,
        code=code,
        name_en=name_en,
        name_ru=name_ru,
        name_kk=name_kk,
        parent=parent,
        path=path,
        region=region or (parent.region if parent else None),
        office_level=office_level.value if office_level else "",
        body_kind=body_kind,
        unit_code=unit_code,
        supervising_office=supervising_office,
        investigating_court=investigating_court,
    )


@transaction.atomic
def grant_role(user: User, role: Role, organisation: Organisation | None, *, post: Post | None = None) -> RoleGrant:
    """Grant `role` in `organisation`; `post` sets the grant's post (None keeps the one it has, if any)."""
    expected = _ROLE_ORGANISATION.get(role)
    if expected is not None and (organisation is None or organisation.kind != expected):
        raise Invalid(
            {
                "organisation": gettext("The role %(role)s is held in an organisation of the kind: %(kind)s.")
                % {"role": ROLE_NAMES[role], "kind": expected.label}
            }
        )
    if post not in (None, Post.NONE) and (
        role is not Role.SENIOR_PROSECUTOR or organisation is None or organisation.office_level != OfficeLevel.GENERAL
    ):
        raise Invalid({"post": gettext("Only a senior prosecutor of the General Prosecutor's Office holds a post.")})
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role.value, organisation=organisation)
    if post is not None and grant.post != post.value:
        grant.post = post.value
        grant.save(update_fields=["post"])
    return grant


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(user: User, *, label: str = "", lifetime: dt.timedelta | None = None) -> str:
    """Create a token for `user` and return it; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    lifetime = lifetime or dt.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.create(
        user=user,
        label=label,
        prefix=token[:10],
        key_hash=_hash(token),
        expires_at=timezone.now() + lifetime,
    )
    return token


def user_for_token(token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_token_user_statement(), [_hash(token), timezone.now()])
        row = cursor.fetchone()
    if row is None:
        return None
    user = rows.instance(User, row)
    return user if user.is_active else None


@functools.cache
def _token_user_statement() -> str:
    """Every API request starts here: a statement written once (kit.rows) rather than compiled each time."""
    return (
        f"SELECT {rows.select_list(User, 'u')} FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "  # noqa: S608
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
    )


@transaction.atomic
def revoke_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
