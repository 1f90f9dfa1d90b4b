"""Sign-in with a password and a second factor (TOTP), sign-out that ends every session, and the
account's own security page: its second factors and a change of password."""

from __future__ import annotations

import base64
import json
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts import security, security_keys
from oversight.accounts.forms import CodeForm, PasswordForm, SignInForm
from oversight.accounts.middleware import SIGNED_IN_AT
from oversight.accounts.models import SecurityKey, User
from oversight.accounts.security import GENERIC_FAILURE, check_password, end_all_sessions
from oversight.audit.models import Operation, Outcome
from oversight.audit.services import record, record_refusal, who
from oversight.kit.errors import DomainError, Forbidden, Invalid

ENROLLING = "oversight_enrolling_device"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = check_password(request, form.cleaned_data["username"], form.cleaned_data["password"])
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # new session id
            request.session[SIGNED_IN_AT] = timezone.now().isoformat()
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': _next(request)})}")
        form.add_error(None, _(GENERIC_FAILURE))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next(request)})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect("accounts:sign_in")
    if getattr(user, "is_verified", lambda: False)():
        return redirect(_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    has_key = SecurityKey.objects.filter(user=user, confirmed=True).exists()
    enrolling = device is None and not has_key
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=request.session.get(ENROLLING)).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
            request.session[ENROLLING] = device.pk
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.cleaned_code()):
            with transaction.atomic():
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                    request.session.pop(ENROLLING, None)
                otp_login(request, device)
                record(
                    who(request, user),
                    operation=Operation.SIGN_IN,
                    action="sign_in",
                    detail={"second_factor": "totp", "enrolled": enrolling},
                )
            # a password an administrator gave is replaced first, on the security page
            return redirect("accounts:security" if user.must_change_password else _next(request))
        record_refusal(who(request, user), operation=Operation.SIGN_IN, action="second_factor", outcome=Outcome.DENIED)
        form.add_error("code", _("The code is not valid. Wait for the next code and try again."))
    context: dict[str, object] = {
        "form": form,
        "enrolling": enrolling,
        "next": _next(request),
        "has_code": device is not None,
        "security_key": has_key and security_keys.relying_party(request) is not None,
    }
    if enrolling and device is not None:
        secret = base64.b32encode(device.bin_key).decode()
        context.update(secret=secret, qr=_qr_svg(device.config_url))
    return render(request, "accounts/second_factor.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        end_all_sessions(user)
        record(who(request, user), operation=Operation.SIGN_OUT, action="sign_out")
    logout(request)
    return redirect("accounts:sign_in")


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise Invalid({"body": "send a JSON object"}) from None
    if not isinstance(body, dict):
        raise Invalid({"body": "send a JSON object"})
    return body


def _problem(error: DomainError) -> JsonResponse:
    return JsonResponse(error.problem(), status=error.status, content_type="application/problem+json")


@require_POST
def security_key_sign_in_options(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return _problem(Forbidden("enter your password first"))
    try:
        return HttpResponse(security_keys.authentication_options(request, user), content_type="application/json")
    except DomainError as error:
        return _problem(error)


@require_POST
def security_key_sign_in(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return _problem(Forbidden("enter your password first"))
    try:
        body = _json_body(request)
    except DomainError as error:
        return _problem(error)
    key = security_keys.authenticate(request, user, body.get("credential") or {})
    if key is None:
        record_refusal(
            who(request, user),
            operation=Operation.SIGN_IN,
            action="second_factor",
            outcome=Outcome.DENIED,
            detail={"second_factor": "security_key"},
        )
        return _problem(Forbidden("the security key was not accepted"))
    with transaction.atomic():
        otp_login(request, key)
        record(
            who(request, user), operation=Operation.SIGN_IN, action="sign_in", detail={"second_factor": "security_key"}
        )
    return JsonResponse({"next": _next(request)})


def _security_page(request: HttpRequest, user: User, form: PasswordForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "keys": SecurityKey.objects.filter(user=user, confirmed=True).order_by("created_at"),
            "has_code": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "webauthn_possible": security_keys.relying_party(request) is not None,
            "password_form": form,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect("accounts:sign_in")
    return _security_page(request, user, PasswordForm(user))


@never_cache
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    """The user's own password: the current one, then the new one twice; other sessions end."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect("accounts:sign_in")
    form = PasswordForm(user, request.POST)
    if not form.is_valid():
        if any(error.code == "password_incorrect" for error in form.errors.as_data().get("old_password", [])):
            security.wrong_current_password(request, user)
        return _security_page(request, user, form, status=422)
    if not security.change_password(request, user, form.cleaned_data["new_password1"]):
        return redirect("accounts:sign_in")  # disabled, locked or signed out meanwhile: this session is over
    messages.success(request, _("The password was changed. Your other sessions have ended."))
    return redirect("accounts:security")


@require_POST
def security_key_registration_options(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return _problem(Forbidden("sign in first"))
    try:
        return HttpResponse(security_keys.registration_options(request, user), content_type="application/json")
    except DomainError as error:
        return _problem(error)


@require_POST
def security_key_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return _problem(Forbidden("sign in first"))
    try:
        body = _json_body(request)
        with transaction.atomic():
            key = security_keys.register(request, user, body.get("credential") or {}, str(body.get("name", "")))
            record(
                who(request, user),
                operation=Operation.ACCOUNT,
                action="security_key_added",
                object_type="user",
                object_id=user.pk,
                object_label=user.username,
                detail={"key": key.name},
            )
    except DomainError as error:
        return _problem(error)
    return JsonResponse({"id": key.pk, "name": key.name}, status=201)
