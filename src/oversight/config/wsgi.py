"""WSGI entry point for gunicorn: one Django, two middleware chains.

A call to the API that carries a bearer token needs none of a browser's machinery: no session, no
CSRF check (a token is not an ambient credential a page could borrow), no second-factor gate, no
flash messages, no page policy. `Lanes` serves it through `settings.BEARER_API_MIDDLEWARE`, which
keeps what every answer needs (HTTPS and header hardening, no-store, the request's grant cache, the
caller's language). Everything else, the API called from a signed-in page included, goes through the
full `settings.MIDDLEWARE`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")

import django
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

API_PREFIX = "/api/"
BEARER = "bearer "

StartResponse = Callable[..., Any]


def handler_with(middleware: list[str]) -> WSGIHandler:
    """A WSGI handler whose chain is `middleware` rather than `settings.MIDDLEWARE`.

    Django builds a handler's chain from the setting when the handler is made, so the setting names
    `middleware` for that moment only. This runs once, at start-up, before any request is served.
    """
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = middleware
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = full


class Lanes:
    """Bearer-token calls to the API on their own chain; every other request on the full one."""

    def __init__(self) -> None:
        django.setup(set_prefix=False)
        self.full = WSGIHandler()
        self.bearer_api = handler_with(settings.BEARER_API_MIDDLEWARE)

    def handler_for(self, environ: dict[str, Any]) -> WSGIHandler:
        path: str = environ.get("PATH_INFO", "")
        authorization: str = environ.get("HTTP_AUTHORIZATION", "")
        if path.startswith(API_PREFIX) and authorization[: len(BEARER)].lower() == BEARER:
            return self.bearer_api
        return self.full

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return self.handler_for(environ)(environ, start_response)


application = Lanes()
