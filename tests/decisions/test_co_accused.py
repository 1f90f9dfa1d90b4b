"""One indictment names every accused of the case it sends to court (CPC arts. 298-299, 301 item 6).

The person concerned is the first accused; `co_accused` names the others, who must be suspects of the
same case. Each becomes accused with an effect of their own, a special subject among them needs the
General Prosecutor's consent as the person concerned would, and the case goes to court once.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from oversight.decisions import services as workflow
from oversight.decisions.models import Decision, LegalEffect
from oversight.kit.errors import Conflict, Invalid
from oversight.register.models import Case, CaseStatus, Participant
from tests.factories import ARTICLES, World, add_person, draft, make_case, submitted, suspect
from tests.web.test_query_counts import signed_in

pytestmark = pytest.mark.django_db


def completed(world: World, case: Case) -> None:
    workflow.agree_decision(submitted(case, "completion_report").pk, actor=world.bolat)


def indictment(case: Case, world: World, subject: Participant, others: list[Any]) -> dict[str, Any]:
    return {
        "subject": subject,
        "actor": world.bolat,
        "content": {"articles": ARTICLES, "summary": "Theft by a group of two", "co_accused": others},
    }


def test_one_indictment_makes_every_named_suspect_accused_and_sends_the_case_once(world: World) -> None:
    case = make_case(world)
    first, second = suspect(case, world), suspect(case, world, last_name="Omarov")
    left_out = suspect(case, world, last_name="Zhumabayev")  # wanted: the prosecutor names him in no indictment
    completed(world, case)

    decision = submitted(case, "indictment", **indictment(case, world, first, [second.pk]))

    assert decision.state == "in_force", "the prosecutor's own indictment needs nobody's agreement"
    case.refresh_from_db()
    assert case.status == CaseStatus.SENT_TO_COURT
    accused = LegalEffect.objects.filter(decision=decision, kind="person_becomes_accused")
    assert {effect.participant_id for effect in accused} == {first.pk, second.pk}
    assert accused.count() == 2
    assert {p.pk: p.role for p in Participant.objects.filter(case=case, pk__in=[first.pk, second.pk, left_out.pk])} == {
        first.pk: "accused",
        second.pk: "accused",
        left_out.pk: "suspect",
    }
    assert LegalEffect.objects.filter(decision=decision, kind="case_sent_to_court").count() == 1


@pytest.mark.parametrize(
    ("others", "message"),
    [
        ("witness", "is witness_with_right_to_defence; name only a participant who is suspect"),
        ("elsewhere", "no such participant in this case"),
        ("subject", "is the person concerned; name the others here"),
        ([0], "participant ids are positive"),
        ("twice", "a participant is listed twice"),
        (["7"], "a list of participant ids"),
    ],
)
def test_a_co_accused_who_cannot_be_indicted_is_refused_naming_the_field(
    world: World, others: Any, message: str
) -> None:
    case = make_case(world)
    first, second = suspect(case, world), suspect(case, world, last_name="Omarov")
    witness = add_person(case, last_name="Bekova")
    completed(world, case)
    named = {
        "witness": lambda: [witness.pk],
        "elsewhere": lambda: [suspect(make_case(world), world, last_name="Other").pk],
        "subject": lambda: [first.pk],
        "twice": lambda: [second.pk, second.pk],
    }
    ids = named[others]() if isinstance(others, str) else others
    decisions = Decision.objects.count()

    with pytest.raises(Invalid) as raised:
        draft(case, "indictment", **indictment(case, world, first, ids))

    assert set(raised.value.errors) == {"content.co_accused"}
    assert message in raised.value.errors["content.co_accused"]
    assert Decision.objects.count() == decisions


def test_a_special_subject_among_the_co_accused_needs_the_general_prosecutors_consent(world: World) -> None:
    case = make_case(world)
    first = suspect(case, world)
    deputy = suspect(case, world, last_name="Deputatov", special_subject="member_of_parliament")
    completed(world, case)

    decision = submitted(case, "indictment", **indictment(case, world, first, [deputy.pk]))

    assert (decision.state, decision.needs_consent) == ("awaiting_consent", True)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.COMPLETED
    assert workflow.consent_decision(decision.pk, actor=world.gulnara).state == "in_force"
    assert Participant.objects.get(pk=deputy.pk).role == "accused"


def test_an_indictment_whose_co_accused_is_no_longer_a_suspect_cannot_take_effect(world: World) -> None:
    """Since July 2026 the investigator may draw it up for the prosecutor's approval: meanwhile a named
    person may stop being a suspect, and then the indictment no longer applies to them."""
    case = make_case(world)
    first, second = suspect(case, world), suspect(case, world, last_name="Omarov")
    completed(world, case)
    decision = submitted(case, "indictment", **{**indictment(case, world, first, [second.pk]), "actor": world.aigerim})
    assert decision.state == "submitted"
    Participant.objects.filter(pk=second.pk).update(role="witness")  # as a later act of the register would

    with pytest.raises(Conflict) as raised:
        workflow.agree_decision(decision.pk, actor=world.bolat)

    assert raised.value.field == "content.co_accused"
    assert Decision.objects.get(pk=decision.pk).state == "submitted"
    assert Participant.objects.get(pk=first.pk).role == "suspect", "nothing of the indictment took effect"


def test_the_api_takes_the_co_accused_and_answers_422_naming_the_field(world: World) -> None:
    case = make_case(world)
    first, second = suspect(case, world), suspect(case, world, last_name="Omarov")
    completed(world, case)
    client = Client(headers={"Authorization": f"Bearer {world.token(world.bolat)}"})

    def post(co_accused: Any) -> Any:
        body = {
            "kind": "indictment",
            "subject_id": first.pk,
            "content": {"articles": ARTICLES, "summary": "Theft by a group", "co_accused": co_accused},
        }
        return client.post(f"/api/cases/{case.pk}/decisions", json.dumps(body), content_type="application/json")

    refused = post([first.pk + second.pk + 1000])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "content.co_accused"
    created = post([second.pk])
    assert created.status_code == 201, created.content
    assert created.json()["content"]["co_accused"] == [second.pk]


def test_the_drafting_form_offers_the_suspects_and_the_decision_page_names_them(world: World) -> None:
    case = make_case(world)
    first, second = suspect(case, world), suspect(case, world, last_name="Omarov")
    witness = add_person(case, last_name="Bekova")
    completed(world, case)
    browser = signed_in(world.bolat)

    page = browser.get(f"/cases/{case.pk}/decisions/new/?kind=indictment").content.decode()
    offered = set(map(int, re.findall(r'name="co_accused" value="(\d+)"', page)))
    assert offered == {first.pk, second.pk}, "the suspects of the case, and no witness"
    assert witness.pk not in offered

    response = browser.post(
        f"/cases/{case.pk}/decisions/new/",
        {
            "kind": "indictment",
            "subject": first.pk,
            "articles-0-article": "188",
            "articles-0-part": "2",
            "summary": "Theft by a group",
            "co_accused": [second.pk],
            "save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get(case=case, kind="indictment")
    assert decision.content["co_accused"] == [second.pk]
    shown = browser.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Other accused" in shown
    assert second.full_name() in shown

    browser.post(
        f"/decisions/{decision.pk}/edit/",
        {
            "kind": "indictment",
            "subject": first.pk,
            "articles-0-article": "188",
            "articles-0-part": "2",
            "summary": "Theft by a group",
            "co_accused": [second.pk],
            "submit": "1",
        },
    )
    history = browser.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Signed: in force at once, no approval required" in history, "the prosecutor's own: not to the prosecutor"
    assert "Submitted to the prosecutor" not in history


def test_one_indictment_per_case_awaits_its_approvals_at_a_time(world: World) -> None:
    """Two indictments naming the accused in turn could not both take effect: the first sends the case."""
    case = make_case(world)
    first, second = suspect(case, world), suspect(case, world, last_name="Omarov")
    completed(world, case)
    by_investigator = {"actor": world.aigerim}
    pending = submitted(case, "indictment", **{**indictment(case, world, first, [second.pk]), **by_investigator})
    assert pending.state == "submitted"

    with pytest.raises(Conflict) as raised:
        submitted(case, "indictment", **{**indictment(case, world, second, [first.pk]), **by_investigator})

    assert f"No. {pending.pk}" in raised.value.detail
    assert case.erdr_number in raised.value.detail, "the case's, not one person's"
    assert Decision.objects.filter(case=case, kind="indictment", state="submitted").count() == 1


def test_the_decision_page_marks_a_special_subject_among_the_co_accused(world: World) -> None:
    """The General Prosecutor is asked to consent: the page shows for whom."""
    case = make_case(world)
    first = suspect(case, world)
    deputy = suspect(case, world, last_name="Deputatov", special_subject="member_of_parliament")
    completed(world, case)
    decision = submitted(case, "indictment", **indictment(case, world, first, [deputy.pk]))

    page = signed_in(world.gulnara).get(f"/decisions/{decision.pk}/").content.decode()

    assert f"{deputy.full_name()} (Suspect) — special subject" in page
