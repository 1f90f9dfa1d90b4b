"""A person changes their own password on the account's security page.

The current password is checked (a wrong one counts towards the lockout like a failed sign-in), the
new one passes AUTH_PASSWORD_VALIDATORS with messages in the person's language, and a change ends
every other session of theirs while this one goes on.
"""

from __future__ import annotations

import base64
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory
from django_otp.oath import TOTP
from time_machine import TimeMachineFixture

from oversight.accounts import security
from oversight.accounts.models import User
from oversight.accounts.services import grant_role
from oversight.audit.models import AccessLogEntry
from oversight.law.roles import Role
from tests.accounts.journey import confirmed_device, password_step, sign_in, signed_in
from tests.factories import PASSWORD, World, make_case

pytestmark = pytest.mark.django_db

NEW = "a river of quiet stones 47"


def change(client: Client, *, old: str = PASSWORD, new: str = NEW, again: str | None = None) -> str:
    response = client.post(
        "/account/security/password/",
        {"old_password": old, "new_password1": new, "new_password2": new if again is None else again},
    )
    if response.status_code == 302:
        return str(response["Location"])
    assert response.status_code == 422, response.status_code
    return response.content.decode()


def field_error(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" role="alert" id="id_{field}_error">([^<]*)</p>', page)
    assert re.search(rf'aria-invalid="true" aria-describedby="id_{field}_error" id="id_{field}"', page), (
        "the field points at its error for screen readers"
    )
    assert found, f"no error shown for {field}"
    return found.group(1)


def test_a_changed_password_ends_the_other_sessions_and_keeps_this_one(world: World, clock: TimeMachineFixture) -> None:
    device = confirmed_device(world.bolat)
    here, elsewhere = Client(), Client()
    sign_in(here, world.bolat, device, clock)
    sign_in(elsewhere, world.bolat, device, clock)

    assert change(here) == "/account/security/"

    assert signed_in(here)
    assert not signed_in(elsewhere)
    page = here.get("/account/security/").content.decode()
    assert "The password was changed. Your other sessions have ended." in page
    assert password_step(Client(), "bolat", PASSWORD).status_code == 200, "the old password no longer signs in"
    assert password_step(Client(), "bolat", NEW).status_code == 302
    entry = AccessLogEntry.objects.get(action="password_changed")
    assert (entry.username, entry.object_label) == ("bolat", "bolat")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("short1", None), "Use at least 8 characters."),
        (("password123", None), "This password is too common"),
        (("prokuratura2026", None), "a word everyone associates with this system"),
        ((NEW, NEW + "!"), "The two new passwords differ."),
    ],
)
def test_a_new_password_against_the_rules_is_refused_naming_the_field(
    world: World, clock: TimeMachineFixture, typed: tuple[str, str | None], message: str
) -> None:
    client = Client()
    sign_in(client, world.bolat, confirmed_device(world.bolat), clock)
    hash_before = User.objects.get(pk=world.bolat.pk).password
    new, again = typed

    assert message in field_error(change(client, new=new, again=again), "new_password2")

    assert User.objects.get(pk=world.bolat.pk).password == hash_before
    assert not AccessLogEntry.objects.filter(action="password_changed").exists()
    assert signed_in(client)


def test_the_rules_speak_the_persons_language(world: World, clock: TimeMachineFixture) -> None:
    User.objects.filter(pk=world.bolat.pk).update(preferred_language="kk")
    client = Client()
    sign_in(client, world.bolat, confirmed_device(world.bolat), clock)
    page = change(client, new="short1")
    assert "Кемінде 8 таңба пайдаланыңыз." in field_error(page, "new_password2")
    assert "Ағымдағы құпиясөз" in page
    page = change(client, old="not the password")
    assert field_error(page, "old_password") == "Ағымдағы құпиясөз қате. Оны қайта енгізіңіз."


