"""The access log page: auditors only; filters by user and object; reading it is itself logged."""

from __future__ import annotations

import pytest

from oversight.audit.models import AccessLogEntry, Operation
from tests.factories import World, make_case
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def test_the_auditor_reads_who_looked_at_a_case_and_the_reading_is_logged(world: World) -> None:
    case = make_case(world)
    assert signed_in(world.bolat).get(f"/cases/{case.pk}/").status_code == 200
    kamila = signed_in(world.kamila)

    page = kamila.get(f"/access-log/?object={case.erdr_number}")

    assert page.status_code == 200
    shown = list(page.context["page"].object_list)
    assert shown
    assert {entry.object_label for entry in shown} == {case.erdr_number}
    assert "bolat" in {entry.username for entry in shown}
    reading = AccessLogEntry.objects.filter(user=world.kamila, operation=Operation.AUDIT_READ).get()
    assert reading.detail["filters"] == {"object": case.erdr_number}
    assert 'href="/access-log/"' in page.content.decode()  # in the auditor's navigation


def test_the_access_log_filters_by_user(world: World) -> None:
    case = make_case(world)
    signed_in(world.bolat).get(f"/cases/{case.pk}/")
    signed_in(world.saule).get(f"/cases/{case.pk}/")

    page = signed_in(world.kamila).get("/access-log/?username=saule")

    assert {entry.username for entry in page.context["page"].object_list} == {"saule"}


def test_a_malformed_date_is_a_form_error_not_a_500(world: World) -> None:
    page = signed_in(world.kamila).get("/access-log/?since=2026-13-45")

    assert page.status_code == 422
    assert 'id="since-error"' in page.content.decode()


@pytest.mark.parametrize("name", ["bolat", "saule", "admin", "asel", "aigerim"])
def test_nobody_but_an_auditor_reads_it(world: World, name: str) -> None:
    before = AccessLogEntry.objects.filter(operation=Operation.AUDIT_READ).count()

    response = signed_in(getattr(world, name)).get("/access-log/")

    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(operation=Operation.AUDIT_READ).count() == before
