"""Sign-in, lockout, ending sessions and the administrator's acts on accounts and roles (CJIS AC-2,
AC-7, AC-11, AC-12; OWASP ASVS 6.3, 7.2-7.4).

- A failed sign-in is written to the access log; five failures for one username within fifteen
  minutes lock an existing account until an administrator unlocks it. The answer to a locked, a
  wrong or an unknown account is the same, and the password is always hashed, so neither the text
  nor the timing tells whether an account exists.
- A user's security stamp is part of their session hash: changing it (sign-out, a role removed,
  an account disabled) ends every session of that user on their next request.
- Accounts are created, roles granted and removed, and accounts disabled by an administrator, or from
  the operations console (`manage.py create_user`, `grant_role`, `remove_role`, `disable_account`:
  `actor` None); each act is written to the access log in the transaction that makes it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts.models import Organisation, RoleGrant, SecurityKey, User, new_security_stamp
from oversight.accounts.services import grant_role
from oversight.audit.models import AccessLogEntry, Operation, Outcome
from oversight.audit.services import Who, record, record_refusal, who
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law.roles import Post, Role

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
    _failed(request, username, account, reason)
    return None


def _failed(request: HttpRequest, username: str, account: User | None, reason: str) -> None:
    """Log a wrong password, and lock the account at the limit of failures in the window."""
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
                _logged(who(request, None, username=username), "account_locked", account)


def wrong_current_password(request: HttpRequest, user: User) -> None:
    """The current password typed to change it was wrong: it counts towards the lockout as a failed
    sign-in does, so a session left open cannot be used to guess the password."""
    _failed(request, user.username, user, "wrong_current_password")


def change_password(request: HttpRequest, user: User, new_password: str) -> bool:
    """Set the signed-in user's new password (checked by the caller's form). Every other session of the
    user ends (the password is part of the session hash) and this one goes on. The row is locked and
    only the password written, so a disable, a lock or a removed role that lands meanwhile stands:
    False then, and nothing changed."""
    with transaction.atomic():
        current = User.objects.select_for_update().filter(pk=user.pk).first()
        if (
            current is None
            or not current.is_active
            or current.locked_at is not None
            or current.security_stamp != user.security_stamp
        ):
            return False
        current.set_password(new_password)
        current.must_change_password = False
        current.save(update_fields=["password", "must_change_password"])
        _logged(who(request, user), "password_changed", user)
    user.password, user.must_change_password = current.password, False
    update_session_auth_hash(request, current)
    return True


def _require_administrator(actor: User) -> None:
    if not RoleGrant.objects.filter(user=actor, role=Role.ADMINISTRATOR).exists():
        raise Forbidden(gettext("Only an administrator may do this."))


def _logged(actor: Who, action: str, user: User, detail: dict[str, Any] | None = None) -> None:
    """The access-log row of an act on an account, in the act's transaction."""
    record(
        actor,
        operation=Operation.ACCOUNT,
        action=action,
        object_type="user",
        object_id=user.pk,
        object_label=user.username,
        detail=detail,
    )


