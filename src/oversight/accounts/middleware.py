"""Session rules on every request: a second factor before anything else, a password of one's own
before any page (when an administrator gave it), and a 12-hour ceiling.

The 30-minute idle limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST);
the absolute limit counts from the sign-in, whatever the activity since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from oversight.accounts.access import request_scope

SIGNED_IN_AT = "oversight_signed_in_at"
OPEN_PATHS = ("/sign-in/", "/sign-out/", "/static/", "/health/", "/language/", "/favicon.ico")
# Served to anyone: what the system is (/), the API (its own bearer authentication) and the above.
PUBLIC_PATHS = ("/api/", *OPEN_PATHS)
# The account's security page, where a password given by an administrator is replaced.
SECURITY_PATH = "/account/security/"


def session_expired(request: HttpRequest) -> bool:
    started = request.session.get(SIGNED_IN_AT)
    if not isinstance(started, str):
        return True
    try:
        signed_in_at = dt.datetime.fromisoformat(started)
    except ValueError:
        return True
    return timezone.now() - signed_in_at > dt.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)


class RequestScopeMiddleware:
    """Each request reads a user's grants once (accounts.access.request_scope)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)


class SessionRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if session_expired(request):
                logout(request)
                return self._to_sign_in(request)
            verified = getattr(user, "is_verified", lambda: False)()
            if not verified and not request.path.startswith(OPEN_PATHS):
                return self._to_sign_in(request, second_factor=True)
            if (
                getattr(user, "must_change_password", False)
                and not request.path.startswith((*PUBLIC_PATHS, SECURITY_PATH))
                and request.path != "/"
            ):
                return redirect(SECURITY_PATH)  # an administrator's password: the person sets their own first
        elif request.path != "/" and not request.path.startswith(PUBLIC_PATHS):
            return self._to_sign_in(request)  # deny by default: every other page needs a signed-in user
        return self.get_response(request)

    @staticmethod
    def _to_sign_in(request: HttpRequest, *, second_factor: bool = False) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "https://oversight.example/problems/unauthenticated",
                    "title": "Not authenticated",
                    "status": 401,
                    "detail": "sign in again",
                    "code": "unauthenticated",
                },
                status=401,
                content_type="application/problem+json",
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = "accounts:second_factor" if second_factor else "accounts:sign_in"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
