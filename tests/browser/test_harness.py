"""The browser tests' own harness."""

from __future__ import annotations

import pytest
from django.db import connections

from tests.browser.conftest import playwright_running


@pytest.mark.django_db
def test_a_connection_opened_while_playwright_runs_is_closed_when_it_stops() -> None:
    with playwright_running():
        beside = connections["default"]
        beside.ensure_connection()
        assert beside.connection is not None
    # Left open, it would keep a session on the test database, which then could not be dropped.
    assert beside.connection is None
