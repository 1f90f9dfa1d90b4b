"""The demo: Astana's offices, police units and court, a named user for every role, and about fifty
cases whose three weeks of history are replayed through the real services (so every state, event,
clock and effect is exactly what the workflow would have produced)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import time_machine
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts.models import BodyKind, Organisation, OrganisationKind, Region, User
from oversight.accounts.services import create_organisation, grant_role
from oversight.decisions import services as workflow
from oversight.decisions.models import Decision
from oversight.law.identifiers import make_iin
from oversight.law.roles import OfficeLevel, Post, Role
from oversight.monitoring import services as monitor
from oversight.register import services as register
from oversight.register.models import Case, Participant

T = TypeVar("T")
CASES = 50
SEED = 2026


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: Role
    organisation_code: str | None
    last_name: str
    first_name: str
    patronymic: str
    language: str
    post: Post = Post.NONE


ACCOUNTS = (
    Account(
        "aigerim",
        "aigerim-astana-demo",
        Role.INVESTIGATOR,
        "astana-police-almaty",
        "Nurlanova",
        "Aigerim",
        "Serikovna",
        "ru",
    ),
    Account(
        "daniyar",
        "daniyar-astana-demo",
        Role.INVESTIGATOR,
        "astana-police-esil",
        "Bekov",
        "Daniyar",
        "Askarovich",
        "kk",
    ),
    Account(
        "timur", "timur-astana-demo", Role.INVESTIGATOR, "astana-anticorruption", "Sadykov", "Timur", "Ermekovich", "ru"
    ),
    Account(
        "nurlan",
        "nurlan-astana-demo",
        Role.HEAD_OF_UNIT,
        "astana-police-almaty",
        "Zhaksybekov",
        "Nurlan",
        "Maratovich",
        "ru",
    ),
    Account(
        "bolat", "bolat-astana-demo", Role.PROSECUTOR, "astana-almaty-district", "Omarov", "Bolat", "Kairatovich", "ru"
    ),
    Account(
        "marat", "marat-astana-demo", Role.PROSECUTOR, "astana-esil-district", "Ismailov", "Marat", "Bakhytovich", "kk"
    ),
    Account("aliya", "aliya-astana-demo", Role.PROSECUTOR, "astana", "Kassymova", "Aliya", "Nurbolovna", "en"),
    Account("saule", "saule-astana-demo", Role.SENIOR_PROSECUTOR, "astana", "Akhmetova", "Saule", "Bolatovna", "ru"),
    Account(
        "gulnara",
        "gulnara-gpo-demo",
        Role.SENIOR_PROSECUTOR,
        "gpo",
        "Tulegenova",
        "Gulnara",
        "Amanovna",
        "ru",
        Post.FIRST_DEPUTY,  # consents to decisions about special subjects
    ),
    Account(
        "erlan",
        "erlan-court-demo",
        Role.INVESTIGATING_JUDGE,
        "astana-investigating-court",
        "Mukanov",
        "Erlan",
        "Sultanovich",
        "ru",
    ),
    Account("asel", "asel-analyst-demo", Role.ANALYST, None, "Dzhumabaeva", "Asel", "Timurovna", "en"),
    Account("admin", "admin-oversight-demo", Role.ADMINISTRATOR, None, "Administrator", "System", "", "en"),
    Account("kamila", "kamila-audit-demo", Role.AUDITOR, None, "Nurgaliyeva", "Kamila", "Bekovna", "en"),
)


def _org(kind: OrganisationKind, code: str, en: str, ru: str, kk: str, **fields: object) -> Organisation:
    return create_organisation(kind=kind, code=code, names=(en, ru, kk), **fields)  # type: ignore[arg-type]


def build_organisations() -> dict[str, Organisation]:
    astana, _ = Region.objects.get_or_create(
        code="71", defaults={"name_en": "Astana", "name_ru": "Астана", "name_kk": "Астана"}
    )
    office, court, body, unit = (
        OrganisationKind.PROSECUTOR_OFFICE,
        OrganisationKind.COURT,
        OrganisationKind.INVESTIGATION_BODY,
        OrganisationKind.INVESTIGATIVE_UNIT,
    )
    made: dict[str, Organisation] = {}
    made["astana-investigating-court"] = _org(
        court,
        "astana-investigating-court",
        "Specialised Inter-district Investigating Court of Astana",
        "Специализированный межрайонный следственный суд города Астаны",
        "Астана қаласының мамандандырылған ауданаралық тергеу соты",
        region=astana,
    )
    made["gpo"] = _org(
        office,
        "gpo",
        "General Prosecutor's Office",
        "Генеральная прокуратура Республики Казахстан",
        "Қазақстан Республикасының Бас прокуратурасы",
        office_level=OfficeLevel.GENERAL,
    )
    made["astana"] = _org(
        office,
        "astana",
        "Prosecutor's Office of Astana",
        "Прокуратура города Астаны",
        "Астана қаласының прокуратурасы",
        parent=made["gpo"],
        region=astana,
        office_level=OfficeLevel.REGIONAL,
        investigating_court=made["astana-investigating-court"],
    )
    for code, en, ru, kk in (
        ("almaty", "Almaty District", "Алматинского района", "Алматы ауданының"),
        ("esil", "Esil District", "района Есиль", "Есіл ауданының"),
        ("saryarka", "Saryarka District", "района Сарыарка", "Сарыарқа ауданының"),
        ("baikonur", "Baikonur District", "района Байконыр", "Байқоңыр ауданының"),
    ):
        made[f"astana-{code}-district"] = _org(
            office,
            f"astana-{code}-district",
            f"Prosecutor's Office of {en}, Astana",
            f"Прокуратура {ru} г. Астаны",
            f"Астана қаласы {kk} прокуратурасы",
            parent=made["astana"],
            office_level=OfficeLevel.DISTRICT,
            investigating_court=made["astana-investigating-court"],
        )
    made["astana-police"] = _org(
        body,
        "astana-police",
        "Police Department of Astana",
        "Департамент полиции города Астаны",
        "Астана қаласының Полиция департаменті",
        region=astana,
        body_kind=BodyKind.POLICE,
    )
    for code, unit_code, en, ru, kk, supervisor in (
        ("almaty", "71101", "Almaty District", "Алматинского района", "Алматы ауданы", "astana-almaty-district"),
        ("esil", "71102", "Esil District", "района Есиль", "Есіл ауданы", "astana-esil-district"),
        ("saryarka", "71103", "Saryarka District", "района Сарыарка", "Сарыарқа ауданы", "astana-saryarka-district"),
        ("baikonur", "71104", "Baikonur District", "района Байконыр", "Байқоңыр ауданы", "astana-baikonur-district"),
    ):
        made[f"astana-police-{code}"] = _org(
            unit,
            f"astana-police-{code}",
            f"Investigation Division, {en} Police",
            f"Следственный отдел УП {ru}",
            f"{kk} ПБ тергеу бөлімі",
            parent=made["astana-police"],
            body_kind=BodyKind.POLICE,
            unit_code=unit_code,
            supervising_office=made[supervisor],
        )
    made["astana-anticorruption-body"] = _org(
        body,
        "astana-anticorruption-body",
        "Anti-Corruption Service, Astana Department",
        "Департамент Агентства по противодействию коррупции по г. Астане",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігінің Астана қаласы бойынша департаменті",
        region=astana,
        body_kind=BodyKind.ANTI_CORRUPTION,
    )
    made["astana-anticorruption"] = _org(
        unit,
        "astana-anticorruption",
        "Investigation Directorate, Anti-Corruption Service of Astana",
        "Следственное управление АПК по г. Астане",
        "СЖҚА Астана бойынша тергеу басқармасы",
        parent=made["astana-anticorruption-body"],
        body_kind=BodyKind.ANTI_CORRUPTION,
        unit_code="71201",
        supervising_office=made["astana"],
    )
    made["astana-economic-body"] = _org(
        body,
        "astana-economic-body",
        "Economic Investigation Service, Astana",
        "Служба экономических расследований по г. Астане",
        "Астана бойынша экономикалық тергеу қызметі",
        region=astana,
        body_kind=BodyKind.ECONOMIC_INVESTIGATION,
    )
    made["astana-economic"] = _org(
        unit,
        "astana-economic",
        "Investigation Unit, Economic Investigation Service of Astana",
        "Следственный отдел СЭР по г. Астане",
        "Астана бойынша ЭТҚ тергеу бөлімі",
        parent=made["astana-economic-body"],
        body_kind=BodyKind.ECONOMIC_INVESTIGATION,
        unit_code="71301",
        supervising_office=made["astana"],
    )
    return made


def demo_key(account: Account) -> str:
    """A fixed authenticator key per demo account (hex, as django-otp stores it), printed by seed_demo."""
    return hashlib.sha256(f"oversight-demo-totp:{account.username}".encode()).hexdigest()[:40]


def demo_secret(account: Account) -> str:
    """The same key in base32, as authenticator apps take it."""
    return base64.b32encode(bytes.fromhex(demo_key(account))).decode()


def build_accounts(organisations: dict[str, Organisation]) -> dict[str, User]:
    users: dict[str, User] = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(
                username=account.username,
                password=account.password,
                last_name=account.last_name,
                first_name=account.first_name,
                patronymic=account.patronymic,
                preferred_language=account.language,
                email=f"{account.username}@demo.oversight.invalid",
            )
        organisation = organisations[account.organisation_code] if account.organisation_code else None
        grant_role(user, account.role, organisation, post=account.post)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True, key=demo_key(account))
        users[account.username] = user
    return users


LAST_NAMES = (
    "Abenov",
    "Bekova",
    "Dauletov",
    "Ermekova",
    "Galiev",
    "Ibraimova",
    "Kenzhebekov",
    "Lukpanova",
    "Mukhamedov",
    "Nurpeisova",
    "Ospanov",
    "Rakhimova",
    "Serikbayev",
    "Tokayeva",
    "Utebayev",
    "Zhumabekova",
)
FIRST_NAMES = ("Arman", "Dana", "Yerlan", "Madina", "Kairat", "Aruzhan", "Samat", "Zarina", "Azamat", "Togzhan")
ARTICLES = (("188", 2), ("190", 2), ("191", 1), ("106", 1), ("293", 1), ("296", 2), ("200", 1), ("345", 2))
CORRUPTION = (("366", 3), ("367", 2), ("218", 2))
WAITING = frozenset({0, 3, 4, 5, 8})  # scenarios that end waiting for a prosecutor's or a judge's act


class History:
    """Replays the demo's past through the services, moving a frozen clock forward."""

    def __init__(self, users: dict[str, User], organisations: dict[str, Organisation], rng: random.Random) -> None:
        self.users = users
        self.organisations = organisations
        self.rng = rng
        self.now = timezone.now()
        self.serial = 0

    def at(self, moment: dt.datetime, step: Callable[[], T]) -> T:
        with time_machine.travel(moment, tick=False):
            return step()

    def person(self, case: Case, actor: User, role: str, *, special: str = "") -> Participant:
        self.serial += 1
        female = self.rng.random() < 0.5
        birth = dt.date(1960 + self.rng.randrange(45), 1 + self.rng.randrange(12), 1 + self.rng.randrange(28))
        return register.add_participant(
            case.pk,
            actor=actor,
            role=role,
            last_name=self.rng.choice(LAST_NAMES),
            first_name=self.rng.choice(FIRST_NAMES),
            iin=make_iin(birth, female=female, serial=self.serial),
            birth_date=birth,
            phone=f"+7701{self.rng.randrange(10**6, 10**7)}",
            special_subject=special,
        )

    def case(self, index: int) -> None:
        rng = self.rng
        investigator_name = ("aigerim", "aigerim", "daniyar", "timur")[index % 4]
        investigator = self.users[investigator_name]
        unit_code = {
            "aigerim": "astana-police-almaty",
            "daniyar": "astana-police-esil",
            "timur": "astana-anticorruption",
        }[investigator_name]
        reviewer = {"aigerim": "bolat", "daniyar": "marat", "timur": "aliya"}[investigator_name]
        articles = CORRUPTION if investigator_name == "timur" else ARTICLES
        article, part = rng.choice(articles)
        scenario = index % 12
        variant = (index // 12) % 2  # the second pass through the scenarios takes the other branch
        if scenario in WAITING and not variant:
            # Still before the prosecutor or the judge: most arrived within the last day or so.
            start = self.now - dt.timedelta(hours=rng.uniform(6, 30))
        else:
            start = self.now - dt.timedelta(days=rng.uniform(0.5, 21), hours=rng.uniform(0, 8))
        clock = [start]

        def later(hours: float) -> dt.datetime:
            clock[0] = min(clock[0] + dt.timedelta(hours=hours), self.now - dt.timedelta(minutes=5))
            return clock[0]

        form = "expedited" if index % 9 == 4 else "pre_trial_investigation"
        case = self.at(
            clock[0],
            lambda: register.register_case(
                actor=investigator,
                unit_id=self.organisations[unit_code].pk,
                form=form,
                articles=[register.ArticleInput(article, part)],
                # Every seventeenth report waited more than a day for registration (the monitor finds it).
                reported_at=clock[0] - dt.timedelta(hours=rng.uniform(1, 20) + (30 if index % 17 == 5 else 0)),
                summary=f"Report No. {1000 + index}: offence under art. {article} part {part} of the Criminal Code",
            ),
        )
        self.at(
            later(1),
            lambda: register.assign_procedural_prosecutor(
                case.pk, actor=self.users["saule"], prosecutor_id=self.users[reviewer].pk
            ),
        )
        victim = self.at(later(0.5), lambda: self.person(case, investigator, "victim"))
        if index % 5 == 2:  # the victim petitions (CPC art. 99); some petitions are left undecided
            petition_of_victim = self.at(
                later(1),
                lambda: register.file_petition(
                    case.pk,
                    actor=investigator,
                    participant_id=victim.pk,
                    request="Order a forensic valuation of the stolen property",
                ),
            )
            if index % 10 == 2:
                self.at(
                    later(rng.uniform(2, 40)),
                    lambda: register.decide_petition(
                        petition_of_victim.pk, actor=investigator, granted=True, answer="Valuation ordered"
                    ),
                )
        person = self.at(
            later(0.5),
            lambda: self.person(
                case,
                investigator,
                "witness_with_right_to_defence",
                special="member_of_parliament" if index % 24 == 15 else "",
            ),
        )
        prosecutor = self.users[reviewer]

        def decide(kind: str, content: dict[str, object], subject: Participant | None = None) -> Decision:
            made = self.at(
                later(rng.uniform(0.5, 6)),
                lambda: workflow.draft_decision(
                    case.pk, actor=investigator, kind=kind, content=content, subject_id=subject.pk if subject else None
                ),
            )
            self.at(later(rng.uniform(0.2, 2)), lambda: workflow.submit_decision(made.pk, actor=investigator))
            return made

        recognition = decide(
            "recognition_as_suspect",
            {
                "articles": [{"article": article, "part": part}],
                "grounds": "Identified by the victim; confirmed by video recordings and a search of the premises",
            },
            person,
        )
        if scenario == 0:
            return  # awaiting the prosecutor's review (some of these are already overdue)
        if scenario == 1:
            self.at(
                later(rng.uniform(1, 20)),
                lambda: workflow.return_decision(
                    recognition.pk,
                    actor=prosecutor,
                    reason="State which evidence links the person to the offence; attach the expert's opinion",
                ),
            )
            return  # back with the investigator for rework
        if scenario == 2:
            self.at(
                later(rng.uniform(1, 20)),
                lambda: workflow.refuse_decision(
                    recognition.pk,
                    actor=prosecutor,
                    reason="The evidence does not show the person's involvement; the alibi has not been checked",
                ),
            )
            return  # the prosecutor's refusal kept a person out of prosecution
        self.at(later(rng.uniform(1, 18)), lambda: workflow.agree_decision(recognition.pk, actor=prosecutor))
        if person.special_subject:
            return  # awaiting the General Prosecutor's consent
        person.refresh_from_db()
        if scenario == 3:
            qualification = decide(
                "qualification",
                {
                    "articles": [{"article": article, "part": part}],
                    "grounds": "The act is qualified on the evidence collected",
                },
                person,
            )
            if variant:  # agreed; its announcement to the suspect is due within 24 hours
                self.at(later(rng.uniform(1, 10)), lambda: workflow.agree_decision(qualification.pk, actor=prosecutor))
            return
        if scenario in (4, 5, 6):
            detained_at = later(rng.uniform(1, 6))
            decide("detention", {"detained_at": detained_at.isoformat(), "grounds": "Caught at the scene"}, person)
            petition = decide(
                "custody_petition", {"grounds": "Risk of absconding and of pressure on the victim"}, person
            )
            self.at(later(rng.uniform(1, 5)), lambda: workflow.agree_decision(petition.pk, actor=prosecutor))
            if scenario == 4:
                return  # agreed; awaiting the prosecutor's petition to the judge
            self.at(later(0.5), lambda: workflow.petition_court(petition.pk, actor=prosecutor))
            if scenario == 5:
                return  # before the investigating judge
            self.at(
                later(rng.uniform(1, 6)),
                lambda: workflow.grant_sanction(
                    petition.pk, actor=self.users["erlan"], reason="Grounds under CPC art. 136 established"
                ),
            )
            return  # custody in force with its clock
        if scenario == 7:
            interruption = decide(
                "interruption_of_terms", {"ground": "suspect_absconded", "grounds": "The suspect is on the wanted list"}
            )
            if variant:
                self.at(later(rng.uniform(2, 30)), lambda: workflow.agree_decision(interruption.pk, actor=prosecutor))
            return
        if scenario == 8:
            decide(
                "extension_of_terms",
                {"total_months": 3 if variant else 8, "grounds": "Forensic accounting examination pending"},
            )
            return
        if scenario == 9:
            termination = decide(
                "termination",
                {
                    "ground": "reconciliation" if variant else "no_corpus_delicti",
                    "grounds": "Established in the course of the investigation",
                },
            )
            self.at(later(rng.uniform(5, 60)), lambda: workflow.agree_decision(termination.pk, actor=prosecutor))
            return
        if scenario == 10:
            search = decide(
                "search_petition",
                {"place": "Garage at the suspect's address", "grounds": "Stolen goods are expected there"},
            )
            self.at(later(2), lambda: workflow.agree_decision(search.pk, actor=prosecutor))
            self.at(later(0.5), lambda: workflow.petition_court(search.pk, actor=prosecutor))
            if variant:
                self.at(
                    later(3),
                    lambda: workflow.deny_sanction(
                        search.pk, actor=self.users["erlan"], reason="No facts show the goods are kept there"
                    ),
                )
            return
        if variant:  # a group offence: an accomplice too, for the prosecutor's one indictment naming both
            accomplice = self.at(later(0.5), lambda: self.person(case, investigator, "witness_with_right_to_defence"))
            second = decide(
                "recognition_as_suspect",
                {
                    "articles": [{"article": article, "part": part}],
                    "grounds": "Acted together with the first suspect, as the recorded calls show",
                },
                accomplice,
            )
            self.at(later(rng.uniform(1, 10)), lambda: workflow.agree_decision(second.pk, actor=prosecutor))
        report = decide("completion_report", {"summary": "All investigative actions are complete; evidence listed"})
        self.at(later(rng.uniform(5, 40)), lambda: workflow.agree_decision(report.pk, actor=prosecutor))


def seed(*, cases: int = CASES) -> tuple[bool, dict[str, User]]:
    """Create the demo once; a second run changes nothing and returns (False, users)."""
    with transaction.atomic():
        organisations = build_organisations()
        users = build_accounts(organisations)
    if Case.objects.exists():
        return False, users
    history = History(users, organisations, random.Random(SEED))
    with transaction.atomic():
        for index in range(cases):
            history.case(index)
    monitor.sweep()  # what three weeks of history left unlawful is on the prosecutors' pages at once
    return True, users
