"""The administrator's emergency read in the browser: recorded with its reason, the seniors alerted."""

from __future__ import annotations

import pytest

from oversight.audit.models import AccessLogEntry, Alert
from tests.factories import World, make_case
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db
REASON = "Court order No. 12 requires the file tonight; the unit cannot be reached"


def test_the_administrator_reads_a_case_and_its_senior_prosecutors_are_alerted(world: World) -> None:
    case = make_case(world)
    admin = signed_in(world.admin)
    assert 'href="/cases/break-glass/"' in admin.get("/").content.decode()

    page = admin.post("/cases/break-glass/", {"erdr_number": case.erdr_number, "reason": REASON})

    assert page.status_code == 200
    html = page.content.decode()
    assert case.erdr_number in html
    assert "Emergency read outside your jurisdiction" in html
    entry = AccessLogEntry.objects.get(action="break_glass")
    assert (entry.user, entry.object_label, entry.justification) == (world.admin, case.erdr_number, REASON)
    assert {alert.recipient for alert in Alert.objects.filter(entry=entry)} == {world.saule, world.gulnara}


@pytest.mark.parametrize(
    ("typed", "status", "field"),
    [
        ({"reason": "just looking"}, 422, "reason"),
        ({"erdr_number": ""}, 422, "erdr_number"),
        ({"erdr_number": "999999999999999"}, 404, "erdr_number"),
    ],
)
def test_without_a_reason_or_a_real_number_nothing_is_read_or_recorded(
    world: World, typed: dict[str, str], status: int, field: str
) -> None:
    case = make_case(world)
    given = {"erdr_number": case.erdr_number, "reason": REASON, **typed}

    page = signed_in(world.admin).post("/cases/break-glass/", given)

    assert page.status_code == status
    assert f'id="{field}-error"' in page.content.decode()
    assert case.summary not in page.content.decode()
    assert not AccessLogEntry.objects.filter(action="break_glass").exists()
    assert not Alert.objects.exists()


@pytest.mark.parametrize("name", ["bolat", "saule", "kamila", "aigerim"])
def test_nobody_else_breaks_the_glass(world: World, name: str) -> None:
    case = make_case(world)
    client = signed_in(getattr(world, name))

    assert client.get("/cases/break-glass/").status_code == 403
    assert client.post("/cases/break-glass/", {"erdr_number": case.erdr_number, "reason": REASON}).status_code == 403
    assert not AccessLogEntry.objects.filter(action="break_glass").exists()
