"""Property-based fuzzing of the whole API from its OpenAPI document (schemathesis), as a prosecutor.

Checks: no 5xx, every response conforms to its documented schema, and invalid data is rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, not_a_server_error, response_schema_conformance

from oversight.config.wsgi import application
from tests.factories import World, add_person, make_case, submitted, suspect

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Valid and deliberately invalid requests both: invalid ones must be rejected with a 4xx.
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world: World) -> dict[str, str]:
    """A prosecutor with real work in reach, so generated ids sometimes hit real objects."""
    case = make_case(world)
    suspect(case, world)
    submitted(case, "recognition_as_suspect", subject=add_person(case))
    submitted(case, "interruption_of_terms")
    return {"Authorization": f"Bearer {world.token(world.bolat)}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_keeps_its_contract(case: Any, bearer: dict[str, str]) -> None:
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, negative_data_rejection])
