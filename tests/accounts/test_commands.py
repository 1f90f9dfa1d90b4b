"""Operations commands: opening accounts, granting and removing roles, disabling, unlocking, tokens."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from oversight.accounts import security
from oversight.accounts.models import RoleGrant, User
from oversight.audit.models import AccessLogEntry
from oversight.decisions import services as workflow
from oversight.kit.errors import Forbidden
from oversight.law.roles import Role
from tests.factories import PASSWORD, World, add_person, make_case, submitted

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


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _signed_in(username: str, password: str) -> Client:
    """A session past the password step (the second factor is not what these tests look at)."""
    client = Client()
    response = client.post("/sign-in/", {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return client


def test_an_account_is_opened_with_a_first_password_shown_once_and_no_role(world: World) -> None:
    out = _run("create_user", "marat", "--last-name", "Omarov", "--first-name", "Marat", "--language", "kk")

    user = User.objects.get(username="marat")
    password = out.strip().rsplit(" ", 1)[-1]
    assert user.check_password(password)
    assert password not in user.password, "only the hash is kept"
    assert (user.full_name(), user.preferred_language, user.is_active) == ("Omarov Marat", "kk", True)
    assert not RoleGrant.objects.filter(user=user).exists()
    entry = AccessLogEntry.objects.get(action="account_created")
    assert (entry.username, entry.object_label) == ("console", "marat")
    _signed_in("marat", password)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("bolat", "--last-name", "X", "--first-name", "Y"), "username"),
        (("has space", "--last-name", "X", "--first-name", "Y"), "username"),
        (("Console", "--last-name", "X", "--first-name", "Y"), "username"),
        (("marat", "--last-name", " ", "--first-name", "Y"), "last_name"),
        (("marat", "--last-name", "X", "--first-name", "Y", "--email", "not-mail"), "email"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field_and_nothing_is_written(
    world: World, args: tuple[str, ...], field: str
) -> None:
    accounts = User.objects.count()
    with pytest.raises(CommandError, match=rf"^{field}: "):
        _run("create_user", *args)
    assert User.objects.count() == accounts
    assert not AccessLogEntry.objects.filter(action="account_created").exists()


def test_a_consenting_post_granted_from_the_console_lets_its_holder_consent(world: World) -> None:
    """After the post came in (accounts migration 0006) nobody consents for special subjects until the
    General Prosecutor's and the First Deputy's grants name their posts: this is how they are named."""
    RoleGrant.objects.filter(user=world.gulnara).update(post="")
    case = make_case(world)
    member = add_person(case, special_subject="member_of_parliament")
    decision = submitted(case, "recognition_as_suspect", subject=member)
    workflow.agree_decision(decision.pk, actor=world.bolat)
    with pytest.raises(Forbidden):
        workflow.consent_decision(decision.pk, actor=world.gulnara)

    out = _run("grant_role", "gulnara", "senior_prosecutor", "--organisation", "gpo", "--post", "first_deputy")

    assert out.splitlines()[0] == "gulnara: post changed"
    assert "senior_prosecutor in gpo (General Prosecutor's Office), post: first_deputy" in out
    entry = AccessLogEntry.objects.get(action="role_post_changed")
    assert entry.detail == {
        "role": "senior_prosecutor",
        "organisation": "gpo",
        "post": "first_deputy",
        "previous_post": "",
    }
    assert workflow.consent_decision(decision.pk, actor=world.gulnara).state == "in_force"
    assert _run("grant_role", "gulnara", "senior_prosecutor", "--organisation", "gpo").startswith("gulnara: unchanged")
    assert AccessLogEntry.objects.filter(action__startswith="role_").count() == 1, "no change, nothing logged"


def test_a_role_is_granted_in_an_organisation_of_its_kind_and_logged(world: World) -> None:
    out = _run("grant_role", "asel", "prosecutor", "--organisation", "astana-almaty-district")
    assert out.splitlines()[0] == "asel: granted"
    assert RoleGrant.objects.filter(user=world.asel, role="prosecutor", organisation=world.astana_district).exists()
    assert AccessLogEntry.objects.get(action="role_granted").detail == {
        "role": "prosecutor",
        "organisation": "astana-almaty-district",
        "post": "",
    }

    grants = RoleGrant.objects.count()
    with pytest.raises(CommandError, match=r"^organisation: "):
        _run("grant_role", "asel", "investigator", "--organisation", "astana-almaty-district")
    with pytest.raises(CommandError, match=r"^post: "):
        _run("grant_role", "asel", "prosecutor", "--organisation", "astana-almaty-district", "--post", "first_deputy")
    with pytest.raises(CommandError, match="no organisation"):
        _run("grant_role", "asel", "prosecutor", "--organisation", "nowhere")
    with pytest.raises(CommandError, match="no user"):
        _run("grant_role", "nobody", "analyst")
    assert RoleGrant.objects.count() == grants
    assert AccessLogEntry.objects.filter(action__startswith="role_").count() == 1


def test_removing_a_role_ends_the_holders_sessions_and_names_the_cases_left_to_reassign(world: World) -> None:
    make_case(world)  # aigerim's
    client = _signed_in("aigerim", PASSWORD)
    assert client.get("/sign-in/second-factor/").status_code == 200

    out = _run("remove_role", "aigerim", "investigator", "--organisation", "astana-police-almaty")

    assert out.splitlines()[:2] == ["aigerim: removed", "  no roles"]
    assert "1 open case(s) are still assigned to aigerim: reassign them" in out
    assert not RoleGrant.objects.filter(user=world.aigerim).exists()
    assert client.get("/sign-in/second-factor/").status_code == 302, "the half-signed-in session ended"
    assert AccessLogEntry.objects.get(action="role_removed").detail["organisation"] == "astana-police-almaty"
    with pytest.raises(CommandError, match="holds no such role"):
        _run("remove_role", "aigerim", "investigator", "--organisation", "astana-police-almaty")
    assert "open case" not in _run("remove_role", "bolat", "prosecutor", "--organisation", "astana-almaty-district")


def test_a_disabled_account_loses_its_tokens_and_cannot_be_granted_a_role(world: World) -> None:
    client = Client(headers={"Authorization": f"Bearer {world.token(world.asel)}"})
    assert client.get("/api/me").status_code == 200

    assert _run("disable_account", "asel").strip() == "asel disabled"

    assert client.get("/api/me").status_code == 401
    assert AccessLogEntry.objects.get(action="account_disabled").username == "console"
    with pytest.raises(CommandError, match=r"^username: The account asel is disabled\."):
        _run("grant_role", "asel", "auditor")
    assert not RoleGrant.objects.filter(user=world.asel, role=Role.AUDITOR).exists()


def test_only_an_administrator_grants_roles_or_opens_accounts_outside_the_console(world: World) -> None:
    with pytest.raises(Forbidden):
        security.assign_role(world.asel, Role.AUDITOR, None, actor=world.saule)
    with pytest.raises(Forbidden):
        security.create_account("marat", last_name="Omarov", first_name="Marat", actor=world.bolat)
    assert not RoleGrant.objects.filter(user=world.asel, role=Role.AUDITOR).exists()
    assert not User.objects.filter(username="marat").exists()

    grant, action = security.assign_role(world.asel, Role.AUDITOR, None, actor=world.admin)
    assert (grant.role, action) == ("auditor", "role_granted")
    assert AccessLogEntry.objects.get(action="role_granted").username == "admin"


def test_a_grant_without_organisation_exists_once(world: World) -> None:
    """accounts migration 0007: NULLS NOT DISTINCT, so two grants of one role at once cannot both land."""
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=world.admin, role=Role.ADMINISTRATOR.value, organisation=None)
    assert RoleGrant.objects.filter(user=world.admin, role=Role.ADMINISTRATOR.value).count() == 1