def test_guessing_the_current_password_locks_the_account_as_failed_sign_ins_do(
    world: World, clock: TimeMachineFixture
) -> None:
    """A session left open must not become a way to try passwords without limit."""
    client = Client()
    sign_in(client, world.bolat, confirmed_device(world.bolat), clock)
    for attempt in range(settings.SIGN_IN_FAILURE_LIMIT):
        clock.shift(1)  # the clock is frozen: each try comes after the sign-in that started the count
        page = change(client, old=f"guess {attempt}")
        assert "The current password is not right. Enter it again." in field_error(page, "old_password")

    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is not None
    assert AccessLogEntry.objects.filter(action="account_locked", object_label="bolat").exists()
    assert not signed_in(client), "locking ends the session"
    assert password_step(Client(), "bolat", PASSWORD).status_code == 200, "nor can it sign in again"


def test_only_a_signed_in_person_changes_a_password(world: World) -> None:
    client = Client()
    response = client.post(
        "/account/security/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    world.bolat.refresh_from_db()
    assert world.bolat.check_password(PASSWORD)
    assert password_step(client, "bolat").status_code == 302  # the password step alone is not signed in
    response = client.post(
        "/account/security/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert User.objects.get(pk=world.bolat.pk).check_password(PASSWORD)


def test_a_disable_that_lands_while_the_password_is_changed_stands(world: World) -> None:
    """The user read at the start of the request is stale by the time the new password is written: the
    change writes only the password, and not at all once the account was disabled or locked meanwhile."""
    stale = User.objects.get(pk=world.bolat.pk)
    security.disable_account(world.bolat, actor=None)

    assert security.change_password(RequestFactory().post("/account/security/password/"), stale, NEW) is False

    now = User.objects.get(pk=world.bolat.pk)
    assert (now.is_active, now.check_password(PASSWORD)) == (False, True)
    assert not AccessLogEntry.objects.filter(action="password_changed").exists()


def test_a_blank_current_password_is_asked_for_and_not_counted_as_a_guess(
    world: World, clock: TimeMachineFixture
) -> None:
    client = Client()
    sign_in(client, world.bolat, confirmed_device(world.bolat), clock)
    for _ in range(settings.SIGN_IN_FAILURE_LIMIT + 1):
        clock.shift(1)
        assert field_error(change(client, old=""), "old_password")
    assert User.objects.get(pk=world.bolat.pk).locked_at is None
    assert signed_in(client)


def test_a_person_given_a_password_by_the_console_sets_their_own_before_anything_else(
    world: World, clock: TimeMachineFixture
) -> None:
    """create_user's password is known to whoever ran it: the first sign-in enrols the authenticator,
    then every page leads to the security page until the person has a password of their own."""
    out = StringIO()
    call_command("create_user", "marat", "--last-name", "Omarov", "--first-name", "Marat", stdout=out)
    given = out.getvalue().strip().rsplit(" ", 1)[-1]
    marat = User.objects.get(username="marat")
    grant_role(marat, Role.INVESTIGATOR, world.astana_unit)
    client = Client()
    assert password_step(client, "marat", given).status_code == 302
    page = client.get("/sign-in/second-factor/").content.decode()
    key = base64.b32decode(re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1))  # type: ignore[union-attr]
    clock.shift(30)
    enrolled = client.post("/sign-in/second-factor/", {"code": f"{TOTP(key).token():06d}"})
    assert (enrolled.status_code, enrolled["Location"]) == (302, "/account/security/")

    for path in ("/cases/", "/queue/", "/findings/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/account/security/"), path
    security_page = client.get("/account/security/").content.decode()
    assert 'id="own-password-needed"' in security_page
    case = make_case(world, investigator=marat)
    home = client.get("/")
    assert home.status_code == 200, "what the system is stays readable"
    assert 'id="own-password-needed"' in home.content.decode()
    assert case.erdr_number not in home.content.decode(), "but not the cases the role opens"
    assert client.get("/api/me").status_code == 401, "nor does the API take the session meanwhile"
    kept = change(client, old=given, new=given)
    assert field_error(kept, "new_password2") == "The new password must differ from the current one."
    assert User.objects.get(pk=marat.pk).must_change_password, "the administrator's password is still known"

    assert change(client, old=given) == "/account/security/"

    assert client.get("/cases/").status_code == 200
    assert case.erdr_number in client.get("/").content.decode()
    assert client.get("/api/me").status_code == 200
    marat.refresh_from_db()
    assert not marat.must_change_password
    assert 'id="own-password-needed"' not in client.get("/account/security/").content.decode()
