"""The WSGI entry point serves bearer-token API calls through their own, shorter middleware chain."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections

from oversight.config.wsgi import Lanes, application
from tests.factories import World, make_case


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def environ(path: str, *, method: str = "GET", authorization: str = "", cookie: str = "") -> dict[str, Any]:
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    if cookie:
        headers["HTTP_COOKIE"] = cookie
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(b""),
        "HTTP_ACCEPT": "application/json",
        **headers,
    }


def call(lanes: Lanes, request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    started: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(lanes(request, lambda status, headers, *_: started.append((status, headers))))
    status, headers = started[0]
    return int(status[:3]), dict(headers), body


@pytest.mark.parametrize(
    ("path", "authorization", "lane"),
    [
        ("/api/cases/1", "Bearer ovt_abc", "bearer_api"),
        ("/api/cases/1", "bearer ovt_abc", "bearer_api"),
        ("/api/cases/1", "", "full"),  # a signed-in page calling the API: session, CSRF, second factor
        ("/api/cases/1", "Basic YTpi", "full"),
        ("/cases/1/", "Bearer ovt_abc", "full"),  # pages are pages, whatever the header
        ("/apix/", "Bearer ovt_abc", "full"),
    ],
)
def test_only_bearer_calls_to_the_api_take_the_short_chain(path: str, authorization: str, lane: str) -> None:
    assert application.handler_for(environ(path, authorization=authorization)) is getattr(application, lane)


def test_the_short_chain_has_no_session_csrf_or_second_factor() -> None:
    full = {type(layer).__name__ for layer in chain(application.full)}
    short = {type(layer).__name__ for layer in chain(application.bearer_api)}
    assert {"SessionMiddleware", "CsrfViewMiddleware", "OTPMiddleware", "SessionRulesMiddleware"} <= full
    assert not short & {"SessionMiddleware", "CsrfViewMiddleware", "OTPMiddleware", "SessionRulesMiddleware"}
    assert {"SecurityMiddleware", "NoStoreMiddleware", "RequestScopeMiddleware", "LocaleMiddleware"} <= short


def chain(handler: Any) -> Iterator[Any]:
    """The middleware instances of a handler's chain, outermost first (each layer is Django's
    exception wrapper around one instance, whose `get_response` is the next layer)."""
    layer = handler._middleware_chain
    while (middleware := getattr(layer, "__wrapped__", None)) is not None and hasattr(middleware, "get_response"):
        yield middleware
        layer = middleware.get_response


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
def test_a_bearer_call_is_answered_with_the_api_headers_and_no_session(world: World) -> None:
    case = make_case(world)
    status, headers, body = call(
        application, environ(f"/api/cases/{case.pk}", authorization=f"Bearer {world.token(world.bolat)}")
    )
    assert status == 200
    assert json.loads(body)["id"] == case.pk
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in headers["Cache-Control"]
    assert "Set-Cookie" not in headers
    assert "Cookie" not in headers.get("Vary", "")


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_the_test_connection")
def test_a_token_that_is_not_valid_is_refused_even_beside_a_session_cookie(world: World) -> None:
    case = make_case(world)
    request = environ(f"/api/cases/{case.pk}", authorization="Bearer ovt_not_a_token", cookie="__Host-sessionid=x")
    status, headers, body = call(application, request)
    assert status == 401
    assert json.loads(body)["status"] == 401
    assert "Set-Cookie" not in headers
