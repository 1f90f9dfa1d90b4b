"""The demo seed: every scenario replays through the real services, and a second run changes nothing."""

from __future__ import annotations

import base64
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django_otp.oath import TOTP

from oversight.decisions.models import Decision, DecisionEvent
from oversight.register.models import Case
from oversight.web.demo import ACCOUNTS, demo_secret, seed

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_queue_and_a_second_run_changes_nothing() -> None:
    created, users = seed(cases=24)
    assert created
    assert Case.objects.count() == 24
    states = dict(Decision.objects.values_list("state").annotate(n=Count("id")))
    for state in ("submitted", "returned", "refused", "awaiting_consent", "agreed", "petitioned", "in_force", "denied"):
        assert states.get(state), f"no demo decision is {state}"
    for name in ("bolat", "gulnara", "erlan"):
        assert Decision.objects.review_queue(users[name]).exists(), f"{name}'s queue is empty"
    events = DecisionEvent.objects.count()

    created_again, _ = seed(cases=24)
    assert not created_again
    assert Case.objects.count() == 24
    assert DecisionEvent.objects.count() == events


def test_every_demo_account_signs_in_with_the_printed_password_and_key() -> None:
    seed(cases=1)
    for account in ACCOUNTS:
        client = Client()
        response = client.post("/sign-in/", {"username": account.username, "password": account.password})
        assert response.status_code == 302, account.username
        assert client.get("/").status_code == 302, "nothing is served before the second factor"
        code = TOTP(base64.b32decode(demo_secret(account))).token()
        response = client.post("/sign-in/second-factor/", {"code": f"{code:06d}"})
        assert response.status_code == 302, account.username
        assert client.get("/").status_code == 200


def test_demo_code_prints_the_current_code() -> None:
    seed(cases=1)
    out = StringIO()
    call_command("demo_code", "bolat", stdout=out)
    account = next(account for account in ACCOUNTS if account.username == "bolat")
    assert out.getvalue().strip() == f"{TOTP(base64.b32decode(demo_secret(account))).token():06d}"


def test_seed_demo_prints_the_addresses_where_the_demo_is_served() -> None:
    seed(cases=1)
    out = StringIO()
    call_command("seed_demo", "--site", "http://127.0.0.1:8100/", stdout=out)
    printed = out.getvalue()
    assert "sign in at http://127.0.0.1:8100/sign-in/" in printed
    assert "http://127.0.0.1:8100/api/queue" in printed
    assert "8000" not in printed
    assert "bolat" in printed
