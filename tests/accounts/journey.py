"""Signing in the way a person does: the password page, then the second factor, on a frozen clock.

`code_step` moves the clock on by one TOTP step (30 s) before it types a code, because a device
refuses a code of a step it has already accepted (the replay rule under test).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from oversight.accounts.models import User
from tests.factories import PASSWORD

if TYPE_CHECKING:  # what django.test.Client returns: a response with .json(), .client and friends
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

# 09:00 in Astana; a whole TOTP step, so that every shift of 30 s lands on the next code.
START = dt.datetime(2026, 12, 1, 4, 0, tzinfo=dt.UTC)
STEP = 30
# A fixed key makes every code of a test the same on every run.
DEVICE_KEY = "3132333435363738393031323334353637383930"


def confirmed_device(user: User, *, key: str = DEVICE_KEY) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="t", confirmed=True, key=key)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or `steps_ahead` steps later)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(client: Client, username: str, password: str = PASSWORD) -> Response:
    return client.post("/sign-in/", {"username": username, "password": password})


def code_step(client: Client, device: TOTPDevice, clock: TimeMachineFixture) -> Response:
    clock.shift(STEP)
    return client.post("/sign-in/second-factor/", {"code": totp_code(device)})


def sign_in(client: Client, user: User, device: TOTPDevice, clock: TimeMachineFixture) -> None:
    assert password_step(client, user.username).status_code == 302
    response = code_step(client, device, clock)
    assert response.status_code == 302, response.content.decode()
    assert signed_in(client)


def signed_in(client: Client) -> bool:
    """The session answers for a person: the API (session auth, no bearer) knows who is calling."""
    response = client.get("/api/me")
    assert response.status_code in {200, 401}, response.status_code
    return response.status_code == 200


def home_shows_signed_in(client: Client) -> bool:
    response = client.get("/")
    assert response.status_code == 200, response.status_code
    return 'class="who"' in response.content.decode()


def page_text(response: Response, *, username: str = "") -> str:
    """The page with its per-response CSRF token and the echoed username masked."""
    text = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', response.content.decode()
    )
    if username:
        text = text.replace(f'value="{username}"', 'value="USERNAME"')
    return text
