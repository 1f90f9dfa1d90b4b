"""An administrator brings a new investigator in, in the browser: creates the account, reads its first
password off the page once, grants the role; the investigator signs in with it, enrols an
authenticator, sets a password of their own and reaches the investigator's pages. A reset of their
sign-in later takes them through the same steps again."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from oversight.accounts.models import RoleGrant, User
from tests.browser.conftest import screenshot
from tests.browser.helpers import new_page, sign_in
from tests.factories import World

pytestmark = pytest.mark.django_db(transaction=True)

OWN_PASSWORD = "Steppe-wind-over-Ishim-2026"


def first_sign_in(page: Page, site: str, username: str, password: str) -> None:
    """Password, then the authenticator's enrolment (its key read off the page), then a password of one's own."""
    page.goto(f"{site}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Set up your authenticator")
    secret = page.locator("code.secret").inner_text().strip()
    page.fill("#id_code", f"{TOTP(base64.b32decode(secret)).token():06d}")
    page.click("main button[type=submit]")
    expect(page.locator("#own-password-needed")).to_be_visible()
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", OWN_PASSWORD)
    page.fill("#id_new_password2", OWN_PASSWORD)
    page.click("#password-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("The password was changed.")


def test_an_administrator_brings_an_investigator_in(live_server: LiveServer, world: World, browser: Browser) -> None:
    site = live_server.url
    admin = sign_in(browser, site, world.admin)
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    expect(admin.locator("h1")).to_contain_text("Accounts")
    screenshot(admin, "account-list")

    admin.get_by_role("link", name="Create an account").click()
    admin.fill("#username", "madina")
    admin.fill("#last_name", "Serikova")
    admin.fill("#first_name", "Madina")
    admin.fill("#email", "not-an-address")
    admin.select_option("#language", "en")
    admin.get_by_role("button", name="Create the account").click()
    expect(admin.locator("#email-error")).to_have_text("Enter an e-mail address.")
    assert not User.objects.filter(username="madina").exists()
    admin.fill("#email", "madina@example.kz")
    admin.get_by_role("button", name="Create the account").click()
    expect(admin.locator("h1")).to_contain_text("Serikova Madina")
    password = admin.locator("#first-password-value").inner_text()
    screenshot(admin, "account-created")

    admin.select_option("#role", "investigator")
    admin.select_option("#organisation", str(world.astana_unit.pk))
    admin.get_by_role("button", name="Grant the role").click()
    expect(admin.locator(".messages")).to_contain_text("Serikova Madina now holds the role: investigator.")
    expect(admin.locator("#first-password")).to_have_count(0)  # shown once, in the answer that made it
    expect(admin.locator("#roles tbody tr")).to_have_count(1)
    screenshot(admin, "account-page")
    madina = User.objects.get(username="madina")
    assert RoleGrant.objects.filter(user=madina, role="investigator", organisation=world.astana_unit).exists()

    newcomer = new_page(browser)
    first_sign_in(newcomer, site, "madina", password)
    newcomer.goto(f"{site}/cases/")
    expect(newcomer.get_by_role("link", name="Register a report")).to_be_visible()

    # She loses her phone: the administrator resets her sign-in, and she enrols again.
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name="Reset sign-in").click()
    reset_password = admin.locator("#first-password-value").inner_text()
    assert reset_password != password
    expect(admin.locator("#history")).to_contain_text("Sign-in reset")
    newcomer.goto(f"{site}/cases/")
    expect(newcomer.locator("#id_username")).to_be_visible()  # her session ended with the reset

    again = new_page(browser)
    first_sign_in(again, site, "madina", reset_password)
    madina.refresh_from_db()
    assert madina.check_password(OWN_PASSWORD)
    assert not madina.must_change_password
