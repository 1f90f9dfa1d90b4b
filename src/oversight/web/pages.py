"""Shared bits of the pages: who is signed in. Domain errors become error pages in web.errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from oversight.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in, second-factor-verified user (the middleware has already sent others to sign in)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        raise PermissionDenied
    return user
