"""Steps the browser tests share: a persona signs in through the real pages, in a browser context of their own.

Each persona gets a TOTP device created by the test and types the code its authenticator would show.
A device accepts a code of a given 30-second step once, so a test signs each persona in once and keeps
their context open; the `browser` fixture closes every context when the test ends.
"""

from __future__ import annotations

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, ViewportSize, expect

from oversight.accounts.models import User
from tests.factories import PASSWORD

VIEWPORT: ViewportSize = {"width": 1280, "height": 900}


def device_of(user: User) -> TOTPDevice:
    """The persona's authenticator, created on first use."""
    device: TOTPDevice = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="authenticator app", confirmed=True
    )
    return device


def current_code(user: User) -> str:
    return f"{TOTP(device_of(user).bin_key).token():06d}"


def new_page(browser: Browser, *, bypass_csp: bool = False) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", bypass_csp=bypass_csp)
    return context.new_page()


def type_password(page: Page, site: str, user: User) -> None:
    """The first step: the password page; the browser lands on the second-factor page."""
    device_of(user)
    page.goto(f"{site}/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator("#id_code")).to_be_visible()


def type_code(page: Page, user: User) -> None:
    page.fill("#id_code", current_code(user))
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_contain_text(user.full_name())


def choose_language(page: Page, code: str) -> None:
    """Pick the language in the header's switch (it submits itself); a signed-in user's account remembers it."""
    if page.locator("html").get_attribute("lang") != code:
        with page.expect_navigation():
            page.select_option("#language-choice", code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def sign_in(browser: Browser, site: str, user: User, *, bypass_csp: bool = False, language: str = "en") -> Page:
    """A page of a new browser context in which `user` signed in with password and code; it shows their home.

    Accounts start in Russian whatever the browser asks for, so the persona switches to `language` first.
    """
    page = new_page(browser, bypass_csp=bypass_csp)
    type_password(page, site, user)
    type_code(page, user)
    choose_language(page, language)
    return page
