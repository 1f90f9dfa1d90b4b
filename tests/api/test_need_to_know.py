"""Need to know, told about the personas; and the access log that records every look (LED art. 25)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts.services import grant_role
from oversight.audit.models import AccessLogEntry, Alert
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision, DecisionEvent
from oversight.law.roles import Role
from tests.factories import World, add_person, make_case, submitted, suspect

pytestmark = pytest.mark.django_db


def api(world: World, who: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = Client().generic(
        method,
        "/api" + path,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token(getattr(world, who))}"},
    )
    return response.status_code, response.json() if response.content else None


def test_the_almaty_prosecutor_reaches_nothing_of_astana(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "recognition_as_suspect", subject=add_person(case))
    assert api(world, "dana", "GET", f"/cases/{case.pk}")[0] == 404
    assert api(world, "dana", "GET", f"/decisions/{decision.pk}")[0] == 404
    assert api(world, "dana", "POST", f"/decisions/{decision.pk}/agree", {"comment": ""})[0] == 404
    status, found = api(world, "dana", "GET", f"/cases?erdr_number={case.erdr_number}")
    assert (status, found["count"]) == (200, 0)
    assert api(world, "dana", "GET", "/queue")[1]["count"] == 0


def test_the_judge_sees_only_petitions_sent_to_the_court(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    recognition = Decision.objects.get(kind="recognition_as_suspect")
    unsent = submitted(case, "search_petition")
    assert api(world, "erlan", "GET", f"/cases/{case.pk}")[0] == 404, "no petition yet: no case"
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    status, seen = api(world, "erlan", "GET", f"/cases/{case.pk}")
    assert status == 200
    assert [d["id"] for d in seen["decisions"]] == [petition.pk], "only the petition, not the other decisions"
    assert api(world, "erlan", "GET", f"/decisions/{recognition.pk}")[0] == 404
    assert api(world, "erlan", "GET", f"/decisions/{unsent.pk}")[0] == 404
    assert [item["id"] for item in api(world, "erlan", "GET", "/queue")[1]["items"]] == [petition.pk]
    assert api(world, "zhanna", "GET", f"/decisions/{petition.pk}")[0] == 404, "another court's judge"


def test_the_judge_sees_no_effect_or_clock_of_a_decision_out_of_reach(world: World) -> None:
    """An effect or a clock names its decision: the case read by the judge names only the petition."""
    case = make_case(world)
    person = suspect(case, world)  # the recognition: its effect on the person, its review clock closed
    recognition = Decision.objects.get(kind="recognition_as_suspect")
    unsent = submitted(case, "search_petition")  # its review clock runs, at the prosecutor's
    petition = submitted(case, "custody_petition", subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)

    prosecutor = api(world, "bolat", "GET", f"/cases/{case.pk}")[1]
    judge = api(world, "erlan", "GET", f"/cases/{case.pk}")[1]

    assert {e["decision_id"] for e in prosecutor["legal_effects"]} == {recognition.pk}
    assert {d["decision_id"] for d in prosecutor["deadlines"]} == {recognition.pk, unsent.pk, petition.pk}
    assert judge["legal_effects"] == [], "the recognition's effect names a decision the judge does not reach"
    assert {d["decision_id"] for d in judge["deadlines"]} == {petition.pk}, "the sanction's clock, no other"
    assert [p["role"] for p in judge["participants"]] == ["suspect"], "the case's people stay on the case"

    workflow.grant_sanction(petition.pk, actor=world.erlan)  # custody: an effect of a decision the judge reaches
    judge = api(world, "erlan", "GET", f"/cases/{case.pk}")[1]
    assert {e["decision_id"] for e in judge["legal_effects"]} == {petition.pk}


def test_the_administrator_and_the_analyst_get_403_on_case_content(world: World) -> None:
    case = make_case(world)
    for who in ("admin", "asel"):
        status, problem = api(world, who, "GET", f"/cases/{case.pk}")
        assert status == 403
        assert problem["status"] == 403
        assert api(world, who, "GET", "/cases")[0] == 403


def test_break_glass_needs_a_reason_alerts_the_senior_prosecutors_and_is_logged(world: World) -> None:
    case = make_case(world)
    status, problem = api(world, "admin", "POST", f"/cases/{case.pk}/break-glass", {"reason": "look"})
    assert status == 422
    assert problem["errors"][0]["field"] == "reason"
    assert not Alert.objects.exists()
    reason = "Incident INC-4411: the register shows a corrupted term; verifying before restore"
    status, seen = api(world, "admin", "POST", f"/cases/{case.pk}/break-glass", {"reason": reason})
    assert status == 200
    assert seen["erdr_number"] == case.erdr_number
    entry = AccessLogEntry.objects.get(action="break_glass")
    assert (entry.user, entry.justification, entry.object_id) == (world.admin, reason, str(case.pk))
    assert {alert.recipient for alert in Alert.objects.filter(entry=entry)} == {world.saule, world.gulnara}
    saule = Client()
    saule.force_login(world.saule)
    session = saule.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=world.saule, name="t").persistent_id
    session["oversight_signed_in_at"] = timezone.now().isoformat()
    session.save()
    home = saule.get("/").content.decode()
    assert f"Emergency read of case {case.erdr_number} by admin" in home
    assert reason in home
    alert = Alert.objects.get(entry=entry, recipient=world.saule)
    saule.post(f"/alerts/{alert.pk}/read/")
    assert reason not in saule.get("/").content.decode()


def test_a_user_with_two_roles_cannot_agree_to_their_own_draft(world: World) -> None:
    grant_role(world.aigerim, Role.PROSECUTOR, world.astana_district)
    case = make_case(world)
    decision = submitted(case, "recognition_as_suspect", subject=add_person(case))
    status, problem = api(world, "aigerim", "POST", f"/decisions/{decision.pk}/agree", {"comment": ""})
    assert status == 403
    assert "drafted" in problem["detail"]


def test_every_look_and_every_change_is_logged_with_its_fields(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "interruption_of_terms")
    before = AccessLogEntry.objects.count()
    assert api(world, "bolat", "GET", f"/cases/{case.pk}")[0] == 200
    assert api(world, "bolat", "POST", f"/decisions/{decision.pk}/agree", {"comment": ""})[0] == 200
    assert api(world, "dana", "GET", f"/cases/{case.pk}")[0] == 404
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [(row.action, row.operation, row.outcome) for row in rows] == [
        ("get_case", "consultation", "success"),
        ("agree_decision", "alteration", "success"),
        ("get_case", "consultation", "not_found"),
    ]
    for row in rows:
        assert row.at.tzinfo is not None
        assert row.user is not None
        assert row.role
        assert row.organisation is not None
        assert row.ip == "127.0.0.1"
        assert row.object_type in {"case", "decision"}
        assert row.object_id
        assert row.request_id
    assert rows[0].user == world.bolat
    assert rows[0].role == "prosecutor"
    assert rows[0].organisation == world.astana_district
    assert rows[1].object_id == str(decision.pk)
    assert rows[2].user == world.dana


def test_the_access_log_is_append_only(world: World) -> None:
    make_case(world)
    api(world, "bolat", "GET", "/cases")
    entry = AccessLogEntry.objects.latest("pk")
    for statement in (
        "UPDATE audit_accesslogentry SET outcome = 'denied' WHERE id = %s",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ):
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT attempt")
            with pytest.raises(DatabaseError, match="append-only"):
                cursor.execute(statement, [entry.pk])
            cursor.execute("ROLLBACK TO SAVEPOINT attempt")
    assert AccessLogEntry.objects.get(pk=entry.pk).outcome == "success"


def test_a_change_whose_log_row_cannot_be_written_changes_nothing(world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "interruption_of_terms")
    events = DecisionEvent.objects.count()
    logged = AccessLogEntry.objects.count()
    with connection.cursor() as cursor:  # the log's table refuses rows, as a full or broken disk would
        cursor.execute(
            "CREATE FUNCTION refuse_log_rows() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'no space left on device'; END; $$; "
            "CREATE TRIGGER refuse_log_rows BEFORE INSERT ON audit_accesslogentry "
            "FOR EACH ROW EXECUTE FUNCTION refuse_log_rows();"
        )
    status, problem = api(world, "bolat", "POST", f"/decisions/{decision.pk}/agree", {"comment": ""})
    assert status == 503
    assert problem["code"] == "audit_unavailable"
    decision.refresh_from_db()
    case.refresh_from_db()
    assert decision.state == "submitted"
    assert case.status == "under_investigation"
    assert DecisionEvent.objects.count() == events
    assert AccessLogEntry.objects.count() == logged


def test_only_the_auditor_reads_the_log_and_reading_it_is_logged(world: World) -> None:
    make_case(world)
    assert api(world, "admin", "GET", "/access-log")[0] == 403
    assert api(world, "bolat", "GET", "/access-log")[0] == 403
    status, page = api(world, "kamila", "GET", "/access-log?username=bolat")
    assert status == 200
    assert {item["action"] for item in page["items"]} == {"list_access_log"}
    assert AccessLogEntry.objects.filter(user=world.kamila, operation="audit_read", outcome="success").exists()
    assert AccessLogEntry.objects.filter(user=world.admin, action="list_access_log", outcome="denied").exists()
