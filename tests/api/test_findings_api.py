"""The monitor's findings through the API: read within supervision, answered once, errors naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.audit.models import AccessLogEntry, Operation
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding, FindingStatus
from oversight.register import services as register
from tests.api.test_api import Api
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: World) -> Api:
    return Api(world)


@pytest.fixture
def finding(world: World) -> Finding:
    case = register.register_case(
        actor=world.aigerim,
        unit_id=world.astana_unit.pk,
        form="inquiry",
        articles=[register.ArticleInput("188", 1)],
        reported_at=timezone.now() - dt.timedelta(hours=30),
        summary="Reported yesterday, registered today",
    )
    monitor.sweep()
    return Finding.objects.get(case=case, rule="report_registration_late")


def test_the_prosecutor_reads_a_finding_with_its_article_facts_and_remedy(api: Api, finding: Finding) -> None:
    status, listed = api.call("GET", "/findings?status=open", "bolat")
    assert status == 200
    assert [item["id"] for item in listed["items"]] == [finding.pk]

    status, body = api.call("GET", f"/findings/{finding.pk}", "bolat")

    assert status == 200
    assert (body["rule"], body["article"], body["severity"], body["status"]) == (
        "report_registration_late",
        "CPC art. 180; GPO Order No. 89",
        "high",
        "open",
    )
    assert finding.case is not None
    assert body["erdr_number"] == finding.case.erdr_number
    assert "was registered at" in body["explanation"]
    assert body["remedy"].startswith("A report is registered in the ERDR")
    assert set(body["facts"]) == {"erdr_number", "reported_at", "registered_at", "due_at"}
    assert AccessLogEntry.objects.filter(
        action="get_finding", object_id=str(finding.pk), operation=Operation.CONSULTATION
    ).exists()


def test_out_of_supervision_a_finding_is_a_404_and_absent_from_the_list(api: Api, finding: Finding) -> None:
    assert api.call("GET", f"/findings/{finding.pk}", "dana")[0] == 404
    assert api.call("POST", f"/findings/{finding.pk}/acknowledge", "dana")[0] == 404
    assert api.call("GET", "/findings", "dana")[1]["items"] == []
    assert api.call("GET", "/findings", "aigerim")[0] == 403
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_bad_answers_name_the_field_and_write_nothing(api: Api, finding: Finding) -> None:
    for body, field in (
        ({"response": "instruction", "note": "  "}, "note"),
        ({"response": "apology", "note": "Instruction No. 4"}, "response"),
        ({"note": "Instruction No. 4"}, "response"),
    ):
        status, problem = api.call("POST", f"/findings/{finding.pk}/resolve", "bolat", body)
        assert status == 422, problem
        assert field in [error["field"] for error in problem["errors"]]
    status, problem = api.call("POST", f"/findings/{finding.pk}/dismiss", "bolat", {"reason": ""})
    assert status == 422
    assert problem["errors"][0]["field"] == "reason"
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_acknowledge_then_resolve_once_and_a_replay_changes_nothing(api: Api, finding: Finding) -> None:
    status, acknowledged = api.call(
        "POST", f"/findings/{finding.pk}/acknowledge", "bolat", **{"Idempotency-Key": "ack-1"}
    )
    assert (status, acknowledged["status"]) == (200, "acknowledged")
    replayed = api.call("POST", f"/findings/{finding.pk}/acknowledge", "bolat", **{"Idempotency-Key": "ack-1"})
    assert replayed == (200, acknowledged)

    status, resolved = api.call(
        "POST", f"/findings/{finding.pk}/resolve", "bolat", {"response": "instruction", "note": "Instruction No. 4"}
    )
    assert (status, resolved["status"], resolved["response"], resolved["note"]) == (
        200,
        "resolved",
        "instruction",
        "Instruction No. 4",
    )
    assert api.call("POST", f"/findings/{finding.pk}/dismiss", "saule", {"reason": "Not a violation"})[0] == 409
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESOLVED
