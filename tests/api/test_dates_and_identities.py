"""Over the API: a report time the law does not cover, and an IIN that contradicts its birth date or its
holder, are 422 naming the field and write nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_api import Api, case_body, counts
from tests.factories import World, iin, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: World) -> Api:
    return Api(world)


@pytest.mark.parametrize(
    "reported_at",
    [
        "1900-01-01T10:00:00+05:00",
        "2020-12-31T23:59:00+06:00",  # Almaty time then; the first rulebook (kz-2021) is from 1 January 2021
        "0001-01-01T00:00:00+14:00",  # no local date at all
    ],
)
def test_a_report_time_no_rulebook_covers_is_422_naming_reported_at(api: Api, world: World, reported_at: str) -> None:
    before = counts()
    status, body = api.call("POST", "/cases", "aigerim", case_body(world, reported_at=reported_at))
    assert status == 422, body
    assert [error["field"] for error in body["errors"]] == ["reported_at"]
    assert counts() == before


def test_a_report_on_the_first_rulebooks_first_day_is_registered(api: Api, world: World) -> None:
    status, body = api.call("POST", "/cases", "aigerim", case_body(world, reported_at="2021-01-01T00:00:00+06:00"))
    assert status == 201, body


def _participant(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"role": "victim", "last_name": "Amanova", "first_name": "Aliya"}
    body.update(changes)
    return body


def test_a_birth_date_the_iin_contradicts_is_422_naming_birth_date(api: Api, world: World) -> None:
    case = make_case(world)
    before = counts()
    body = _participant(iin="670226400737", birth_date="1990-01-01")
    status, problem = api.call("POST", f"/cases/{case.pk}/participants", "aigerim", body)
    assert status == 422, problem
    assert [error["field"] for error in problem["errors"]] == ["birth_date"]
    assert counts() == before
    body = _participant(iin="670226400737", birth_date="1967-02-26")
    assert api.call("POST", f"/cases/{case.pk}/participants", "aigerim", body)[0] == 201


def test_an_iin_of_another_participant_of_the_case_is_422_naming_iin(api: Api, world: World) -> None:
    case = make_case(world)
    identity = iin(female=True)
    path = f"/cases/{case.pk}/participants"
    assert api.call("POST", path, "aigerim", _participant(iin=identity))[0] == 201
    before = counts()
    status, problem = api.call(
        "POST", path, "aigerim", _participant(role="witness", last_name="Seitkali", first_name="Arman", iin=identity)
    )
    assert status == 422, problem
    assert [error["field"] for error in problem["errors"]] == ["iin"]
    assert counts() == before
    status, person = api.call("POST", path, "aigerim", _participant(role="civil_plaintiff", iin=identity))
    assert status == 201, person
