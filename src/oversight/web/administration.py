"""The administrator's pages: the accounts, a new account, and one account's roles, state and history.

Every act goes through `accounts.security`, which checks the administrator, refuses an act on their
own account and writes the access-log row in the act's transaction. A first password (of a new
account, or after a reset) is shown once, in the answer to the act, and kept nowhere but as its hash.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oversight.accounts import queries, security
from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import ROLE_CHOICES, ROLE_NAMES, Organisation, RoleGrant, User
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law.roles import Post, Role
from oversight.register.queries import open_cases_assigned
from oversight.web.pages import signed_in_user

PAGE = 50
ACCOUNT_FIELDS = ("username", "last_name", "first_name", "patronymic", "email", "language")
GRANT_FIELDS = ("role", "organisation", "post")
ROLES = {role.value: role for role in Role}
POSTS = {post.value: post for post in Post}
# The posts the law names (law.roles.Post), as the grant form and the account page show them.
POSTS_NAMED = {
    Post.GENERAL_PROSECUTOR.value: gettext_lazy("General Prosecutor"),
    Post.FIRST_DEPUTY.value: gettext_lazy("First Deputy of the General Prosecutor"),
}


# The acts on an account, as the access log names them (`security._logged`, `security._failed`).
ACTS = {
    "account_created": gettext_lazy("Account created"),
    "role_granted": gettext_lazy("Role granted"),
    "role_post_changed": gettext_lazy("Post changed"),
    "role_removed": gettext_lazy("Role removed"),
    "account_disabled": gettext_lazy("Account disabled"),
    "account_enabled": gettext_lazy("Account enabled"),
    "account_locked": gettext_lazy("Locked after failed sign-ins"),
    "account_unlocked": gettext_lazy("Account unlocked"),
    "sign_in_reset": gettext_lazy("Sign-in reset"),
    "password_changed": gettext_lazy("Password changed by its holder"),
    "security_key_added": gettext_lazy("Security key added"),
}


def _history(account: User) -> list[dict[str, object]]:
    """The acts on the account, newest first, each with what it concerned (a role and where)."""
    entries = queries.account_history(account)
    codes = {str(entry.detail.get("organisation")) for entry in entries if entry.detail.get("organisation")}
    named = {organisation.code: organisation for organisation in Organisation.objects.filter(code__in=codes)}
    rows: list[dict[str, object]] = []
    for entry in entries:
        role = ROLES.get(str(entry.detail.get("role", "")))
        code = str(entry.detail.get("organisation") or "")
        rows.append(
            {
                "at": entry.at,
                "act": ACTS.get(entry.action, entry.action),
                "role": ROLE_NAMES[role] if role else "",
                "organisation": named.get(code),
                "code": code,  # shown where the organisation is gone
                "by": entry.username,
            }
        )
    return rows


def _administrator(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not jurisdiction_of(user).has(Role.ADMINISTRATOR):
        raise Forbidden(_("Accounts are managed by administrators."))
    return user


def _account(user_id: int) -> User:
    account = User.objects.filter(pk=user_id).first()
    if account is None:
        raise NotFound(_("No such account."))
    return account


def _state_labels() -> list[tuple[str, str]]:
    labels = {
        "all": _("All"),
        "active": _("Active"),
        "disabled": _("Disabled"),
        "locked": _("Locked after failed sign-ins"),
        "first_password": _("Awaiting a password of their own"),
    }
    return [(code, labels[code]) for code in queries.STATES]


@never_cache
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    chosen = {"q": request.GET.get("q", "").strip()[:150], "state": request.GET.get("state", "all")}
    if chosen["state"] not in queries.STATES:
        chosen["state"] = "all"
    page = Paginator(queries.accounts(chosen["q"], chosen["state"]), PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/account_list.html",
        {"page": page, "chosen": chosen, "states": _state_labels()},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest) -> HttpResponse:
    """Create an account; the answer shows its first password, once."""
    administrator = _administrator(request)
    typed = {name: request.POST.get(name, "")[:300] for name in ACCOUNT_FIELDS}
    if request.method == "GET":
        return render(request, "web/account_new.html", {"typed": typed, "errors": {}})
    try:
        account, password = security.create_account(
            typed["username"],
            last_name=typed["last_name"],
            first_name=typed["first_name"],
            patronymic=typed["patronymic"],
            email=typed["email"],
            language=typed["language"],
            actor=administrator,
            request=request,
        )
    except Invalid as error:
        return render(request, "web/account_new.html", {"typed": typed, "errors": error.errors}, status=422)
    return _account_page(request, administrator, account, first_password=password, status=201)


def _account_page(
    request: HttpRequest,
    administrator: User,
    account: User,
    *,
    first_password: str = "",
    grant: dict[str, str] | None = None,
    grant_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    grants = list(RoleGrant.objects.filter(user=account).select_related("organisation").order_by("role", "pk"))
    return render(
        request,
        "web/account.html",
        {
            "account": account,
            "own": account.pk == administrator.pk,
            "grants": [(grant, POSTS_NAMED.get(grant.post, "")) for grant in grants],
            "first_password": first_password,
            "roles": ROLE_CHOICES,
            "post_choices": list(POSTS_NAMED.items()),
            "organisations": queries.organisations_for_grants(),
            "grant": grant or dict.fromkeys(GRANT_FIELDS, ""),
            "grant_errors": grant_errors or {},
            "history": _history(account),
            "assigned": open_cases_assigned(account.pk),
        },
        status=status,
    )


@never_cache
@require_GET
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_page(request, _administrator(request), _account(user_id))


def _refused(request: HttpRequest, account: User, error: Conflict | Forbidden) -> HttpResponse:
    messages.error(request, error.detail)
    return redirect("web:account", user_id=account.pk)


@require_POST
def grant_role(request: HttpRequest, user_id: int) -> HttpResponse:
    administrator = _administrator(request)
    account = _account(user_id)
    typed = {name: request.POST.get(name, "").strip()[:64] for name in GRANT_FIELDS}
    errors: dict[str, str] = {}
    role = ROLES.get(typed["role"])
    if role is None:
        errors["role"] = _("Choose a role.")
    organisation = None
    if typed["organisation"]:
        organisation = (
            Organisation.objects.filter(pk=int(typed["organisation"])).first()
            if typed["organisation"].isdigit()
            else None
        )
        if organisation is None:
            errors["organisation"] = _("Choose an organisation from the list.")
    post = POSTS.get(typed["post"])
    if post is None:
        errors["post"] = _("Choose a post from the list.")
    try:
        if errors or role is None:
            raise Invalid(errors)
        action = security.assign_role(account, role, organisation, post=post, actor=administrator, request=request)[1]
    except Invalid as error:
        return _account_page(request, administrator, account, grant=typed, grant_errors=error.errors, status=422)
    except Forbidden as error:
        return _refused(request, account, error)
    if action is None:
        messages.info(request, _("%(name)s already holds this role.") % {"name": account.full_name()})
    else:
        messages.success(
            request,
            _("%(name)s now holds the role: %(role)s.") % {"name": account.full_name(), "role": ROLE_NAMES[role]},
        )
    return redirect("web:account", user_id=account.pk)


@require_POST
def remove_role(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    administrator = _administrator(request)
    account = _account(user_id)
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().filter(pk=grant_id, user=account).first()
        if grant is None:
            raise NotFound(_("No such role of this account."))
        role = Role(grant.role)
        try:
            security.remove_role(grant, actor=administrator, request=request)
        except Forbidden as error:
            return _refused(request, account, error)
    messages.success(
        request,
        _("%(name)s no longer holds the role: %(role)s. Their sessions have ended.")
        % {"name": account.full_name(), "role": ROLE_NAMES[role]},
    )
    assigned = sum(open_cases_assigned(account.pk).values())
    if assigned:
        messages.warning(
            request,
            ngettext(
                "%(count)d open case is still assigned to them: a supervisor reassigns it.",
                "%(count)d open cases are still assigned to them: a supervisor reassigns them.",
                assigned,
            )
            % {"count": assigned},
        )
    return redirect("web:account", user_id=account.pk)


@require_POST
def disable_account(request: HttpRequest, user_id: int) -> HttpResponse:
    administrator = _administrator(request)
    account = _account(user_id)
    try:
        security.disable_account(account, actor=administrator, request=request)
    except Forbidden as error:
        return _refused(request, account, error)
    messages.success(
        request,
        _("%(name)s can no longer sign in or use API tokens. Their sessions have ended.")
        % {"name": account.full_name()},
    )
    return redirect("web:account", user_id=account.pk)


@require_POST
def enable_account(request: HttpRequest, user_id: int) -> HttpResponse:
    administrator = _administrator(request)
    account = _account(user_id)
    try:
        security.enable_account(account, actor=administrator, request=request)
    except Forbidden as error:
        return _refused(request, account, error)
    messages.success(request, _("%(name)s may sign in again.") % {"name": account.full_name()})
    return redirect("web:account", user_id=account.pk)


@require_POST
def unlock_account(request: HttpRequest, user_id: int) -> HttpResponse:
    administrator = _administrator(request)
    account = _account(user_id)
    try:
        security.unlock_account(account.username, actor=administrator, request=request)
    except Forbidden as error:
        return _refused(request, account, error)
    messages.success(request, _("%(name)s is unlocked.") % {"name": account.full_name()})
    return redirect("web:account", user_id=account.pk)


@never_cache
@require_POST
def reset_sign_in(request: HttpRequest, user_id: int) -> HttpResponse:
    """A new first password, shown once in this answer; the second factors removed; sessions ended."""
    administrator = _administrator(request)
    account = _account(user_id)
    try:
        password = security.reset_sign_in(account, actor=administrator, request=request)
    except (Conflict, Forbidden) as error:
        return _refused(request, account, error)
    return _account_page(request, administrator, account, first_password=password)
