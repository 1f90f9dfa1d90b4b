"""Every write on the register: registering a case, adding participants, (re)assigning people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import Organisation, OrganisationKind, User
from oversight.audit.models import Alert, Operation
from oversight.audit.queries import senior_prosecutors_over
from oversight.audit.services import Who, record
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law import UnknownRulebook, deadline_for, rulebook_in_force, rulebooks
from oversight.law.criminal_code import InvalidArticle, parse_article
from oversight.law.identifiers import InvalidIdentifier, format_erdr, iin_birth_date, validate_erdr, validate_iin
from oversight.law.roles import Role
from oversight.register.access import access_case, break_glass_case, may_act_as_investigator
from oversight.register.models import (
    ROLES_BY_DECISION_ONLY,
    Case,
    CaseArticle,
    CaseEvent,
    CaseForm,
    CaseStatus,
    ErdrSequence,
    Participant,
    ParticipantPetition,
    ParticipantRole,
)

OPEN_STATUSES = frozenset({CaseStatus.UNDER_INVESTIGATION, CaseStatus.INTERRUPTED})
BREAK_GLASS_REASON = 20  # characters: a reason, not a word (this system's policy, not a legal term)


@dataclass(frozen=True)
class ArticleInput:
    article: str
    part: int | None = None
    paragraph: int | None = None


def record_case_event(case: Case, code: str, *, actor: User, at: dt.datetime, **data: object) -> CaseEvent:
    """Append the case's event and mark the case as acted on, in the caller's transaction (marking it
    queues the monitor's evaluation of the case: see monitoring's migration 0003)."""
    Case.objects.filter(pk=case.pk).update(last_act_at=at)
    return CaseEvent.objects.create(case=case, code=code, actor=actor, at=at, data=data)


def validate_articles(articles: Sequence[ArticleInput], *, field: str = "articles") -> list[ArticleInput]:
    if not articles:
        raise Invalid({field: "at least one Criminal Code article is required"})
    seen: set[tuple[str, int | None, int | None]] = set()
    cleaned: list[ArticleInput] = []
    for index, given in enumerate(articles):
        try:
            reference = parse_article(given.article, given.part, given.paragraph)
        except InvalidArticle as error:
            raise Invalid({f"{field}[{index}]": str(error)}) from None
        key = (reference.article, reference.part, reference.paragraph)
        if key in seen:
            raise Invalid({f"{field}[{index}]": "this article is listed twice"})
        seen.add(key)
        cleaned.append(ArticleInput(*key))
    return cleaned


def _law_in_force_on(moment: dt.datetime, *, field: str) -> dict[str, str]:
    """The error for a user-given moment no rulebook covers: the register knows no law before its first version."""
    try:
        rulebook_in_force(moment)
    except (UnknownRulebook, OverflowError):  # OverflowError: a year-1 moment has no local date
        first = min(book.effective_from for book in rulebooks())
        return {field: f"no rulebook is in force on that date; the earliest is in force from {first.isoformat()}"}
    return {}


def _next_erdr_number(unit: Organisation, region_code: str, at: dt.datetime) -> str:
    year = at.astimezone(rulebook_in_force(at).calendar.tz).year
    ErdrSequence.objects.get_or_create(unit=unit, year=year)
    sequence = ErdrSequence.objects.select_for_update().get(unit=unit, year=year)
    ErdrSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
    return format_erdr(year, region_code, unit.unit_code, sequence.last_value + 1)


def register_case(
    *,
    actor: User,
    unit_id: int,
    form: str,
    articles: Sequence[ArticleInput],
    reported_at: dt.datetime,
    summary: str = "",
    investigator_id: int | None = None,
    erdr_number: str | None = None,
) -> Case:
    """Register a report in the ERDR: the start of the pre-trial investigation (CPC art. 179)."""
    now = timezone.now()
    errors: dict[str, str] = {}
    if form not in CaseForm.values:
        errors["form"] = f"must be one of {', '.join(CaseForm.values)}"
    if reported_at.tzinfo is None:
        errors["reported_at"] = "must carry a time zone"
    elif reported_at > now:
        errors["reported_at"] = "cannot be in the future"
    else:
        errors.update(_law_in_force_on(reported_at, field="reported_at"))
    if errors:
        raise Invalid(errors)
    cleaned = validate_articles(articles)

    jurisdiction = jurisdiction_of(actor)
    unit = Organisation.objects.filter(pk=unit_id, kind=OrganisationKind.INVESTIGATIVE_UNIT).first()
    if unit is None or not (jurisdiction.investigates_in(unit.pk) or jurisdiction.heads_unit(unit.pk)):
        raise NotFound(f"unit {unit_id} not found")
    if unit.region is None or unit.supervising_office is None:
        raise Invalid({"unit_id": "the unit has no region or supervising office on file"})
    region_code = unit.region.code
    if investigator_id is None:
        if not jurisdiction.investigates_in(unit.pk):
            raise Invalid({"investigator_id": "the head of unit must name the investigator"})
        investigator = actor
    else:
        if investigator_id != actor.pk and not jurisdiction.heads_unit(unit.pk):
            raise Forbidden(
                gettext("Only the head of unit assigns a case to another investigator."),
                field="investigator_id",
            )
        found = User.objects.filter(pk=investigator_id, is_active=True).first()
        if found is None or not jurisdiction_of(found).investigates_in(unit.pk):
            raise Invalid({"investigator_id": "not an investigator of this unit"})
        investigator = found
    book = rulebook_in_force(now)
    if erdr_number is not None:
        try:
            validate_erdr(erdr_number, year=book.calendar.local_date(now).year, region_code=region_code)
        except InvalidIdentifier as error:
            raise Invalid({"erdr_number": str(error)}) from None

    with transaction.atomic():
        number = erdr_number or _next_erdr_number(unit, region_code, now)
        term_clock = book.investigation_terms[form]
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    erdr_number=number,
                    reported_at=reported_at,
                    registered_at=now,
                    form=form,
                    summary=summary,
                    body=unit.parent or unit,
                    unit=unit,
                    investigator=investigator,
                    supervising_office=unit.supervising_office,
                    rulebook_version=book.version,
                    term_started_at=now,
                    term_ends_at=deadline_for(term_clock, now, rulebook=book),
                    last_act_at=now,
                    created_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                gettext("ERDR number %(erdr_number)s is already registered.") % {"erdr_number": number},
                field="erdr_number",
            ) from None
        CaseArticle.objects.bulk_create(
            CaseArticle(case=case, article=a.article, part=a.part, paragraph=a.paragraph, position=index)
            for index, a in enumerate(cleaned)
        )
        record_case_event(
            case,
            "case.registered",
            actor=actor,
            at=now,
            erdr_number=number,
            form=form,
            articles=[a.__dict__ for a in cleaned],
            investigator=investigator.pk,
            supervising_office=case.supervising_office_id,
            rulebook_version=book.version,
        )
    return case


def add_participant(
    case_id: int,
    *,
    actor: User,
    role: str,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    iin: str | None = None,
    foreign_national: bool = False,
    citizenship: str = "KZ",
    birth_date: dt.date | None = None,
    phone: str = "",
    email: str = "",
    special_subject: str = "",
) -> Participant:
    errors: dict[str, str] = {}
    if role not in ParticipantRole.values:
        errors["role"] = f"must be one of {', '.join(ParticipantRole.values)}"
    elif role in ROLES_BY_DECISION_ONLY:
        errors["role"] = "a person becomes suspect or accused only by a decision agreed by the prosecutor"
    if not last_name.strip():
        errors["last_name"] = "is required"
    if not first_name.strip():
        errors["first_name"] = "is required"
    if iin:
        try:
            validate_iin(iin)
        except InvalidIdentifier as error:
            errors["iin"] = str(error)
        else:
            errors.update(_iin_agrees_with_birth_date(iin, birth_date))
    elif not foreign_national:
        errors["iin"] = "is required for a citizen of Kazakhstan (foreign nationals may have none)"
    if len(citizenship) != 2 or not citizenship.isalpha() or not citizenship.isupper():
        errors["citizenship"] = "must be a two-letter ISO 3166 country code"
    elif not foreign_national and citizenship != "KZ":
        errors["citizenship"] = "a citizen of Kazakhstan has citizenship KZ"
    if birth_date is not None and birth_date > timezone.localdate():
        errors.setdefault("birth_date", "cannot be in the future")
    if errors:
        raise Invalid(errors)

    with transaction.atomic():
        case = access_case(actor, case_id, for_update=True)
        _require_investigative_authority(actor, case)
        if case.status not in OPEN_STATUSES:
            raise Conflict(
                gettext("Participants can no longer be added: case %(erdr_number)s — %(status)s.")
                % {"erdr_number": case.erdr_number, "status": str(CaseStatus(case.status).label).lower()}
            )
        if iin:
            _same_person_for_the_iin(case, iin, (last_name, first_name, patronymic), birth_date)
        now = timezone.now()
        try:
            with transaction.atomic():
                participant = Participant.objects.create(
                    case=case,
                    role=role,
                    last_name=last_name.strip(),
                    first_name=first_name.strip(),
                    patronymic=patronymic.strip(),
                    iin=iin or None,
                    foreign_national=foreign_national,
                    citizenship=citizenship,
                    birth_date=birth_date,
                    phone=phone,
                    email=email,
                    special_subject=special_subject,
                    added_at=now,
                    added_by=actor,
                )
        except IntegrityError:
            raise Conflict(gettext("This person already takes part in the case in this role."), field="iin") from None
        record_case_event(case, "participant.added", actor=actor, at=now, participant=participant.pk, role=role)
    return participant


def _iin_agrees_with_birth_date(iin: str, birth_date: dt.date | None) -> dict[str, str]:
    """An IIN begins with its holder's birth date: a birth date given beside it must agree, and neither
    lies in the future."""
    encoded = iin_birth_date(iin)
    if encoded is None:
        return {}
    if encoded > timezone.localdate():
        return {"iin": "the IIN begins with a birth date in the future"}
    if birth_date is not None and birth_date != encoded:
        return {"birth_date": f"does not match the birth date in the IIN ({encoded.isoformat()})"}
    return {}


def _same_person_for_the_iin(case: Case, iin: str, names: tuple[str, str, str], birth_date: dt.date | None) -> None:
    """One IIN is one person: a second role for them is fine (victim and civil plaintiff), another name is not."""

    def key(value: str) -> str:
        return " ".join(value.split()).casefold()

    given = tuple(key(name) for name in names)
    for holder in Participant.objects.filter(case=case, iin=iin):
        same_name = given == (key(holder.last_name), key(holder.first_name), key(holder.patronymic))
        same_birth = birth_date is None or holder.birth_date is None or birth_date == holder.birth_date
        if not (same_name and same_birth):
            raise Invalid({"iin": f"this IIN belongs to another participant of the case, {holder.full_name()}"})


def _require_investigative_authority(actor: User, case: Case) -> None:
    if not may_act_as_investigator(jurisdiction_of(actor), case):
        raise Forbidden(gettext("Only the case's investigator or the head of unit may do this."))


@transaction.atomic
def assign_procedural_prosecutor(case_id: int, *, actor: User, prosecutor_id: int) -> Case:
    """Only the head of a supervising office replaces the procedural prosecutor (CPC art. 193)."""
    case = access_case(actor, case_id, for_update=True)
    office = case.supervising_office
    jurisdiction = jurisdiction_of(actor)
    if not any(office.path.startswith(path) for path in jurisdiction.senior_paths()):
        raise Forbidden(
            gettext("Only a senior prosecutor over the supervising office assigns the procedural prosecutor.")
        )
    prosecutor = User.objects.filter(pk=prosecutor_id, is_active=True).first()
    if prosecutor is None or not jurisdiction_of(prosecutor).supervises(office):
        raise Invalid({"prosecutor_id": "not a prosecutor of the supervising office"})
    if case.procedural_prosecutor_id == prosecutor.pk:
        return case
    previous = case.procedural_prosecutor_id
    case.procedural_prosecutor = prosecutor
    case.save(update_fields=["procedural_prosecutor", "updated_at"])
    record_case_event(
        case,
        "case.procedural_prosecutor_assigned",
        actor=actor,
        at=timezone.now(),
        previous=previous,
        current=prosecutor.pk,
    )
    return case


@transaction.atomic
def reassign_investigator(case_id: int, *, actor: User, investigator_id: int) -> Case:
    case = access_case(actor, case_id, for_update=True)
    if not jurisdiction_of(actor).heads_unit(case.unit_id):
        raise Forbidden(gettext("Only the head of unit reassigns a case."))
    investigator = User.objects.filter(pk=investigator_id, is_active=True).first()
    if investigator is None or not jurisdiction_of(investigator).investigates_in(case.unit_id):
        raise Invalid({"investigator_id": "not an investigator of this unit"})
    if case.investigator_id == investigator.pk:
        return case
    previous = case.investigator_id
    case.investigator = investigator
    case.save(update_fields=["investigator", "updated_at"])
    record_case_event(
        case,
        "case.investigator_assigned",
        actor=actor,
        at=timezone.now(),
        previous=previous,
        current=investigator.pk,
    )
    return case


@transaction.atomic
def file_petition(
    case_id: int, *, actor: User, participant_id: int, request: str, filed_at: dt.datetime | None = None
) -> ParticipantPetition:
    """Record a participant's petition (CPC art. 99); its three-day clock starts when it was filed."""
    now = timezone.now()
    filed = filed_at or now
    errors: dict[str, str] = {}
    if not request.strip():
        errors["request"] = "is required"
    if filed.tzinfo is None:
        errors["filed_at"] = "must carry a time zone"
    elif filed > now:
        errors["filed_at"] = "cannot be in the future"
    if errors:
        raise Invalid(errors)
    case = access_case(actor, case_id, for_update=True)
    _require_investigative_authority(actor, case)
    participant = Participant.objects.filter(case=case, pk=participant_id).first()
    if participant is None:
        raise Invalid({"participant_id": "no such participant in this case"})
    if filed < case.reported_at:
        reported = timezone.localtime(case.reported_at)
        raise Invalid({"filed_at": f"cannot be before the case was reported ({reported:%Y-%m-%d %H:%M})"})
    # The date is the user's: a moment no rulebook covers is their error, not the server's.
    if unknown := _law_in_force_on(filed, field="filed_at"):
        raise Invalid(unknown)
    book = rulebook_in_force(filed)
    petition = ParticipantPetition.objects.create(
        case=case,
        participant=participant,
        request=request.strip(),
        filed_at=filed,
        due_at=deadline_for("petition_decision", filed, rulebook=book),
        rulebook_version=book.version,
        recorded_by=actor,
    )
    record_case_event(case, "petition.filed", actor=actor, at=now, petition=petition.pk, participant=participant.pk)
    return petition


