"""Sign-in, the second factor, lockout, session limits and ending sessions (checklist AN-1..AN-6).

Everything goes through the pages a person uses (django.test.Client) on a frozen clock; the API is
called with the browser session only, never with a bearer token, unless a test says otherwise.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from oversight.accounts import security
from oversight.accounts.models import RoleGrant, User
from oversight.accounts.security import unlock_account
from oversight.accounts.services import grant_role
from oversight.api.policy import POLICIES
from oversight.audit.models import AccessLogEntry, Operation, Outcome
from oversight.kit.errors import Forbidden
from oversight.law.roles import Role
from tests.accounts.journey import (
    START,
    STEP,
    code_step,
    confirmed_device,
    home_shows_signed_in,
    page_text,
    password_step,
    sign_in,
    signed_in,
    totp_code,
)
from tests.factories import PASSWORD, World

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

SECOND_FACTOR = "/sign-in/second-factor/"
WRONG_PASSWORD = "not the password at all"
PERSONAS = ["aigerim", "nurlan", "bolat", "saule", "dana", "ruslan", "erlan", "zhanna", "gulnara", "asel", "admin"]


def session_id(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def twin_of(client: Client) -> Client:
    """A second browser holding a copy of `client`'s session cookie (a stolen or stale cookie)."""
    twin = Client()
    twin.cookies[settings.SESSION_COOKIE_NAME] = session_id(client)
    return twin


