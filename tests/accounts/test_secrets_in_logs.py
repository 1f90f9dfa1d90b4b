"""No password, bearer token or second-factor code reaches any log (checklist AU-7).

Canary secrets are planted and used the ways a person or a client uses them, right and wrong; then
every sink is searched: every Python log record (all loggers at DEBUG, the SQL log included), what
reached stdout and stderr, and every text and JSON column of every table, the access log and the
case and decision events among them.

A username is not a secret: the access log keeps the name as typed for a failed sign-in, because
the lockout counts failures by it (accounts.security). So when someone types a secret into the
username field it is stored there, and this test does not search for it.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture

from oversight.accounts.services import issue_token
from oversight.audit.models import AccessLogEntry, Outcome
from oversight.decisions.models import DecisionEvent
from oversight.register.models import CaseEvent
from tests.accounts.journey import STEP, confirmed_device, password_step, totp_code
from tests.factories import CONTENT, World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

PASSWORD_CANARY = "canary-Pw-7f3a9c2e-5b1d-4e8a-9c0f-2d6b8e1a4c7f"
NEAR_MISS_CANARY = "canary-Pw-7f3a9c2e-5b1d-4e8a-9c0f-2d6b8e1a4c7F"  # a typo of a password is as secret
TOKEN_LOOKALIKE_CANARY = "ovs_canary-Tk-0d5e8b3a-6c1f-4a97-b2e4-9f7c3d1a5e60"  # not issued, refused
USERNAME_CANARY = "canary-Un-41d7be09-8c2a-4f6e-a3b5-c7d9e1f20486"  # logged by design, see the docstring


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []
        self.console = io.StringIO()  # what the project's own handlers (settings.LOGGING) wrote
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))
        self.lines.append(repr(vars(record)))  # arguments and extras too, e.g. django.request's request


@pytest.fixture
def every_log_record() -> Iterator[Collected]:
    """Every record any logger emits, at DEBUG, including the SQL log that DEBUG would switch on."""
    collected = Collected()
    loggers = [logging.getLogger()] + [
        found for found in logging.root.manager.loggerDict.values() if isinstance(found, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    attached = [logger for logger in loggers if logger is logging.getLogger() or not logger.propagate]
    # pytest holds sys.stderr when LOGGING is configured, so the console handler writes past capfd:
    # point every StreamHandler of the project at one buffer instead (pytest's own are left alone).
    streams = {
        handler: handler.stream
        for logger in loggers
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler) and not type(handler).__module__.startswith("_pytest")
    }
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in attached:
        logger.addHandler(collected)
    for handler in streams:
        handler.setStream(collected.console)
    connection.force_debug_cursor = True
    try:
        yield collected
    finally:
        connection.force_debug_cursor = False
        for handler, stream in streams.items():
            handler.setStream(stream)
        for logger in attached:
            logger.removeHandler(collected)
        for logger, level in levels.items():
            logger.setLevel(level)


def every_stored_text() -> list[str]:
    """Each text and JSON value in the database, one per row and column, labelled by its place."""
    found: list[str] = []
    for model in apps.get_models():
        columns = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if not columns:
            continue
        for row in model._default_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found.append(f"{model._meta.db_table}.{column}={text}")
    return found


def leaks(secret: str, haystack: list[str]) -> list[str]:
    """Where `secret` stands, with 80 characters either side; a code counts only as a whole number."""
    if secret.isdigit():
        pattern = re.compile(rf"(?<![0-9A-Za-z]){secret}(?![0-9A-Za-z])")
    else:
        pattern = re.compile(re.escape(secret))
    return [entry[max(hit.start() - 80, 0) : hit.end() + 80] for entry in haystack for hit in pattern.finditer(entry)]


def test_no_password_token_or_code_reaches_a_log(
    world: World,
    clock: TimeMachineFixture,
    every_log_record: Collected,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    world.bolat.set_password(PASSWORD_CANARY)
    world.bolat.save()
    device = confirmed_device(world.bolat)
    token = issue_token(world.aigerim, label="canary")
    pages: list[Response] = []

    # Sign-in: a near miss, the password, a wrong code, the right code; then the page and the API.
    browser = Client()
    pages.append(password_step(browser, "bolat", NEAR_MISS_CANARY))
    pages.append(password_step(browser, "bolat", PASSWORD_CANARY))
    wrong_code = totp_code(device, steps_ahead=10)
    pages.append(browser.post("/sign-in/second-factor/", {"code": wrong_code}))
    assert pages[-1].status_code == 200
    clock.shift(STEP)
    right_code = totp_code(device)
    pages.append(browser.post("/sign-in/second-factor/", {"code": right_code}))
    assert pages[-1].status_code == 302
    pages.append(browser.get("/"))
    assert browser.get("/api/queue").status_code == 200
    assert browser.post("/sign-out/").status_code == 302
    # The same code again is a replay, refused.
    replay = Client()
    pages.append(password_step(replay, "bolat", PASSWORD_CANARY))
    pages.append(replay.post("/sign-in/second-factor/", {"code": right_code}))
    assert pages[-1].status_code == 200

    # The password under an unknown name, a secret typed as the username, and a lockout.
    pages.append(password_step(Client(), "zhandos", PASSWORD_CANARY))
    pages.append(password_step(Client(), USERNAME_CANARY, NEAR_MISS_CANARY))
    for _ in range(6):
        pages.append(password_step(Client(), "asel", PASSWORD_CANARY))
    world.asel.refresh_from_db()
    assert world.asel.locked_at is not None

    # The API with the token: reads, a refusal, writes with events; then forged and mangled tokens.
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/me").status_code == 200
    assert api.get("/api/queue").status_code == 200
    assert api.get("/api/cases/999999").status_code == 404
    created = api.post(
        "/api/cases",
        {
            "unit_id": world.astana_unit.pk,
            "form": "pre_trial_investigation",
            "articles": [{"article": "188", "part": 2}],
            "reported_at": timezone.now().isoformat(),
            "summary": "Theft from a parked car",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    drafted = api.post(
        f"/api/cases/{case_id}/decisions",
        {"kind": "interruption_of_terms", "content": CONTENT["interruption_of_terms"]},
        content_type="application/json",
        headers={"Idempotency-Key": "draft-1"},
    )
    assert drafted.status_code == 201, drafted.content
    for forged in (TOKEN_LOOKALIKE_CANARY, token[:-1], token + "x", PASSWORD_CANARY):
        response = Client().get("/api/me", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401

    # The sinks were really listening.
    names = {record.name for record in every_log_record.records}
    assert {"django.request", "django.db.backends"} <= names, names
    assert AccessLogEntry.objects.filter(outcome=Outcome.DENIED).count() >= 10
    assert AccessLogEntry.objects.filter(username=USERNAME_CANARY).exists()  # the username, as documented
    assert CaseEvent.objects.filter(case_id=case_id).exists()
    assert DecisionEvent.objects.filter(case_id=case_id).exists()

    out, err = capfd.readouterr()
    console = every_log_record.console.getvalue()
    assert "WARNING django.request Unauthorized: /api/me" in console
    sinks = {
        "python logging": every_log_record.lines,
        "caplog": [*caplog.text.splitlines(), *(repr(vars(record)) for record in caplog.records)],
        "the console handler": console.splitlines(),
        "stdout and stderr": [*out.splitlines(), *err.splitlines()],
        "database": every_stored_text(),
    }
    secrets = {
        "password": PASSWORD_CANARY,
        "near-miss password": NEAR_MISS_CANARY,
        "bearer token": token,
        "mangled bearer token": token[:-1],
        "forged bearer token": TOKEN_LOOKALIKE_CANARY,
        "right code": right_code,
        "wrong code": wrong_code,
    }
    found: dict[str, Any] = {
        f"{secret} in {sink}": leaks(value, haystack)[:3]
        for secret, value in secrets.items()
        for sink, haystack in sinks.items()
        if leaks(value, haystack)
    }
    assert found == {}
    page_bodies = [page.content.decode() for page in pages]
    assert not leaks(PASSWORD_CANARY, page_bodies), "a password is never echoed back into a page"
    assert not leaks(NEAR_MISS_CANARY, page_bodies)
