"""Small deterministic builders for the tests: two regions, their offices, units, courts and personas.

Personas (STYLE.md): investigator aigerim and head of unit nurlan (Astana police), prosecutor bolat
(Almaty district office of Astana, supervising aigerim's unit), senior prosecutor saule (Astana city
office, above bolat), prosecutor dana (Almaty, another jurisdiction), investigator ruslan (Almaty
police), judge erlan (Astana investigating court), judge zhanna (Almaty court), senior prosecutor
gulnara (General Prosecutor's Office), analyst asel, administrator admin, auditor kamila.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from oversight.accounts.models import BodyKind, Organisation, OrganisationKind, Region, User
from oversight.accounts.services import create_organisation, grant_role, issue_token
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision, LegalEffect
from oversight.law.identifiers import make_iin
from oversight.law.roles import OfficeLevel, Post, Role
from oversight.register import services as register
from oversight.register.models import Case, Participant

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    astana: Region
    almaty: Region
    gpo: Organisation
    astana_office: Organisation
    astana_district: Organisation
    almaty_office: Organisation
    almaty_district: Organisation
    astana_court: Organisation
    almaty_court: Organisation
    astana_police: Organisation
    astana_unit: Organisation
    almaty_police: Organisation
    almaty_unit: Organisation
    aigerim: User
    nurlan: User
    bolat: User
    saule: User
    dana: User
    ruslan: User
    erlan: User
    zhanna: User
    gulnara: User
    asel: User
    admin: User
    kamila: User

    def token(self, user: User) -> str:
        return issue_token(user, label="test")


def _names(en: str) -> tuple[str, str, str]:
    return (en, en, en)


def person(username: str, last: str, first: str) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, last_name=last, first_name=first)


def build_world() -> World:
    astana = Region.objects.create(code="71", name_en="Astana", name_ru="Астана", name_kk="Астана")
    almaty = Region.objects.create(code="75", name_en="Almaty", name_ru="Алматы", name_kk="Алматы")
    office = OrganisationKind.PROSECUTOR_OFFICE
    gpo = create_organisation(
        kind=office,
        code="gpo",
        names=_names("General Prosecutor's Office"),
        office_level=OfficeLevel.GENERAL,
    )
    astana_court = create_organisation(
        kind=OrganisationKind.COURT,
        code="astana-court",
        names=_names("Astana investigating court"),
        region=astana,
    )
    almaty_court = create_organisation(
        kind=OrganisationKind.COURT,
        code="almaty-court",
        names=_names("Almaty investigating court"),
        region=almaty,
    )
    astana_office = create_organisation(
        kind=office,
        code="astana",
        names=_names("Astana city office"),
        parent=gpo,
        region=astana,
        office_level=OfficeLevel.REGIONAL,
        investigating_court=astana_court,
    )
    astana_district = create_organisation(
        kind=office,
        code="astana-almaty-district",
        names=_names("Almaty district office of Astana"),
        parent=astana_office,
        office_level=OfficeLevel.DISTRICT,
        investigating_court=astana_court,
    )
    almaty_office = create_organisation(
        kind=office,
        code="almaty",
        names=_names("Almaty city office"),
        parent=gpo,
        region=almaty,
        office_level=OfficeLevel.REGIONAL,
        investigating_court=almaty_court,
    )
    almaty_district = create_organisation(
        kind=office,
        code="almaty-bostandyk",
        names=_names("Bostandyk district office"),
        parent=almaty_office,
        office_level=OfficeLevel.DISTRICT,
        investigating_court=almaty_court,
    )
    body, unit = OrganisationKind.INVESTIGATION_BODY, OrganisationKind.INVESTIGATIVE_UNIT
    astana_police = create_organisation(
        kind=body,
        code="astana-police",
        names=_names("Astana police"),
        region=astana,
        body_kind=BodyKind.POLICE,
    )
    astana_unit = create_organisation(
        kind=unit,
        code="astana-police-almaty",
        names=_names("Almaty district police"),
        parent=astana_police,
        body_kind=BodyKind.POLICE,
        unit_code="71001",
        supervising_office=astana_district,
    )
    almaty_police = create_organisation(
        kind=body,
        code="almaty-police",
        names=_names("Almaty police"),
        region=almaty,
        body_kind=BodyKind.POLICE,
    )
    almaty_unit = create_organisation(
        kind=unit,
        code="almaty-police-bostandyk",
        names=_names("Bostandyk district police"),
        parent=almaty_police,
        body_kind=BodyKind.POLICE,
        unit_code="75001",
        supervising_office=almaty_district,
    )
    people = {
        "aigerim": (Role.INVESTIGATOR, astana_unit),
        "nurlan": (Role.HEAD_OF_UNIT, astana_unit),
        "bolat": (Role.PROSECUTOR, astana_district),
        "saule": (Role.SENIOR_PROSECUTOR, astana_office),
        "dana": (Role.PROSECUTOR, almaty_district),
        "ruslan": (Role.INVESTIGATOR, almaty_unit),
        "erlan": (Role.INVESTIGATING_JUDGE, astana_court),
        "zhanna": (Role.INVESTIGATING_JUDGE, almaty_court),
        "gulnara": (Role.SENIOR_PROSECUTOR, gpo),
        "asel": (Role.ANALYST, None),
        "admin": (Role.ADMINISTRATOR, None),
        "kamila": (Role.AUDITOR, None),
    }
    users: dict[str, User] = {}
    for username, (role, organisation) in people.items():
        users[username] = person(username, username.capitalize() + "ova", username.capitalize())
        # Gulnara is the General Prosecutor's First Deputy: she consents for special subjects.
        post = Post.FIRST_DEPUTY if username == "gulnara" else Post.NONE
        grant_role(users[username], role, organisation, post=post)
    return World(
        astana,
        almaty,
        gpo,
        astana_office,
        astana_district,
        almaty_office,
        almaty_district,
        astana_court,
        almaty_court,
        astana_police,
        astana_unit,
        almaty_police,
        almaty_unit,
        **users,
    )


_serial = iter(range(1, 10_000_000))


_issued: set[str] = set()


def iin(*, female: bool = False, born: dt.date = dt.date(1990, 5, 17)) -> str:
    """A valid IIN not handed out before in this test process (serials without a check digit are skipped)."""
    while True:
        value = make_iin(born, female=female, serial=next(_serial) % 9000)
        if value not in _issued:
            _issued.add(value)
            return value


def make_case(
    world: World,
    *,
    investigator: User | None = None,
    form: str = "pre_trial_investigation",
    articles: tuple[tuple[str, int | None], ...] = (("188", 2),),
    unit: Organisation | None = None,
) -> Case:
    investigator = investigator or world.aigerim
    unit = unit or (world.almaty_unit if investigator == world.ruslan else world.astana_unit)
    return register.register_case(
        actor=investigator,
        unit_id=unit.pk,
        form=form,
        articles=[register.ArticleInput(article, part) for article, part in articles],
        reported_at=timezone.now() - dt.timedelta(hours=3),
        summary="Theft of a mobile phone",
    )


def add_person(
    case: Case,
    *,
    actor: User | None = None,
    role: str = "witness_with_right_to_defence",
    special_subject: str = "",
    last_name: str = "Seitkali",
) -> Participant:
    actor = actor or case.investigator
    return register.add_participant(
        case.pk,
        actor=actor,
        role=role,
        last_name=last_name,
        first_name="Arman",
        iin=iin(),
        birth_date=dt.date(1990, 5, 17),
        special_subject=special_subject,
    )


ARTICLES = [{"article": "188", "part": 2, "paragraph": None}]

CONTENT: dict[str, Mapping[str, Any]] = {
    "recognition_as_suspect": {
        "articles": ARTICLES,
        "grounds": "Identified by the victim and CCTV",
    },
    "qualification": {"articles": ARTICLES, "grounds": "Theft committed by a group"},
    "qualification_change": {
        "articles": [{"article": "191", "part": 1, "paragraph": None}],
        "grounds": "Open theft",
    },
    "interruption_of_terms": {"ground": "suspect_absconded", "grounds": "Wanted since 3 March"},
    "extension_of_terms": {"total_months": 3, "grounds": "Expert examinations pending"},
    "termination": {"ground": "no_corpus_delicti", "grounds": "Civil dispute"},
    "completion_report": {"summary": "All evidence collected"},
    "protocol_of_accusation": {"articles": ARTICLES, "summary": "Evidence summary"},
    "custody_petition": {"grounds": "Risk of absconding"},
    "custody_extension_petition": {"total_months": 4, "grounds": "Investigation continues"},
    "house_arrest_petition": {"grounds": "Risk of pressure on witnesses"},
    "bail_petition": {"amount": 2_000_000, "grounds": "Suitable security"},
    "seizure_of_property_petition": {
        "property": "Car Toyota Camry 123ABC01",
        "grounds": "Civil claim",
    },
    "search_petition": {"place": "Flat 12, Kenesary street 5", "grounds": "Stolen goods expected"},
    "covert_actions_petition": {
        "actions": "Interception of communications",
        "grounds": "Organised group",
    },
}


def suspect(case: Case, world: World, **kwargs: Any) -> Participant:
    """A participant recognised as suspect through the real workflow."""
    person_ = add_person(case, **kwargs)
    decision = draft(case, "recognition_as_suspect", subject=person_)
    workflow.submit_decision(decision.pk, actor=decision.drafted_by)
    reviewer = world.bolat if case.unit_id == world.astana_unit.pk else world.dana
    workflow.agree_decision(decision.pk, actor=reviewer)
    if kwargs.get("special_subject"):
        workflow.consent_decision(decision.pk, actor=world.gulnara)
    person_.refresh_from_db()
    return person_


def draft(
    case: Case,
    kind: str,
    *,
    subject: Participant | None = None,
    actor: User | None = None,
    content: Mapping[str, Any] | None = None,
) -> Decision:
    return workflow.draft_decision(
        case.pk,
        actor=actor or case.investigator,
        kind=kind,
        content=dict(CONTENT[kind] if content is None else content),
        subject_id=subject.pk if subject else None,
    )


def submitted(case: Case, kind: str, **kwargs: Any) -> Decision:
    decision = draft(case, kind, **kwargs)
    return workflow.submit_decision(decision.pk, actor=decision.drafted_by)


def granted(world: World, case: Case, kind: str, person: Participant) -> LegalEffect:
    """A petition about `person` agreed and filed by Bolat and granted by Erlan: the measure in force."""
    petition = submitted(case, kind, subject=person)
    workflow.agree_decision(petition.pk, actor=world.bolat)
    workflow.petition_court(petition.pk, actor=world.bolat)
    workflow.grant_sanction(petition.pk, actor=world.erlan)
    return LegalEffect.objects.get(decision=petition)