def assert_problem_401(response: Response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == 401
    assert body["code"] == "unauthenticated"


def assert_refused(response: Response) -> None:
    assert response.status_code == 200
    assert security.GENERIC_FAILURE in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in response.cookies


# --- a password alone is not enough (AN-1) ------------------------------------------------------------


@pytest.mark.parametrize("username", PERSONAS)
def test_a_correct_password_alone_opens_nothing_until_the_second_factor(
    world: World, clock: TimeMachineFixture, username: str
) -> None:
    user: User = getattr(world, username)
    device = confirmed_device(user)
    client = Client()

    response = password_step(client, username)
    assert response.status_code == 302
    assert response["Location"] == f"{SECOND_FACTOR}?next=%2F"
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == f"{SECOND_FACTOR}?next=%2F"
    assert_problem_401(client.get("/api/queue"))
    assert_problem_401(client.get("/api/me"))

    response = code_step(client, device, clock)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert home_shows_signed_in(client)
    me = client.get("/api/me")
    assert me.status_code == 200
    assert me.json()["username"] == username
    roles = {Role(grant.role) for grant in user.role_grants.all()}
    reads_queue = bool(roles & POLICIES["list_review_queue"].roles)
    assert client.get("/api/queue").status_code == (200 if reads_queue else 403)


def test_the_first_sign_in_enrols_an_authenticator_and_a_wrong_code_is_refused_beside_the_field(
    world: World, clock: TimeMachineFixture
) -> None:
    client = Client()
    assert password_step(client, "bolat").status_code == 302

    page = client.get(SECOND_FACTOR)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Set up your authenticator" in text
    assert "<svg" in text  # the QR code
    shown = re.search(r'<code class="secret">([A-Z2-7]+)</code>', text)
    assert shown is not None
    key = base64.b32decode(shown.group(1))
    device = TOTPDevice.objects.get(user=world.bolat)
    assert not device.confirmed
    assert key == device.bin_key

    wrong = totp_code(device, steps_ahead=10)
    response = client.post(SECOND_FACTOR, {"code": wrong})
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(
        r'<input (?=[^>]*aria-describedby="id_code_error")[^>]*aria-invalid="true"[^>]*id="id_code">\s*'
        r'<p class="error" role="alert" id="id_code_error">The code is not valid\.',
        text,
    ), "the error stands right after the code field and the field points at it for screen readers"
    refusal = AccessLogEntry.objects.get(operation=Operation.SIGN_IN, outcome=Outcome.DENIED)
    assert refusal.user == world.bolat
    assert refusal.action == "second_factor"
    device.refresh_from_db()
    assert not device.confirmed
    assert not signed_in(client)

    clock.shift(STEP)
    code = f"{TOTP(key).token():06d}"  # what the app that scanned the page shows
    response = client.post(SECOND_FACTOR, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert list(TOTPDevice.objects.filter(user=world.bolat)) == [device]
    assert signed_in(client)
    success = AccessLogEntry.objects.get(operation=Operation.SIGN_IN, outcome=Outcome.SUCCESS, action="sign_in")
    assert success.user == world.bolat
    assert success.detail == {"second_factor": "totp", "enrolled": True}


def test_a_replayed_code_is_refused(world: World, clock: TimeMachineFixture) -> None:
    device = confirmed_device(world.bolat)
    first = Client()
    password_step(first, "bolat")
    code = totp_code(device)
    assert first.post(SECOND_FACTOR, {"code": code}).status_code == 302
    assert first.post("/sign-out/").status_code == 302

    clock.shift(5)  # the same code is still on the app's screen
    second = Client()
    assert password_step(second, "bolat").status_code == 302
    response = second.post(SECOND_FACTOR, {"code": code})
    assert response.status_code == 200
    assert "The code is not valid" in response.content.decode()
    assert not signed_in(second)

    assert code_step(second, device, clock).status_code == 302  # the next code is good
    assert signed_in(second)


# --- session identifiers (AN-4) -------------------------------------------------------------------------


def test_sign_in_replaces_the_session_id(world: World, clock: TimeMachineFixture) -> None:
    device = confirmed_device(world.bolat)
    client = Client()
    planted = client.session  # an id an attacker could have planted before the victim signs in
    planted["planted"] = True
    planted.save()
    assert client.get("/sign-in/").status_code == 200
    before = session_id(client)
    assert before == planted.session_key

    assert password_step(client, "bolat").status_code == 302
    after = session_id(client)
    assert after != before
    assert not SessionStore().exists(before)
    assert re.fullmatch(r"[a-z0-9]{32,}", after), "at least 32 random characters of 36: over 128 bits"

    assert code_step(client, device, clock).status_code == 302
    assert signed_in(client)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before
    assert not signed_in(attacker)


# --- lockout (AN-2) ------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_and_the_right_password_then_gets_the_same_answer(
    world: World, clock: TimeMachineFixture
) -> None:
    client = Client()
    failures = []
    for _ in range(5):
        failures.append(password_step(client, "bolat", WRONG_PASSWORD))
        clock.shift(dt.timedelta(minutes=1))
    for response in failures:
        assert_refused(response)
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at == START + dt.timedelta(minutes=4)
    assert AccessLogEntry.objects.filter(action="account_locked", object_id=str(world.bolat.pk)).count() == 1

    right = password_step(client, "bolat", PASSWORD)
    assert right.status_code == failures[0].status_code
    assert page_text(right) == page_text(failures[0])
    assert not signed_in(client)

    security.unlock_account("bolat", actor=None)
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is None
    unlocked = AccessLogEntry.objects.get(action="account_unlocked")
    assert unlocked.username == "console"
    assert unlocked.object_id == str(world.bolat.pk)
    response = password_step(client, "bolat", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == f"{SECOND_FACTOR}?next=%2F"


@pytest.mark.parametrize(
    ("fifth_failure", "locks"),
    [(dt.timedelta(minutes=14, seconds=59), True), (dt.timedelta(minutes=15, seconds=1), False)],
)
def test_only_five_failures_within_fifteen_minutes_lock(
    world: World, clock: TimeMachineFixture, fifth_failure: dt.timedelta, locks: bool
) -> None:
    for minute in range(4):
        clock.move_to(START + dt.timedelta(minutes=minute), tick=False)
        assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))
    clock.move_to(START + fifth_failure, tick=False)
    assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))

    world.bolat.refresh_from_db()
    assert (world.bolat.locked_at is not None) is locks
    response = password_step(Client(), "bolat", PASSWORD)
    assert response.status_code == (200 if locks else 302)


def test_failures_spread_over_more_than_fifteen_minutes_never_lock(world: World, clock: TimeMachineFixture) -> None:
    for _ in range(10):  # one every four minutes: never five in a window of fifteen
        assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))
        clock.shift(dt.timedelta(minutes=4))
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is None
    assert password_step(Client(), "bolat", PASSWORD).status_code == 302


def test_an_unlock_starts_the_count_again(world: World, clock: TimeMachineFixture) -> None:
    for _ in range(5):
        clock.shift(dt.timedelta(seconds=20))
        assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))
    unlock_account("bolat", actor=None)
    clock.shift(dt.timedelta(seconds=20))
    assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is None, "one typo after an unlock is not five failures"


def test_a_right_password_starts_the_count_again(world: World, clock: TimeMachineFixture) -> None:
    for _ in range(4):
        clock.shift(dt.timedelta(seconds=20))
        assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))
    clock.shift(dt.timedelta(seconds=20))
    assert password_step(Client(), "bolat", PASSWORD).status_code == 302
    clock.shift(dt.timedelta(seconds=20))
    assert_refused(password_step(Client(), "bolat", WRONG_PASSWORD))
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is None, "only consecutive failures count (CJIS AC-7)"


