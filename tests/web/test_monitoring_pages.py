"""The legality monitor's pages: who sees a finding, how it is answered, the roll-up, petitions on the case card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from oversight.accounts.models import User
from oversight.audit.models import AccessLogEntry, Operation
from oversight.decisions import services as workflow
from oversight.decisions.models import Deadline, LegalEffect
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding, FindingStatus
from oversight.register import services as register
from oversight.register.models import Case, ParticipantPetition
from tests.factories import CONTENT, World, add_person, draft, make_case, suspect
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def in_english(*users: User) -> None:
    for user in users:
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])


def late_report(world: World) -> Case:
    """A report registered 30 hours after it arrived: the monitor finds it once swept."""
    return register.register_case(
        actor=world.aigerim,
        unit_id=world.astana_unit.pk,
        form="pre_trial_investigation",
        articles=[register.ArticleInput("188", 2)],
        reported_at=timezone.now() - dt.timedelta(hours=30),
        summary="Theft of a bicycle",
    )


def found(world: World) -> Finding:
    case = late_report(world)
    monitor.sweep()
    return Finding.objects.get(case=case, rule="report_registration_late")


def test_the_procedural_prosecutor_sees_the_finding_with_its_article_facts_and_remedy(world: World) -> None:
    in_english(world.bolat)
    finding = found(world)
    bolat = signed_in(world.bolat)

    listing = bolat.get("/findings/").content.decode()
    page = bolat.get(f"/findings/{finding.pk}/").content.decode()

    assert f"/findings/{finding.pk}/" in listing
    assert "Report registered late" in listing
    assert "CPC art. 180" in page
    assert finding.case is not None
    assert finding.case.erdr_number in page
    assert "was registered at" in page  # the explanation, with the facts in it
    assert "A report is registered in the ERDR or routed elsewhere within 24 hours." in page
    home = bolat.get("/").content.decode()
    assert "Violations found" in home
    assert f"/findings/{finding.pk}/" in home
    assert AccessLogEntry.objects.filter(
        user=world.bolat, action="finding", object_id=str(finding.pk), operation=Operation.CONSULTATION
    ).exists()


def test_the_case_is_listed_once_among_the_findings_facts(world: World) -> None:
    in_english(world.bolat)
    finding = found(world)

    page = signed_in(world.bolat).get(f"/findings/{finding.pk}/").content.decode()

    assert page.count("<dt>Case</dt>") == 1  # the link to the case card, not the fact repeated beside it
    assert page.count("<dt>Registered</dt>") == 1


def test_out_of_jurisdiction_a_finding_is_a_404_like_a_missing_one_and_absent_from_lists(world: World) -> None:
    in_english(world.dana)
    finding = found(world)
    dana = signed_in(world.dana)

    assert dana.get(f"/findings/{finding.pk}/").status_code == 404
    assert dana.get("/findings/999999/").status_code == 404
    assert dana.post(f"/findings/{finding.pk}/acknowledge/").status_code == 404
    assert f"/findings/{finding.pk}/" not in dana.get("/findings/").content.decode()
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_the_monitor_answers_to_prosecutors_only(world: World) -> None:
    finding = found(world)
    for user in (world.aigerim, world.erlan, world.asel, world.admin):
        client = signed_in(user)
        assert client.get("/findings/").status_code == 403, user.username
        assert client.get(f"/findings/{finding.pk}/").status_code == 403, user.username
    case_card = signed_in(world.aigerim).get(f"/cases/{finding.case_id}/").content.decode()
    assert f"/findings/{finding.pk}/" not in case_card


def test_resolving_without_the_act_of_response_re_shows_the_form_and_changes_nothing(world: World) -> None:
    in_english(world.bolat)
    finding = found(world)
    bolat = signed_in(world.bolat)

    response = bolat.post(f"/findings/{finding.pk}/resolve/", {"response": "", "note": "Instruction No. 12 sent"})

    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="response-error"' in page
    assert "Choose one of the options." in page
    assert "Instruction No. 12 sent" in page  # what the user typed is still there
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN

    response = bolat.post(f"/findings/{finding.pk}/dismiss/", {"reason": "  "})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.content.decode()
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_acknowledge_then_resolve_records_the_act_and_logs_each_change(world: World) -> None:
    in_english(world.bolat)
    finding = found(world)
    bolat = signed_in(world.bolat)

    assert bolat.post(f"/findings/{finding.pk}/acknowledge/").status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.ACKNOWLEDGED
    response = bolat.post(
        f"/findings/{finding.pk}/resolve/", {"response": "instruction", "note": "Instruction No. 12 of 1 Dec"}
    )
    assert response.status_code == 302

    resolved = Finding.objects.get(pk=finding.pk)
    assert (resolved.status, resolved.response, resolved.note, resolved.closed_by) == (
        FindingStatus.RESOLVED,
        "instruction",
        "Instruction No. 12 of 1 Dec",
        world.bolat,
    )
    logged = set(
        AccessLogEntry.objects.filter(user=world.bolat, operation=Operation.ALTERATION).values_list("action", flat=True)
    )
    assert {"finding_acknowledge", "finding_resolve"} <= logged
    page = bolat.get(f"/findings/{finding.pk}/").content.decode()
    assert "Instruction No. 12 of 1 Dec" in page
    assert 'action="/findings/' not in page  # nothing left to answer
    again = bolat.post(f"/findings/{finding.pk}/dismiss/", {"reason": "Changed my mind"}, follow=True)
    assert "already" in again.content.decode()
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESOLVED


def test_the_roll_up_counts_by_office_body_unit_and_rule_for_senior_prosecutors_only(world: World) -> None:
    in_english(world.saule, world.bolat)
    first = found(world)
    found(world)
    monitor.acknowledge_finding(first.pk, actor=world.bolat)

    page = signed_in(world.saule).get("/findings/roll-up/")

    assert page.status_code == 200
    text = page.content.decode()
    for heading in ("By office", "By investigation body", "By unit", "By rule"):
        assert heading in text
    assert world.astana_district.name_en in text
    assert world.astana_unit.name_en in text
    assert "Report registered late" in text
    assert "CPC art. 180" in text
    assert "?status=active&amp;rule=report_registration_late" in text
    assert signed_in(world.bolat).get("/findings/roll-up/").status_code == 403
    by_rule = signed_in(world.saule).get("/findings/?status=active&rule=report_registration_late").content.decode()
    assert by_rule.count("/findings/" + str(first.pk) + "/") == 1


def test_the_case_card_shows_the_case_findings_to_its_prosecutor(world: World) -> None:
    in_english(world.bolat)
    finding = found(world)

    card = signed_in(world.bolat).get(f"/cases/{finding.case_id}/").content.decode()

    assert "Legality monitor" in card
    assert f"/findings/{finding.pk}/" in card


def test_an_investigator_records_a_petition_and_its_decision_on_the_case_card(world: World) -> None:
    in_english(world.aigerim)
    case = make_case(world)
    victim = add_person(case, role="victim")
    aigerim = signed_in(world.aigerim)

    refused = aigerim.post(f"/cases/{case.pk}/petitions/", {"participant": victim.pk, "request": " "})
    assert refused.status_code == 422
    assert 'id="petition-request-error"' in refused.content.decode()
    assert not ParticipantPetition.objects.exists()

    response = aigerim.post(
        f"/cases/{case.pk}/petitions/", {"participant": victim.pk, "request": "Order a valuation", "filed_at": ""}
    )
    assert response.status_code == 302
    petition = ParticipantPetition.objects.get()
    assert (petition.participant, petition.request, petition.decided_at) == (victim, "Order a valuation", None)
    assert petition.due_at > petition.filed_at

    missing = aigerim.post(f"/cases/{case.pk}/petitions/{petition.pk}/decision/", {"answer": "Ordered"})
    assert missing.status_code == 422
    assert f'id="granted-{petition.pk}-error"' in missing.content.decode()
    assert "Ordered" in missing.content.decode()
    assert ParticipantPetition.objects.get().decided_at is None

    assert (
        aigerim.post(
            f"/cases/{case.pk}/petitions/{petition.pk}/decision/", {"granted": "yes", "answer": "Valuation ordered"}
        ).status_code
        == 302
    )
    decided = ParticipantPetition.objects.get()
    assert (decided.granted, decided.answer, decided.decided_by) == (True, "Valuation ordered", world.aigerim)
    assert "Valuation ordered" in aigerim.get(f"/cases/{case.pk}/").content.decode()


def test_a_prosecutor_or_another_region_cannot_record_petitions(world: World) -> None:
    case = make_case(world)
    victim = add_person(case, role="victim")

    assert signed_in(world.ruslan).post(f"/cases/{case.pk}/petitions/", {"participant": victim.pk}).status_code == 404
    response = signed_in(world.bolat).post(
        f"/cases/{case.pk}/petitions/", {"participant": victim.pk, "request": "Question a witness"}
    )
    assert response.status_code == 302
    assert not ParticipantPetition.objects.exists()


def test_the_investigator_records_the_announcement_of_a_qualification_from_its_page(world: World) -> None:
    in_english(world.aigerim)
    case = make_case(world)
    person = suspect(case, world)
    qualification = draft(case, "qualification", subject=person, content=CONTENT["qualification"])
    workflow.submit_decision(qualification.pk, actor=world.aigerim)
    workflow.agree_decision(qualification.pk, actor=world.bolat)
    aigerim = signed_in(world.aigerim)

    deadline = Deadline.objects.get(decision=qualification, clock="qualification_announcement")
    bolat = signed_in(world.bolat)
    assert (
        "Record that the qualification was announced"
        not in bolat.get(f"/decisions/{qualification.pk}/").content.decode()
    )
    assert bolat.post(f"/decisions/{qualification.pk}/announce/").status_code == 302  # refused, with a message
    assert Deadline.objects.get(pk=deadline.pk).status == "open"

    page = aigerim.get(f"/decisions/{qualification.pk}/").content.decode()
    assert "Record that the qualification was announced to the suspect" in page
    assert aigerim.post(f"/decisions/{qualification.pk}/announce/").status_code == 302

    assert Deadline.objects.get(pk=deadline.pk).status == "met"
    after = aigerim.get(f"/decisions/{qualification.pk}/").content.decode()
    assert "Record that the qualification was announced" not in after
    assert "Qualification announced to the suspect" in aigerim.get(f"/cases/{case.pk}/").content.decode()


def test_a_person_held_past_the_limit_is_released_from_the_case_card_and_the_finding_resolved(world: World) -> None:
    in_english(world.bolat)
    case = make_case(world)
    person = suspect(case, world)
    workflow.submit_decision(
        draft(
            case,
            "detention",
            subject=person,
            content={"detained_at": (timezone.now() - dt.timedelta(hours=50)).isoformat(), "grounds": "Caught"},
        ).pk,
        actor=world.aigerim,
    )
    monitor.sweep()
    finding = Finding.objects.get(rule="detention_over_limit", participant=person)
    bolat = signed_in(world.bolat)
    card = bolat.get(f"/cases/{case.pk}/").content.decode()
    assert "Record the release" in card

    refused = bolat.post(f"/cases/{case.pk}/release/", {"participant": person.pk, "reason": " "})
    assert refused.status_code == 422
    assert "State the reasons." in refused.content.decode()
    assert LegalEffect.objects.get(participant=person, kind="person_detained").ended_at is None

    released = bolat.post(
        f"/cases/{case.pk}/release/", {"participant": person.pk, "reason": "Held past 48 hours without a sanction"}
    )
    assert released.status_code == 302
    assert LegalEffect.objects.get(participant=person, kind="person_detained").ended_at is not None
    assert Deadline.objects.get(participant=person, clock="detention").status == "late", "released 2 h past 48 h"
    assert AccessLogEntry.objects.filter(action="release_person", user=world.bolat).exists()
    again = bolat.post(f"/cases/{case.pk}/release/", {"participant": person.pk, "reason": "Again"}, follow=True)
    assert "is not held" in again.content.decode()

    monitor.resolve_finding(finding.pk, actor=world.bolat, response="release", note="Released by the prosecutor")
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.RESOLVED
    monitor.sweep()
    assert Finding.objects.filter(rule="detention_over_limit", participant=person).count() == 1


def test_only_who_acts_on_the_case_records_a_release(world: World) -> None:
    case = make_case(world)
    person = suspect(case, world)
    workflow.submit_decision(
        draft(
            case,
            "detention",
            subject=person,
            content={"detained_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "grounds": "Caught"},
        ).pk,
        actor=world.aigerim,
    )
    body = {"participant": person.pk, "reason": "No longer needed"}

    assert signed_in(world.dana).post(f"/cases/{case.pk}/release/", body).status_code == 404
    assert signed_in(world.erlan).post(f"/cases/{case.pk}/release/", body).status_code == 404
    assert LegalEffect.objects.get(participant=person, kind="person_detained").ended_at is None
    assert signed_in(world.aigerim).post(f"/cases/{case.pk}/release/", body).status_code == 302
    assert LegalEffect.objects.get(participant=person, kind="person_detained").ended_at is not None
