"""A security key (WebAuthn) registered and used in a real browser, with Chromium's virtual authenticator."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from oversight.accounts.models import SecurityKey
from oversight.audit.models import AccessLogEntry
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db(transaction=True)


def type_password(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_register_a_security_key_then_sign_in_with_it(live_server: LiveServer, world: World, page: Page) -> None:
    base = live_server.url.replace("127.0.0.1", "localhost")  # WebAuthn needs a name, not an address
    device = TOTPDevice.objects.create(user=world.bolat, name="app", confirmed=True)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    type_password(page, base, "bolat")
    page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Bolat")

    page.goto(f"{base}/account/security/")
    page.fill("#key-name", "YubiKey 5")
    page.click("#add-security-key")
    expect(page.locator("ul.keys")).to_contain_text("YubiKey 5")
    screenshot(page, "account-security")
    assert SecurityKey.objects.filter(user=world.bolat, name="YubiKey 5").count() == 1

    page.click("#sign-out")
    type_password(page, base, "bolat")
    expect(page.locator("#use-security-key")).to_be_visible()
    screenshot(page, "second-factor-with-security-key")
    page.click("#use-security-key")
    expect(page.locator("h1")).to_contain_text("Bolat")
    assert AccessLogEntry.objects.filter(
        user=world.bolat, action="sign_in", detail__second_factor="security_key", outcome="success"
    ).exists()
    assert SecurityKey.objects.get(user=world.bolat).last_used_at is not None


def test_a_security_key_of_another_account_is_refused(live_server: LiveServer, world: World, page: Page) -> None:
    base = live_server.url.replace("127.0.0.1", "localhost")
    for user in (world.bolat, world.saule):
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    type_password(page, base, "saule")
    page.fill("#id_code", f"{TOTP(TOTPDevice.objects.get(user=world.saule).bin_key).token():06d}")
    page.click("main button[type=submit]")
    page.goto(f"{base}/account/security/")
    page.click("#add-security-key")
    expect(page.locator("ul.keys")).to_be_visible()
    # bolat's account now lists a key whose private half this browser does not hold
    SecurityKey.objects.filter(user=world.saule).update(user=world.bolat, credential_id=b"not-this-one")
    page.click("#sign-out")
    type_password(page, base, "bolat")
    page.click("#use-security-key")
    expect(page.locator("[data-key-status]")).to_contain_text("not")
    assert page.url.startswith(f"{base}/sign-in/second-factor/")