def test_an_unknown_username_gets_the_same_answer_as_a_real_one(
    world: World, clock: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same status and page for a real, a locked and a missing account, and the same hashing work.

    The tests hash with MD5, whose `verify` calls `encode`: one `encode` per attempt stands for the
    one Argon2 computation per attempt in production, which is what keeps the timing equal.
    """
    hashed: list[str] = []
    original = MD5PasswordHasher.encode

    def counting(self: MD5PasswordHasher, password: str, salt: str) -> str:
        hashed.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    real, missing = "bolat", "bolatov"
    for attempt in range(7):
        password = PASSWORD if attempt >= 5 else WRONG_PASSWORD  # bolat is locked after the fifth
        hashed.clear()
        known = password_step(Client(), real, password)
        assert len(hashed) == 1, hashed
        hashed.clear()
        unknown = password_step(Client(), missing, password)
        assert len(hashed) == 1, hashed
        assert known.status_code == unknown.status_code == 200
        assert page_text(known, username=real) == page_text(unknown, username=missing)
        assert dict(known.items()).keys() == dict(unknown.items()).keys()
    world.bolat.refresh_from_db()
    assert world.bolat.locked_at is not None


# --- idle and absolute limits (AN-4) -----------------------------------------------------------------


def test_thirty_idle_minutes_end_the_session_and_activity_moves_the_limit(
    world: World, clock: TimeMachineFixture
) -> None:
    device = confirmed_device(world.bolat)
    client = Client()
    sign_in(client, world.bolat, device, clock)  # its last request is now

    clock.shift(dt.timedelta(minutes=29, seconds=59))
    assert home_shows_signed_in(client)
    assert client.get("/api/queue").status_code == 200
    for _ in range(3):  # a request every 20 minutes: an hour in, still signed in
        clock.shift(dt.timedelta(minutes=20))
        assert home_shows_signed_in(client)
        assert client.get("/api/queue").status_code == 200

    clock.shift(dt.timedelta(minutes=30, seconds=1))
    stale = twin_of(client)
    assert not home_shows_signed_in(client)  # "/" is public: the anonymous front page, with "Sign in"
    assert_problem_401(stale.get("/api/queue"))


def test_twelve_hours_after_sign_in_the_session_ends_however_active(world: World, clock: TimeMachineFixture) -> None:
    device = confirmed_device(world.bolat)
    page, api = Client(), Client()
    # Both type the password at START; the 12 hours count from there.
    assert password_step(page, "bolat").status_code == 302
    assert password_step(api, "bolat").status_code == 302
    assert code_step(page, device, clock).status_code == 302
    assert code_step(api, device, clock).status_code == 302

    for step in range(1, 36):  # every 20 minutes until 11:40, so never idle
        clock.move_to(START + dt.timedelta(minutes=20 * step), tick=False)
        assert page.get("/").status_code == 200
        assert api.get("/api/queue").status_code == 200
    clock.move_to(START + dt.timedelta(hours=11, minutes=59, seconds=59), tick=False)
    assert home_shows_signed_in(page)
    assert api.get("/api/queue").status_code == 200

    clock.move_to(START + dt.timedelta(hours=12, seconds=1), tick=False)
    response = page.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2F"
    assert_problem_401(api.get("/api/queue"))
    assert not signed_in(page)
    assert not signed_in(api)


# --- ending sessions on the server (AN-5) ---------------------------------------------------------------


def test_signing_out_ends_every_session_of_that_person_and_no_other(world: World, clock: TimeMachineFixture) -> None:
    device = confirmed_device(world.bolat)
    desk, phone, colleague = Client(), Client(), Client()
    sign_in(desk, world.bolat, device, clock)
    sign_in(phone, world.bolat, device, clock)
    sign_in(colleague, world.dana, confirmed_device(world.dana), clock)
    old_cookie = session_id(desk)

    response = desk.post("/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"

    assert_problem_401(phone.get("/api/queue"))
    assert not signed_in(desk)
    replayed = Client()
    replayed.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert_problem_401(replayed.get("/api/queue"))
    assert signed_in(colleague)
    assert AccessLogEntry.objects.filter(operation=Operation.SIGN_OUT, user=world.bolat).count() == 1


def test_disabling_an_account_ends_its_three_live_sessions(world: World, clock: TimeMachineFixture) -> None:
    device = confirmed_device(world.bolat)
    browsers = [Client(), Client(), Client()]
    for browser in browsers:
        sign_in(browser, world.bolat, device, clock)
    token = world.token(world.bolat)

    with pytest.raises(Forbidden):  # only an administrator may
        security.disable_account(world.bolat, actor=world.saule)
    assert all(signed_in(browser) for browser in browsers)

    security.disable_account(world.bolat, actor=world.admin)

    assert not home_shows_signed_in(browsers[0])
    assert_problem_401(browsers[1].get("/api/queue"))
    assert_problem_401(browsers[2].get("/api/me"))
    assert_problem_401(Client().get("/api/me", headers={"Authorization": f"Bearer {token}"}))
    assert_refused(password_step(Client(), "bolat"))
    disabled = AccessLogEntry.objects.get(action="account_disabled")
    assert disabled.user == world.admin
    assert disabled.object_id == str(world.bolat.pk)


def test_removing_a_role_ends_the_sessions_of_its_holder(world: World, clock: TimeMachineFixture) -> None:
    grant_role(world.bolat, Role.SENIOR_PROSECUTOR, world.astana_office)  # he keeps a role after the removal
    removed = RoleGrant.objects.get(user=world.bolat, role=Role.PROSECUTOR)
    device = confirmed_device(world.bolat)
    client = Client()
    sign_in(client, world.bolat, device, clock)

    security.remove_role(removed, actor=world.admin)

    assert_problem_401(client.get("/api/me"))
    sign_in(Client(), world.bolat, device, clock)  # signing in again gives the remaining role
    assert AccessLogEntry.objects.get(action="role_removed").detail == {
        "role": Role.PROSECUTOR.value,
        "organisation": world.astana_district.code,
        "post": "",
    }


# --- the system-use notice (AN-6) ----------------------------------------------------------------------


def test_the_sign_in_page_shows_the_system_use_notice(db: None) -> None:
    text = Client().get("/sign-in/").content.decode()
    notice = re.search(r'<p class="notice" id="system-use-notice">(.*?)</p>', text, re.DOTALL)
    assert notice is not None
    assert "authorised users only" in notice.group(1)
    assert "recorded" in notice.group(1)
    assert text.index("system-use-notice") < text.index('name="password"'), "read before the password is typed"


# --- passwords (AN-3) ----------------------------------------------------------------------------------

PASSPHRASE = "Жаңбырдан кейін Есіл жағасында қызғалдақтар ашылады 🌷 — und die Straßen glänzen wieder"


def new_user(username: str) -> User:
    return User.objects.create_user(username=username, password=None)


@pytest.mark.argon2
def test_a_long_unicode_passphrase_round_trips(db: None) -> None:
    assert len(PASSPHRASE) >= 64
    validate_password(PASSPHRASE)
    timur = new_user("timur")
    timur.set_password(PASSPHRASE)
    timur.save()
    assert timur.password.startswith("argon2$argon2id$")
    timur.refresh_from_db()
    assert timur.check_password(PASSPHRASE)
    assert not timur.check_password(PASSPHRASE[:-1])
    response = Client().post("/sign-in/", {"username": "timur", "password": PASSPHRASE})
    assert response.status_code == 302
    assert response["Location"] == f"{SECOND_FACTOR}?next=%2F"


@pytest.mark.argon2
def test_the_same_password_is_stored_differently_for_two_people(db: None) -> None:
    first, second = new_user("timur"), new_user("madina")
    for user in (first, second):
        user.set_password(PASSWORD)
        user.save()
    assert first.password.startswith("argon2$argon2id$")
    assert first.password != second.password
    salts = [user.password.split("$")[4] for user in (first, second)]
    assert salts[0] != salts[1]
    assert all(len(base64.b64decode(salt + "==")) >= 16 for salt in salts)  # far above the 32 bits asked
    assert first.check_password(PASSWORD)
    assert second.check_password(PASSWORD)


@pytest.mark.argon2
def test_a_password_is_never_cut_at_72_bytes(db: None) -> None:
    password = "prefix-of-exactly-seventy-two-bytes-" + "x" * 36 + "!"
    assert len(password.encode()) == 73
    timur = new_user("timur")
    timur.set_password(password)
    timur.save()
    assert timur.check_password(password)
    assert not timur.check_password(password[:72])
    assert not timur.check_password(password[:72] + "?")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("password123", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("Oversight2026!", "password_context_word"),
        ("kT9#vLq", "password_too_short"),
        ("x7" * 513, "password_too_long"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert code in [error.code for error in refused.value.error_list]
    assert all(message.strip() for message in refused.value.messages)


@pytest.mark.parametrize("password", ["kT9#vLq2", "a calm river at dusk", PASSPHRASE, "y" * 1024])
def test_eight_characters_and_long_passphrases_are_accepted(password: str) -> None:
    validate_password(password)