@transaction.atomic
def unlock_account(username: str, *, actor: User | None, request: HttpRequest | None = None) -> User:
    """Unlock after repeated failures; `actor` None means the operations console (manage.py)."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        raise NotFound(f"no account {username!r}")
    acting = _actor(actor, request, on=user)
    user.locked_at = None
    user.save(update_fields=["locked_at"])
    _logged(acting, "account_unlocked", user)
    return user


def end_all_sessions(user: User) -> None:
    """Every session of `user` fails its hash check from the next request on."""
    User.objects.filter(pk=user.pk).update(security_stamp=new_security_stamp())
    user.refresh_from_db(fields=["security_stamp"])


CONSOLE = "console"  # the actor the access log names for acts from manage.py; no account may take the name


def _actor(actor: User | None, request: HttpRequest | None, *, on: User | None = None) -> Who:
    """The administrator acting, or the operations console (`actor` None: manage.py on the server).

    No administrator acts on their own account (`on`): their roles, their password and whether they may
    sign in are another administrator's to change, so that no one widens their own access unseen
    (separation of duties, CJIS AC-5)."""
    if actor is None:
        return who(request, None, username=CONSOLE)
    _require_administrator(actor)
    if on is not None and on.pk == actor.pk:
        raise Forbidden(gettext("Administrators do not act on their own account; another administrator does."))
    return who(request, actor)


@transaction.atomic
def disable_account(user: User, *, actor: User | None, request: HttpRequest | None = None) -> None:
    """The account can no longer sign in or use its tokens; its sessions end at once."""
    acting = _actor(actor, request, on=user)
    User.objects.filter(pk=user.pk).update(is_active=False, security_stamp=new_security_stamp())
    user.is_active = False
    _logged(acting, "account_disabled", user)


@transaction.atomic
def enable_account(user: User, *, actor: User | None, request: HttpRequest | None = None) -> None:
    """A disabled account may sign in again, with the password and second factor it had, and the roles
    it still holds."""
    acting = _actor(actor, request, on=user)
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    _logged(acting, "account_enabled", user)


@transaction.atomic
def reset_sign_in(user: User, *, actor: User | None, request: HttpRequest | None = None) -> str:
    """Start the person's sign-in afresh: a new random first password, returned once (only its hash is
    kept); every second factor removed, so the next sign-in enrols one, then asks for a password of their
    own; every session ends. For a forgotten password or a lost authenticator alike: whoever enrols the
    new second factor must hold the password the administrator handed over."""
    acting = _actor(actor, request, on=user)
    if not user.is_active:
        raise Conflict(gettext("The account %(username)s is disabled; enable it first.") % {"username": user.username})
    password = secrets.token_urlsafe(15)
    user.set_password(password)
    user.must_change_password = True
    user.security_stamp = new_security_stamp()
    user.save(update_fields=["password", "must_change_password", "security_stamp"])
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + SecurityKey.objects.filter(user=user).delete()[0]
    _logged(acting, "sign_in_reset", user, {"second_factors_removed": removed})
    return password


def _grant_detail(grant: RoleGrant) -> dict[str, str | None]:
    organisation = grant.organisation
    return {"role": grant.role, "organisation": organisation.code if organisation else None, "post": grant.post}


@transaction.atomic
def remove_role(grant: RoleGrant, *, actor: User | None, request: HttpRequest | None = None) -> None:
    """Remove one grant; every session of its holder ends, so no page keeps what the role showed."""
    user = grant.user
    acting = _actor(actor, request, on=user)
    detail = _grant_detail(grant)
    grant.delete()
    end_all_sessions(user)
    _logged(acting, "role_removed", user, detail)


@transaction.atomic
def assign_role(
    user: User,
    role: Role,
    organisation: Organisation | None,
    *,
    post: Post | None = None,
    actor: User | None,
    request: HttpRequest | None = None,
) -> tuple[RoleGrant, str | None]:
    """Grant `role` in `organisation` (`post` as in `services.grant_role`); logged as `role_granted`, or
    `role_post_changed` when only the post of a grant the user holds changes. The action is returned
    with the grant, None when nothing changed (and nothing was logged)."""
    acting = _actor(actor, request, on=user)
    if not user.is_active:
        raise Invalid({"username": gettext("The account %(username)s is disabled.") % {"username": user.username}})
    before = RoleGrant.objects.filter(user=user, role=role.value, organisation=organisation).first()
    grant = grant_role(user, role, organisation, post=post)
    if before is None:
        action: str | None = "role_granted"
    elif before.post != grant.post:
        action = "role_post_changed"
    else:
        action = None
    if action is not None:
        detail = _grant_detail(grant)
        if before is not None:
            detail["previous_post"] = before.post
        _logged(acting, action, user, detail)
    return grant, action


_USERNAME = UnicodeUsernameValidator()
_NAME_LENGTH = 150


def _length(least: int) -> str:
    return gettext("Between %(least)d and %(most)d characters.") % {"least": least, "most": _NAME_LENGTH}


@transaction.atomic
def create_account(
    username: str,
    *,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    email: str = "",
    language: str = "",
    actor: User | None,
    request: HttpRequest | None = None,
) -> tuple[User, str]:
    """Create an active account with no role and a random first password, returned once (only its hash
    is kept). The second factor is enrolled at the first sign-in, then the person sets a password of
    their own before any other page (`must_change_password`); roles come from `assign_role`."""
    acting = _actor(actor, request)
    username, last_name, first_name = username.strip(), last_name.strip(), first_name.strip()
    patronymic, email = patronymic.strip(), email.strip()
    errors: dict[str, str] = {}
    if not username or len(username) > _NAME_LENGTH:
        errors["username"] = _length(1)
    else:
        try:
            _USERNAME(username)
        except ValidationError:
            errors["username"] = gettext("Use letters, digits and @ . + - _ only.")
        else:
            if username.casefold() == CONSOLE.casefold():
                errors["username"] = gettext("%(name)s names the operations console in the access log.") % {
                    "name": CONSOLE
                }
            elif User.objects.filter(username=username).exists():
                errors["username"] = gettext("An account %(username)s already exists.") % {"username": username}
    for name, value, required in (
        ("last_name", last_name, True),
        ("first_name", first_name, True),
        ("patronymic", patronymic, False),
    ):
        if (required and not value) or len(value) > _NAME_LENGTH:
            errors[name] = _length(1 if required else 0)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = gettext("Enter an e-mail address.")
    languages = [code for code, _ in settings.LANGUAGES]
    if language and language not in languages:
        errors["language"] = gettext("Choose one of: %(languages)s.") % {"languages": ", ".join(languages)}
    if errors:
        raise Invalid(errors)
    password = secrets.token_urlsafe(15)
    user = User.objects.create_user(
        username=username,
        password=password,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        email=email,
        preferred_language=language,
        must_change_password=True,
    )
    _logged(acting, "account_created", user)
    return user, password
