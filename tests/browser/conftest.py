"""Browser tests: Playwright's Python package driving Debian's Chromium, headless, against a live server.

Playwright's sync API runs an event loop in the test's thread while it is started; the test itself
only reads and writes the database between browser steps, so Django's async-safety guard is relaxed
for browser tests, and Playwright is started and stopped per test so that no loop outlives its test.
While it runs, the test's code runs in a context of Playwright's (a greenlet with contextvars of its
own), and Django, which keeps connections per context, opens a database connection for it that
nothing else would close: `playwright_running` closes it, so that no session is left on the test
database when pytest-django drops it.
Screenshots go to test-artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def database_beside_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def playwright_running() -> Iterator[Playwright]:
    """Playwright, started; on the way out, the database connections opened while it ran are closed."""
    with sync_playwright() as running:
        try:
            yield running
        finally:
            connections.close_all()


@pytest.fixture
def playwright() -> Iterator[Playwright]:
    with playwright_running() as running:
        yield running


@pytest.fixture
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    )
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
