"""Sign-in, lockout and ending sessions (CJIS AC-7, AC-11, AC-12; OWASP ASVS 6.3, 7.2-7.4).

- A failed sign-in is written to the access log; five failures for one username within fifteen
  minutes lock an existing account until an administrator unlocks it. The answer to a locked, a
  wrong or an unknown account is the same, and the password is always hashed, so neither the text
  nor the timing tells whether an account exists.
- A user's security stamp is part of their session hash: changing it (sign-out, a role removed,
  an account disabled) ends every session of that user on their next request.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop

from oversight.accounts.models import RoleGrant, User, new_security_stamp
from oversight.audit.models import AccessLogEntry, Operation, Outcome
from oversight.audit.services import record, record_refusal, who
from oversight.kit.errors import Forbidden, NotFound
from oversight.law.roles import Role

GENERIC_FAILURE = gettext_noop("Sign-in failed. Check the username and the password.")


def failures_in_window(username: str, now: dt.datetime) -> int:
    """Consecutive failures within the window: a right password or an unlock starts the count again."""
    since = now - dt.timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS)
    reset = (
        AccessLogEntry.objects.filter(
            Q(operation=Operation.SIGN_IN, outcome=Outcome.SUCCESS, username=username)
            | Q(operation=Operation.ACCOUNT, action="account_unlocked", object_label=username),
            at__gt=since,
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if reset is not None:
        since = reset
    return AccessLogEntry.objects.filter(
        operation=Operation.SIGN_IN, outcome=Outcome.DENIED, username=username, action="sign_in", at__gt=since
    ).count()


def check_password(request: HttpRequest, username: str, password: str) -> User | None:
    """The user if the password is right and the account may sign in; None otherwise, logged."""
    username = username.strip()[:150]
    found = authenticate(request, username=username, password=password)
    user = found if isinstance(found, User) else None
    account = user or User.objects.filter(username=username).first()
    if user is not None and user.locked_at is None:
        record_refusal(
            who(request, user),
            operation=Operation.SIGN_IN,
            action="password",
            detail={"step": "password accepted; second factor next"},
        )
        return user
    reason = "locked" if account is not None and account.locked_at is not None else "bad_credentials"
    record_refusal(
        who(request, None, username=username),
        operation=Operation.SIGN_IN,
        action="sign_in",
        outcome=Outcome.DENIED,
        detail={"reason": reason},
    )
    if account is not None and account.locked_at is None:
        now = timezone.now()
        if failures_in_window(username, now) >= settings.SIGN_IN_FAILURE_LIMIT:
            with transaction.atomic():
                User.objects.filter(pk=account.pk, locked_at__isnull=True).update(
                    locked_at=now, security_stamp=new_security_stamp()
                )
                record(
                    who(request, None, username=username),
                    operation=Operation.ACCOUNT,
                    action="account_locked",
                    object_type="user",
                    object_id=account.pk,
                    object_label=account.username,
                )
    return None


def _require_administrator(actor: User) -> None:
    if not RoleGrant.objects.filter(user=actor, role=Role.ADMINISTRATOR).exists():
        raise Forbidden("only an administrator may do this")


@transaction.atomic
def unlock_account(username: str, *, actor: User | None, request: HttpRequest | None = None) -> User:
    """Unlock after repeated failures; `actor` None means the operations console (manage.py)."""
    if actor is not None:
        _require_administrator(actor)
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise NotFound(f"no account {username!r}")
    user.locked_at = None
    user.save(update_fields=["locked_at"])
    record(
        who(request, actor, username="console" if actor is None else ""),
        operation=Operation.ACCOUNT,
        action="account_unlocked",
        object_type="user",
        object_id=user.pk,
        object_label=user.username,
    )
    return user


def end_all_sessions(user: User) -> None:
    """Every session of `user` fails its hash check from the next request on."""
    User.objects.filter(pk=user.pk).update(security_stamp=new_security_stamp())
    user.refresh_from_db(fields=["security_stamp"])


@transaction.atomic
def disable_account(user: User, *, actor: User, request: HttpRequest | None = None) -> None:
    _require_administrator(actor)
    User.objects.filter(pk=user.pk).update(is_active=False, security_stamp=new_security_stamp())
    record(
        who(request, actor),
        operation=Operation.ACCOUNT,
        action="account_disabled",
        object_type="user",
        object_id=user.pk,
        object_label=user.username,
    )


@transaction.atomic
def remove_role(grant: RoleGrant, *, actor: User, request: HttpRequest | None = None) -> None:
    _require_administrator(actor)
    user = grant.user
    detail = {"role": grant.role, "organisation": grant.organisation_id}
    grant.delete()
    end_all_sessions(user)
    record(
        who(request, actor),
        operation=Operation.ACCOUNT,
        action="role_removed",
        object_type="user",
        object_id=user.pk,
        object_label=user.username,
        detail=detail,
    )
