"""The bearer-token lane's own middleware (see `oversight.config.wsgi`)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

# An API answer is JSON, never a page: it may load nothing and be framed by nobody.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"


class BearerOnlyMiddleware:
    """No session in this lane: the caller is nobody until the bearer token names them, so a token
    that is not valid is a 401, never a session's user; and the answer carries a fixed policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = AnonymousUser()
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", API_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
