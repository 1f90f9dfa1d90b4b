"""Operations commands: unlocking an account and revoking tokens."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from oversight.audit.models import AccessLogEntry
from tests.factories import World

pytestmark = pytest.mark.django_db


def test_unlock_account_lifts_the_lock_and_is_logged(world: World) -> None:
    world.bolat.locked_at = timezone.now()
    world.bolat.save()
    out = StringIO()
    call_command("unlock_account", "bolat", stdout=out)
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is None
    assert "bolat unlocked" in out.getvalue()
    assert AccessLogEntry.objects.filter(action="account_unlocked", object_label="bolat").exists()
    with pytest.raises(CommandError):
        call_command("unlock_account", "nobody")


def test_revoked_tokens_stop_working_at_once(world: World) -> None:
    token = world.token(world.bolat)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/me").status_code == 200
    out = StringIO()
    call_command("revoke_tokens", "bolat", stdout=out)
    assert "1 token(s) revoked" in out.getvalue()
    assert client.get("/api/me").status_code == 401


def test_issue_token_prints_a_working_token(world: World) -> None:
    out = StringIO()
    call_command("issue_token", "bolat", "--days", "1", stdout=out)
    client = Client(headers={"Authorization": f"Bearer {out.getvalue().strip()}"})
    assert client.get("/api/me").json()["username"] == "bolat"
