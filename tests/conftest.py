from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.factories import World, build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest) -> Iterator[None]:
    """Argon2 costs ~0.1 s a user by design; tests of sign-in itself opt back in with @pytest.mark.argon2."""
    if request.node.get_closest_marker("argon2"):
        yield
        return
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def world(db: None) -> World:
    return build_world()
