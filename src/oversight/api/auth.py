"""Who is calling: a bearer token, or the signed-in browser session (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from oversight.accounts.models import User
from oversight.accounts.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        verified = getattr(user, "is_verified", lambda: False)()
        if isinstance(user, User) and user.is_authenticated and user.is_active and verified:
            # a password an administrator gave opens nothing but the page where it is replaced
            return None if user.must_change_password else user
        return None


def caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):  # every operation requires authentication; this is unreachable otherwise
        raise AuthenticationError
    return user
