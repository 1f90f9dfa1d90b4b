"""The JSON API: operations, problem details, and bad input that writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pydantic import BaseModel

from oversight.accounts.models import ApiToken
from oversight.api.idempotency import run_idempotent
from oversight.api.models import IdempotencyRecord
from oversight.audit.models import AccessLogEntry
from oversight.decisions.models import Decision, DecisionEvent
from oversight.register.models import Case, CaseEvent, Participant
from tests.factories import CONTENT, World, add_person, iin, make_case, submitted

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "create_case",
    "list_cases",
    "get_case",
    "add_participant",
    "assign_procedural_prosecutor",
    "resume_terms",
    "draft_decision",
    "get_decision",
    "edit_decision",
    "submit_decision",
    "withdraw_decision",
    "agree_decision",
    "refuse_decision",
    "return_decision",
    "consent_decision",
    "refuse_consent",
    "petition_court",
    "grant_sanction",
    "deny_sanction",
    "list_review_queue",
    "get_rulebook",
    "get_rulebook_version",
    "get_me",
    "break_glass_case",
    "list_access_log",
    "list_findings",
    "get_finding",
    "acknowledge_finding",
    "resolve_finding",
    "dismiss_finding",
}


class Api:
    def __init__(self, world: World) -> None:
        self.world = world
        self.client = Client()
        self.tokens: dict[str, str] = {}

    def call(self, method: str, path: str, who: str | None, body: Any = None, **headers: str) -> tuple[int, Any]:
        extra = dict(headers)
        if who is not None:
            if who not in self.tokens:
                self.tokens[who] = self.world.token(getattr(self.world, who))
            extra["Authorization"] = f"Bearer {self.tokens[who]}"
        data = json.dumps(body) if body is not None else None
        response = self.client.generic(
            method, "/api" + path, data=data or "", content_type="application/json", headers=extra
        )
        payload = response.json() if response.content else None
        return response.status_code, payload


@pytest.fixture
def api(world: World) -> Api:
    return Api(world)


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "participants": Participant.objects.count(),
        "decisions": Decision.objects.count(),
        "events": DecisionEvent.objects.count(),
        "case_events": CaseEvent.objects.count(),
        "idempotency": IdempotencyRecord.objects.count(),
    }


def case_body(world: World, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit_id": world.astana_unit.pk,
        "form": "pre_trial_investigation",
        "articles": [{"article": "188", "part": 2}],
        "reported_at": timezone.now().isoformat(),
        "summary": "Theft from a parked car",
    }
    body.update(changes)
    return body


def test_the_openapi_document_names_every_operation(api: Api) -> None:
    response = api.client.get("/api/openapi.json")
    assert response.status_code == 200
    found = {op["operationId"] for path in response.json()["paths"].values() for op in path.values()}
    assert found == OPERATIONS


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "registration-1"}], ids=["no key", "keyed"])
def test_a_registration_is_logged_with_the_case_it_created(api: Api, world: World, headers: dict[str, str]) -> None:
    """The path names no case, so the access-log row takes the id from the answer it logs."""
    status, case = api.call("POST", "/cases", "aigerim", case_body(world), **headers)
    assert status == 201
    entry = AccessLogEntry.objects.get(action="create_case")
    assert (entry.user, entry.object_type, entry.object_id) == (world.aigerim, "case", str(case["id"]))


def test_the_recognition_journey_over_http(api: Api, world: World) -> None:
    status, case = api.call("POST", "/cases", "aigerim", case_body(world))
    assert status == 201
    assert len(case["erdr_number"]) == 15
    assert case["erdr_number"][2:4] == "71"
    status, person = api.call(
        "POST",
        f"/cases/{case['id']}/participants",
        "aigerim",
        {
            "role": "witness_with_right_to_defence",
            "last_name": "Seitkali",
            "first_name": "Arman",
            "iin": iin(),
        },
    )
    assert status == 201
    status, decision = api.call(
        "POST",
        f"/cases/{case['id']}/decisions",
        "aigerim",
        {
            "kind": "recognition_as_suspect",
            "subject_id": person["id"],
            "content": CONTENT["recognition_as_suspect"],
        },
    )
    assert status == 201
    assert decision["state"] == "draft"
    status, decision = api.call("POST", f"/decisions/{decision['id']}/submit", "aigerim")
    assert status == 200
    assert decision["state"] == "submitted"
    assert decision["due_at"]
    status, queue = api.call("GET", "/queue", "bolat")
    assert status == 200
    assert [item["id"] for item in queue["items"]] == [decision["id"]]
    assert queue["items"][0]["seconds_left"] > 23 * 3600
    status, decision = api.call("POST", f"/decisions/{decision['id']}/agree", "bolat", {"comment": ""})
    assert status == 200
    assert decision["state"] == "in_force"
    assert decision["approvals"][0]["kind"] == "prosecutor_agreement"
    status, full = api.call("GET", f"/cases/{case['id']}", "bolat")
    assert status == 200
    assert full["participants"][0]["role"] == "suspect"
    assert [effect["kind"] for effect in full["legal_effects"]] == ["person_becomes_suspect"]
    status, detail = api.call("GET", f"/decisions/{decision['id']}", "aigerim")
    assert [event["code"] for event in detail["events"]] == [
        "decision.drafted",
        "decision.submitted",
        "decision.agreed",
    ]


def test_missing_and_out_of_reach_are_the_same_404(api: Api, world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    missing_status, missing = api.call("GET", "/decisions/999999", "dana")
    hidden_status, hidden = api.call("GET", f"/decisions/{decision.pk}", "dana")
    assert missing_status == hidden_status == 404
    assert set(missing) == set(hidden)
    assert missing["title"] == hidden["title"] == "Not found"
    assert api.call("GET", f"/cases/{decision.case_id}", "dana")[0] == 404
    assert api.call("POST", f"/decisions/{decision.pk}/agree", "dana", {"comment": ""})[0] == 404
    status, page = api.call("GET", f"/cases?erdr_number={decision.case.erdr_number}", "dana")
    assert status == 200
    assert page["count"] == 0


def test_a_state_conflict_is_409_with_problem_details(api: Api, world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    assert api.call("POST", f"/decisions/{decision.pk}/agree", "bolat", {"comment": ""})[0] == 200
    status, body = api.call("POST", f"/decisions/{decision.pk}/refuse", "saule", {"reason": "Too late"})
    assert status == 409
    assert body["status"] == 409
    assert "agreed by" in body["detail"]


def test_a_role_that_may_not_act_is_403(api: Api, world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    status, body = api.call("POST", f"/decisions/{decision.pk}/agree", "nurlan", {"comment": ""})
    assert status == 403
    assert body["code"] == "forbidden"


@pytest.mark.parametrize(
    ("label", "changes", "field"),
    [
        ("invalid article", {"articles": [{"article": "9999"}]}, "articles[0]"),
        ("article outside the Special Part", {"articles": [{"article": "12"}]}, "articles[0]"),
        ("article paragraph without part", {"articles": [{"article": "188", "paragraph": 1}]}, "articles[0]"),
        ("no article", {"articles": []}, "articles"),
        ("invalid date", {"reported_at": "2026-02-30T10:00:00+05:00"}, "reported_at"),
        ("date without zone", {"reported_at": "2026-02-03T10:00:00"}, "reported_at"),
        ("date in the future", {"reported_at": "2099-01-01T10:00:00+05:00"}, "reported_at"),
        ("invalid ERDR number", {"erdr_number": "12345"}, "erdr_number"),
        ("ERDR number of another year", {"erdr_number": "197100001000001"}, "erdr_number"),
        ("unknown form", {"form": "kangaroo_court"}, "form"),
        ("unknown field", {"status": "terminated"}, "status"),
    ],
)
def test_bad_case_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, world: World, label: str, changes: dict[str, Any], field: str
) -> None:
    before = counts()
    status, body = api.call("POST", "/cases", "aigerim", case_body(world, **changes), **{"Idempotency-Key": label})
    assert status == 422, body
    assert body["status"] == 422
    assert field in [error["field"] for error in body["errors"]]
    assert counts() == before


@pytest.mark.parametrize(
    ("label", "changes", "field"),
    [
        ("bad check digit", {"iin": "900517300018"}, "iin"),
        ("short IIN", {"iin": "12345"}, "iin"),
        ("impossible birth date in IIN", {"iin": "901317300017"}, "iin"),
        ("citizen without IIN", {"iin": None}, "iin"),
        ("invalid birth date", {"birth_date": "1990-02-31"}, "birth_date"),
        ("suspect by hand", {"role": "suspect"}, "role"),
    ],
)
def test_bad_participant_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, world: World, label: str, changes: dict[str, Any], field: str
) -> None:
    case = make_case(world)
    body = {"role": "victim", "last_name": "Amanova", "first_name": "Aliya", "iin": iin(female=True)}
    body.update(changes)
    before = counts()
    status, problem = api.call("POST", f"/cases/{case.pk}/participants", "aigerim", body)
    assert status == 422, problem
    assert field in [error["field"] for error in problem["errors"]]
    assert counts() == before


def test_a_foreign_national_may_have_no_iin(api: Api, world: World) -> None:
    case = make_case(world)
    status, person = api.call(
        "POST",
        f"/cases/{case.pk}/participants",
        "aigerim",
        {
            "role": "victim",
            "last_name": "Smith",
            "first_name": "Anna",
            "foreign_national": True,
            "citizenship": "GB",
        },
    )
    assert status == 201
    assert person["iin"] is None


def test_unknown_decision_type_and_bad_content_are_422_and_write_nothing(api: Api, world: World) -> None:
    case = make_case(world)
    before = counts()
    status, body = api.call("POST", f"/cases/{case.pk}/decisions", "aigerim", {"kind": "confession", "content": {}})
    assert status == 422
    assert body["errors"][0]["field"] == "kind"
    status, body = api.call(
        "POST",
        f"/cases/{case.pk}/decisions",
        "aigerim",
        {
            "kind": "interruption_of_terms",
            "content": {"ground": "bad luck", "grounds": "x"},
        },
    )
    assert status == 422
    assert body["errors"][0]["field"] == "content.ground"
    status, body = api.call(
        "POST",
        f"/cases/{case.pk}/decisions",
        "aigerim",
        {
            "kind": "termination",
            "content": CONTENT["termination"],
            "stated_date": "2026-13-01",
        },
    )
    assert status == 422
    assert body["errors"][0]["field"] == "stated_date"
    assert counts() == before


def test_refusal_without_reason_is_422_naming_reason_and_writes_nothing(api: Api, world: World) -> None:
    decision = submitted(make_case(world), "interruption_of_terms")
    before = counts()
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        status, problem = api.call(
            "POST", f"/decisions/{decision.pk}/refuse", "bolat", body, **{"Idempotency-Key": f"refuse-{len(body)}"}
        )
        assert status == 422, problem
        assert problem["errors"][0]["field"] == "reason"
    assert counts() == before
    assert Decision.objects.get(pk=decision.pk).state == "submitted"


def test_malformed_json_is_a_422_not_a_500(api: Api, world: World) -> None:
    response = api.client.post(
        "/api/cases",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.token(world.aigerim)}",
    )
    assert response.status_code in (400, 422)
    assert response.json()["status"] == response.status_code


def test_a_repeated_query_parameter_is_a_422_naming_it(api: Api, world: World) -> None:
    response = api.client.get(
        "/api/queue?kind=suspect_recognition&kind=custody_petition",
        HTTP_AUTHORIZATION=f"Bearer {world.token(world.bolat)}",
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["kind"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/cases?status=bogus", "status"),
        ("/api/queue?kind=suspect_recognition", "kind"),  # the type is recognition_as_suspect
        ("/api/findings?rule=late_review", "rule"),
    ],
)
def test_an_unknown_filter_value_is_a_422_naming_it_not_an_empty_list(
    api: Api, world: World, path: str, field: str
) -> None:
    response = api.client.get(path, HTTP_AUTHORIZATION=f"Bearer {world.token(world.bolat)}")

    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_known_filter_values_are_served(api: Api, world: World) -> None:
    submitted(make_case(world), "search_petition")
    token = f"Bearer {world.token(world.bolat)}"

    queue = api.client.get("/api/queue?kind=search_petition", HTTP_AUTHORIZATION=token)
    cases = api.client.get("/api/cases?status=under_investigation", HTTP_AUTHORIZATION=token)
    findings = api.client.get("/api/findings?rule=review_overdue", HTTP_AUTHORIZATION=token)

    assert (queue.status_code, queue.json()["count"]) == (200, 1)
    assert (cases.status_code, cases.json()["count"]) == (200, 1)
    assert findings.status_code == 200


def test_without_a_valid_token_nothing_is_served(api: Api, world: World) -> None:
    assert api.call("GET", "/queue", None)[0] == 401
    token = world.token(world.bolat)
    response = api.client.get("/api/queue", HTTP_AUTHORIZATION=f"Bearer {token}x")
    assert response.status_code == 401
    assert response.json()["status"] == 401
    ApiToken.objects.filter(user=world.bolat).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api.client.get("/api/queue", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    world.bolat.is_active = False
    world.bolat.save()
    fresh = world.token(world.bolat)
    assert api.client.get("/api/queue", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 401


def test_tokens_are_stored_only_as_hashes(world: World) -> None:
    token = world.token(world.bolat)
    stored = ApiToken.objects.get(user=world.bolat)
    assert token not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64


def test_the_rulebook_shows_what_is_still_to_be_confirmed(api: Api) -> None:
    status, book = api.call("GET", "/rulebook", "bolat")
    assert status == 200
    assert book["in_force"]
    assert book["to_be_confirmed_count"] > 0
    clocks = {clock["code"]: clock for clock in book["clocks"]}
    assert clocks["detention"]["source"]["to_be_confirmed"] is False
    assert clocks["complaint_to_prosecutor"]["source"]["to_be_confirmed"] is True
    assert clocks["custody"]["source"]["to_be_confirmed"] is False
    assert clocks["custody"]["calendar_source"]["to_be_confirmed"] is True, "its end on a day off is [check]"
    assert clocks["detention"]["calendar_source"] is None
    assert book["terms_source"] == {
        "article": "CPC art. 49",
        "note": "how terms are computed, taken from secondary sources: the article's text is to be checked",
        "to_be_confirmed": True,
    }
    assert api.call("GET", "/rulebook/kz-1999", "bolat")[0] == 404


def test_queue_shows_soonest_deadline_first_and_never_own_drafts(api: Api, world: World) -> None:
    case = make_case(world)
    slow = submitted(case, "termination")
    fast = submitted(case, "recognition_as_suspect", subject=add_person(case))
    _status, queue = api.call("GET", "/queue", "bolat")
    assert [item["id"] for item in queue["items"]] == [fast.pk, slow.pk]
    assert api.call("GET", "/queue", "aigerim")[1]["count"] == 0
    assert api.call("GET", "/queue?overdue=true", "bolat")[1]["count"] == 0


def test_the_api_documentation_uses_no_outside_assets(api: Api) -> None:
    page = api.client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page
    assert "https://" not in page.replace("https://oversight.example", "")


def test_the_idempotency_answer_is_written_with_the_access_log_row(api: Api, world: World) -> None:
    case = make_case(world)
    decision = submitted(case, "recognition_as_suspect", subject=add_person(case))
    with CaptureQueriesContext(connection) as queries:
        status, body = api.call(
            "POST", f"/decisions/{decision.pk}/agree", "bolat", {"comment": ""}, **{"Idempotency-Key": "agree-1"}
        )
    assert status == 200, body
    statements = [query["sql"] for query in queries.captured_queries]
    answers = [sql for sql in statements if "UPDATE api_idempotencyrecord" in sql]
    assert len(answers) == 1
    assert 'INSERT INTO "audit_accesslogentry"' in answers[0]  # one statement, one round trip
    record = IdempotencyRecord.objects.get(key="agree-1")
    assert (record.status_code, json.loads(record.response)) == (200, body)
    assert AccessLogEntry.objects.filter(action="agree_decision", object_id=str(decision.pk)).count() == 1


class Echo(BaseModel):
    name: str


def test_an_answer_outside_the_gate_is_written_at_once(world: World) -> None:
    """run_idempotent called where no access-log row follows still stores its answer itself."""
    request = RequestFactory().post(
        "/api/anything", data=b"{}", content_type="application/json", headers={"Idempotency-Key": "outside-1"}
    )
    with transaction.atomic():
        response = run_idempotent(
            request, user_id=world.bolat.pk, operation="echo", status=200, schema=Echo, produce=lambda: {"name": "x"}
        )
    record = IdempotencyRecord.objects.get(key="outside-1")
    assert record.status_code == 200
    assert record.response == response.content.decode()