@transaction.atomic
def decide_petition(petition_id: int, *, actor: User, granted: bool, answer: str) -> ParticipantPetition:
    petition = ParticipantPetition.objects.select_for_update().filter(pk=petition_id).first()
    if petition is None:
        raise NotFound(f"petition {petition_id} not found")
    case = access_case(actor, petition.case_id, for_update=True)
    _require_investigative_authority(actor, case)
    if petition.decided_at is not None:
        raise Conflict(gettext("The petition is already decided."))
    if not answer.strip():
        raise Invalid({"answer": "is required"})
    now = timezone.now()
    petition.decided_at, petition.decided_by, petition.granted, petition.answer = now, actor, granted, answer.strip()
    petition.save(update_fields=["decided_at", "decided_by", "granted", "answer"])
    record_case_event(case, "petition.decided", actor=actor, at=now, petition=petition.pk, granted=granted)
    return petition


@transaction.atomic
def break_glass(actor: Who, *, reason: str, case_id: int | None = None, erdr_number: str | None = None) -> Case:
    """An administrator's emergency read of a case outside every jurisdiction (CJIS AC-3 break-glass).

    The written reason is recorded with the read, and every senior prosecutor over the case's office
    is alerted, in one transaction: the read is never served without both.
    """
    if actor.user is None or not jurisdiction_of(actor.user).has(Role.ADMINISTRATOR):
        raise Forbidden(gettext("Only an administrator reads a case by break-glass."))
    text = (reason or "").strip()
    if len(text) < BREAK_GLASS_REASON:
        raise Invalid({"reason": f"state the reason in at least {BREAK_GLASS_REASON} characters"})
    if case_id is None and not (erdr_number or "").strip():
        raise Invalid({"erdr_number": "name the case by its ERDR number"})
    case = break_glass_case(case_id, erdr_number=(erdr_number or "").strip() or None)
    entry = record(
        actor,
        operation=Operation.CONSULTATION,
        action="break_glass",
        object_type="case",
        object_id=case.pk,
        object_label=case.erdr_number,
        justification=text,
    )
    now = timezone.now()
    Alert.objects.bulk_create(
        Alert(recipient=senior, kind="break_glass", entry=entry, created_at=now)
        for senior in senior_prosecutors_over(case.supervising_office)
    )
    return case
