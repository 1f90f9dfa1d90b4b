"""Every URL and every API operation, for every role, on its own jurisdiction, another's and none.

Designed outcome (AZ-1, AZ-2): a role outside the operation's policy gets 403 from the one gate;
a role inside it gets 404 for an object of another jurisdiction and for a missing one, exactly as
for each other; on its own object it passes the gate (whatever the workflow then says). A new
operation or URL without an entry here fails the test.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from oversight.api.policy import POLICIES
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision
from oversight.law.roles import Role
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding
from oversight.register import services as register
from oversight.register.models import Case, Participant
from tests.factories import CONTENT, World, add_person, iin, make_case, submitted, suspect

pytestmark = pytest.mark.django_db

MISSING = 987_654_321
GATE = "your role may not use"
# The administrator's emergency read has no jurisdiction by design: it is logged with its reason and
# alerts the senior prosecutors instead (AZ-7).
ACROSS_JURISDICTIONS = {"break_glass_case"}


@dataclass
class Region:
    case: Case
    person: Participant
    decision: Decision  # a submitted recognition
    petition: Decision  # a petition before the region's investigating judge
    finding: Finding  # the monitor's finding on a report registered late


def region(world: World, investigator: Any, prosecutor: Any) -> Region:
    case = make_case(world, investigator=investigator)
    person = suspect(case, world)
    decision = submitted(case, "recognition_as_suspect", subject=add_person(case))
    petition = submitted(case, "search_petition")
    workflow.agree_decision(petition.pk, actor=prosecutor)
    workflow.petition_court(petition.pk, actor=prosecutor)
    late = register.register_case(
        actor=investigator,
        unit_id=case.unit_id,
        form="inquiry",
        articles=[register.ArticleInput("188", 1)],
        reported_at=timezone.now() - dt.timedelta(hours=30),
        summary="Reported yesterday, registered today",
    )
    monitor.sweep(case_ids=[late.pk])
    return Region(case, person, decision, petition, Finding.objects.get(case=late))


# persona -> (role, the region that is theirs)
PERSONAS = {
    "aigerim": Role.INVESTIGATOR,
    "nurlan": Role.HEAD_OF_UNIT,
    "bolat": Role.PROSECUTOR,
    "saule": Role.SENIOR_PROSECUTOR,
    "erlan": Role.INVESTIGATING_JUDGE,
    "asel": Role.ANALYST,
    "admin": Role.ADMINISTRATOR,
    "kamila": Role.AUDITOR,
}

# operation -> (method, path template, body, object kind: "case", "decision", "unit", "finding" or None)
OPERATIONS: dict[str, tuple[str, str, Any, str | None]] = {
    "create_case": ("POST", "/api/cases", {"form": "inquiry", "articles": [{"article": "188"}]}, "unit"),
    "list_cases": ("GET", "/api/cases", None, None),
    "get_case": ("GET", "/api/cases/{case}", None, "case"),
    "add_participant": (
        "POST",
        "/api/cases/{case}/participants",
        {"role": "witness", "last_name": "Amanov", "first_name": "Ali", "iin": "{iin}"},
        "case",
    ),
    "assign_procedural_prosecutor": ("POST", "/api/cases/{case}/procedural-prosecutor", {"prosecutor_id": 0}, "case"),
    "resume_terms": ("POST", "/api/cases/{case}/resume", {"reason": "The suspect has been identified"}, "case"),
    "draft_decision": ("POST", "/api/cases/{case}/decisions", {"kind": "termination", "content": {}}, "case"),
    "get_decision": ("GET", "/api/decisions/{decision}", None, "decision"),
    "edit_decision": ("PATCH", "/api/decisions/{decision}", {"content": CONTENT["recognition_as_suspect"]}, "decision"),
    "submit_decision": ("POST", "/api/decisions/{decision}/submit", None, "decision"),
    "withdraw_decision": ("POST", "/api/decisions/{decision}/withdraw", {"reason": ""}, "decision"),
    "agree_decision": ("POST", "/api/decisions/{decision}/agree", {"comment": ""}, "decision"),
    "refuse_decision": ("POST", "/api/decisions/{decision}/refuse", {"reason": "No grounds"}, "decision"),
    "return_decision": ("POST", "/api/decisions/{decision}/return", {"reason": "Rework"}, "decision"),
    "consent_decision": ("POST", "/api/decisions/{decision}/consent", {"comment": ""}, "decision"),
    "refuse_consent": ("POST", "/api/decisions/{decision}/refuse-consent", {"reason": "No"}, "decision"),
    "petition_court": ("POST", "/api/decisions/{decision}/petition", {}, "decision"),
    "grant_sanction": ("POST", "/api/decisions/{decision}/grant", {"reason": ""}, "decision"),
    "deny_sanction": ("POST", "/api/decisions/{decision}/deny", {"reason": "No grounds"}, "decision"),
    "list_review_queue": ("GET", "/api/queue", None, None),
    "list_findings": ("GET", "/api/findings", None, None),
    "get_finding": ("GET", "/api/findings/{finding}", None, "finding"),
    "acknowledge_finding": ("POST", "/api/findings/{finding}/acknowledge", None, "finding"),
    "resolve_finding": (
        "POST",
        "/api/findings/{finding}/resolve",
        {"response": "instruction", "note": "Instruction No. 4"},
        "finding",
    ),
    "dismiss_finding": ("POST", "/api/findings/{finding}/dismiss", {"reason": "Registered in time"}, "finding"),
    "break_glass_case": (
        "POST",
        "/api/cases/{case}/break-glass",
        {"reason": "Server incident INC-2211: verifying data integrity"},
        "case",
    ),
    "list_access_log": ("GET", "/api/access-log", None, None),
    "get_rulebook": ("GET", "/api/rulebook", None, None),
    "get_rulebook_version": ("GET", "/api/rulebook/kz-2022", None, None),
    "get_me": ("GET", "/api/me", None, None),
}

# Every URL pattern outside the API, with who may open it.
WEB = {
    "web:home": ("GET", "/", "public"),  # what the system is, for anyone; work for the signed in
    "web:health": ("GET", "/health/", "public"),
    "web:supervision": ("GET", "/supervision/", "signed_in"),
    "web:language": ("POST", "/language/", "redirect"),
    "web:acknowledge_alert": ("POST", "/alerts/1/read/", "signed_in"),
    "web:account_list": ("GET", "/accounts/", "signed_in"),
    "web:account_new": ("GET", "/accounts/new/", "signed_in"),
    "web:account": ("GET", "/accounts/1/", "signed_in"),
    "web:grant_role": ("POST", "/accounts/1/roles/", "signed_in"),
    "web:remove_role": ("POST", "/accounts/1/roles/1/remove/", "signed_in"),
    "web:disable": ("POST", "/accounts/1/disable/", "signed_in"),
    "web:enable": ("POST", "/accounts/1/enable/", "signed_in"),
    "web:unlock": ("POST", "/accounts/1/unlock/", "signed_in"),
    "web:reset_sign_in": ("POST", "/accounts/1/reset-sign-in/", "signed_in"),
    "register:case_list": ("GET", "/cases/", "signed_in"),
    "register:new_case": ("GET", "/cases/new/", "signed_in"),
    "register:break_glass": ("GET", "/cases/break-glass/", "signed_in"),
    "register:add_participant": ("POST", "/cases/1/participants/", "signed_in"),
    "register:case_card": ("GET", "/cases/1/", "signed_in"),
    "register:reassign_investigator": ("POST", "/cases/1/investigator/", "signed_in"),
    "register:assign_prosecutor": ("POST", "/cases/1/procedural-prosecutor/", "signed_in"),
    "register:file_petition": ("POST", "/cases/1/petitions/", "signed_in"),
    "register:decide_petition": ("POST", "/cases/1/petitions/1/decision/", "signed_in"),
    "register:release_person": ("POST", "/cases/1/release/", "signed_in"),
    "register:resume_terms": ("POST", "/cases/1/resume/", "signed_in"),
    "monitoring:findings": ("GET", "/findings/", "signed_in"),
    "audit:access_log": ("GET", "/access-log/", "signed_in"),
    "monitoring:rollup": ("GET", "/findings/roll-up/", "signed_in"),
    "monitoring:finding": ("GET", "/findings/1/", "signed_in"),
    "monitoring:answer": ("POST", "/findings/1/acknowledge/", "signed_in"),
    "decisions:queue": ("GET", "/queue/", "signed_in"),
    "decisions:decision": ("GET", "/decisions/1/", "signed_in"),
    "decisions:edit": ("GET", "/decisions/1/edit/", "signed_in"),
    "decisions:act": ("POST", "/decisions/1/agree/", "signed_in"),
    "decisions:draft": ("GET", "/cases/1/decisions/new/", "signed_in"),
    "favicon": ("GET", "/favicon.ico", "public"),
    "accounts:sign_in": ("GET", "/sign-in/", "public"),
    "accounts:second_factor": ("GET", "/sign-in/second-factor/", "signed_in"),
    "accounts:sign_out": ("POST", "/sign-out/", "signed_in"),
    "accounts:security": ("GET", "/account/security/", "signed_in"),
    "accounts:change_password": ("POST", "/account/security/password/", "signed_in"),
    "accounts:security_key_options": ("POST", "/account/security/keys/options/", "signed_in"),
    "accounts:security_key_register": ("POST", "/account/security/keys/", "signed_in"),
    "accounts:security_key_sign_in_options": ("POST", "/sign-in/security-key/options/", "password_step"),
    "accounts:security_key_sign_in": ("POST", "/sign-in/security-key/", "password_step"),
    "api:openapi-json": ("GET", "/api/openapi.json", "public"),
    "api:openapi-view": ("GET", "/api/docs", "public"),
    "api:api-root": ("GET", "/api/", "nothing"),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_operation_has_a_policy_and_a_row_here() -> None:
    assert set(POLICIES) == set(OPERATIONS)


def test_every_url_outside_the_api_operations_has_a_policy_here() -> None:
    """API operations are covered by POLICIES; every other named URL must be listed in WEB."""
    operations = {f"api:{operation}" for operation in OPERATIONS}
    assert url_names() - operations == set(WEB)


def call(client: Client, token: str, operation: str, target: dict[str, int]) -> tuple[int, dict[str, Any]]:
    method, template, body, _ = OPERATIONS[operation]
    path = template.format(**target)
    payload = json.loads(json.dumps(body).replace('"{iin}"', f'"{iin()}"')) if body is not None else None
    if operation == "create_case" and payload is not None:
        payload = {**payload, "unit_id": target["unit"], "reported_at": "2026-11-01T10:00:00+05:00"}
    if operation == "assign_procedural_prosecutor" and payload is not None:
        payload = {"prosecutor_id": target["prosecutor"]}
    response = client.generic(
        method,
        path,
        data=json.dumps(payload) if payload is not None else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json() if response.content else {}


def targets(world: World, own: Region, other: Region, persona: str) -> dict[str, dict[str, int]]:
    judge = persona == "erlan"
    mine = {
        "case": own.case.pk,
        "decision": (own.petition if judge else own.decision).pk,
        "unit": world.astana_unit.pk,
        "prosecutor": world.bolat.pk,
        "finding": own.finding.pk,
    }
    theirs = {
        "case": other.case.pk,
        "decision": (other.petition if judge else other.decision).pk,
        "unit": world.almaty_unit.pk,
        "prosecutor": world.dana.pk,
        "finding": other.finding.pk,
    }
    missing = {
        "case": MISSING,
        "decision": MISSING,
        "unit": MISSING,
        "prosecutor": world.bolat.pk,
        "finding": MISSING,
    }
    return {"own": mine, "other": theirs, "none": missing}


def test_the_matrix(world: World) -> None:
    astana = region(world, world.aigerim, world.bolat)
    almaty = region(world, world.ruslan, world.dana)
    client = Client()
    failures: list[str] = []
    for persona, role in PERSONAS.items():
        token = world.token(getattr(world, persona))
        for operation, (_, _, _, kind) in OPERATIONS.items():
            allowed = role in POLICIES[operation].roles
            for where, target in targets(world, astana, almaty, persona).items():
                if kind is None and where != "own":
                    continue  # an operation on no object has no other jurisdiction
                status, body = call(client, token, operation, target)
                detail = str(body.get("detail", ""))
                if not allowed:
                    expected_ok = status == 403 and GATE in detail
                elif where == "own" or (where == "other" and operation in ACROSS_JURISDICTIONS):
                    expected_ok = status not in (404, 500) and GATE not in detail
                else:
                    expected_ok = status == 404
                if not expected_ok:
                    failures.append(f"{persona} ({role}) {operation} on {where}: {status} {detail[:80]}")
    assert failures == []


def test_a_404_for_another_jurisdiction_is_identical_to_a_missing_one(world: World) -> None:
    almaty = region(world, world.ruslan, world.dana)
    client = Client()
    token = world.token(world.bolat)
    for operation in ("get_case", "get_decision", "agree_decision", "draft_decision", "resume_terms"):
        _, hidden = call(client, token, operation, {"case": almaty.case.pk, "decision": almaty.decision.pk})
        _, missing = call(client, token, operation, {"case": MISSING, "decision": MISSING})
        assert hidden.keys() == missing.keys()
        assert {k: v for k, v in hidden.items() if k != "detail"} == {k: v for k, v in missing.items() if k != "detail"}
        # The detail repeats only the id the caller sent: the same sentence as for a missing one.
        assert str(hidden["detail"]).split()[0] == str(missing["detail"]).split()[0]


def test_web_pages_follow_their_policy(world: World) -> None:
    anonymous = Client()
    for name, (method, path, who_may) in WEB.items():
        response = anonymous.generic(method, path)
        if who_may == "public":
            assert response.status_code in (200, 301), name
        elif who_may == "nothing":
            assert response.status_code == 404, name
        elif who_may == "redirect":
            assert response.status_code == 302, name
        elif who_may == "password_step":  # only after the password; refused (403 problem) before
            assert response.status_code == 403, name
        else:
            assert response.status_code in (302, 401), name
            if response.status_code == 302:
                assert response["Location"].startswith("/sign-in/"), name
