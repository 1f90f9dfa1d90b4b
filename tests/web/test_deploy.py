"""Production settings pass Django's deployment checks, and every response carries its headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import World, make_case

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings() -> None:
    environment = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "OVERSIGHT_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "oversight.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    environment = {**os.environ, "OVERSIGHT_PRODUCTION": "1", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_and_api_carry_security_headers_and_case_data_is_never_cached(world: World) -> None:
    case = make_case(world)
    client = Client()
    page = client.get("/sign-in/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    response = client.get(f"/api/cases/{case.pk}", headers={"Authorization": f"Bearer {world.token(world.bolat)}"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
