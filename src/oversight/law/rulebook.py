"""The shape of a rulebook: decision types, approvals, clocks and effects, all as data.

A rulebook version is immutable. A change in the law is a new version with its own effective date;
a decision is judged by the version in force when it was submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from oversight.law.calendar import Calendar
from oversight.law.roles import OfficeLevel, Role
from oversight.law.terms import Source, Term

if TYPE_CHECKING:
    from oversight.law.violations import MonitorSettings, ViolationRule


@dataclass(frozen=True)
class Text:
    """A phrase in the three working languages."""

    en: str
    ru: str
    kk: str

    def get(self, language: str) -> str:
        return str(getattr(self, language, self.en))


class ApprovalKind(StrEnum):
    PROSECUTOR_AGREEMENT = "prosecutor_agreement"
    SPECIAL_SUBJECT_CONSENT = "special_subject_consent"  # CPC arts. 547, 550, 551
    JUDICIAL_SANCTION = "judicial_sanction"  # CPC art. 55


class Condition(StrEnum):
    ALWAYS = "always"
    SUBJECT_IS_SPECIAL = "subject_is_special"
    DRAFTED_BY_INVESTIGATIVE_BODY = "drafted_by_investigative_body"


@dataclass(frozen=True)
class ApprovalRule:
    kind: ApprovalKind
    source: Source
    when: Condition = Condition.ALWAYS


class Effect(StrEnum):
    """What a decision changes once every approval is in."""

    PERSON_BECOMES_SUSPECT = "person_becomes_suspect"
    QUALIFICATION_SET = "qualification_set"
    TERMS_INTERRUPTED = "terms_interrupted"
    TERMS_EXTENDED = "terms_extended"
    CASE_TERMINATED = "case_terminated"
    INVESTIGATION_COMPLETED = "investigation_completed"
    PERSON_BECOMES_ACCUSED = "person_becomes_accused"
    CASE_SENT_TO_COURT = "case_sent_to_court"
    PROCEDURAL_AGREEMENT_CONCLUDED = "procedural_agreement_concluded"
    PERSON_DETAINED = "person_detained"
    CUSTODY_IN_FORCE = "custody_in_force"
    CUSTODY_EXTENDED = "custody_extended"
    HOUSE_ARREST_IN_FORCE = "house_arrest_in_force"
    BAIL_SET = "bail_set"
    PROPERTY_SEIZED = "property_seized"
    SEARCH_AUTHORISED = "search_authorised"
    COVERT_ACTIONS_AUTHORISED = "covert_actions_authorised"


class FieldKind(StrEnum):
    TEXT = "text"
    ARTICLES = "articles"  # a list of Criminal Code references
    INTEGER = "integer"
    CHOICE = "choice"
    MONEY = "money"  # an amount in tenge, whole units
    DATETIME = "datetime"
    PARTICIPANTS = "participants"  # other participants of the case, by id: the indictment's co-accused


@dataclass(frozen=True)
class Choice:
    code: str
    title: Text
    source: Source
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    title: Text
    required: bool = True
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 20_000

    def choice(self, code: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.code == code), None)


# The field of a decision naming the other persons it makes accused (FieldKind.PARTICIPANTS): the
# indictment's co-accused. Only this field has that effect; another field of people would not.
CO_ACCUSED_FIELD = "co_accused"


class SubjectRule(StrEnum):
    NONE = "none"  # the decision concerns the case, not one person
    REQUIRED = "required"  # the decision concerns one participant


# The register's case statuses (register.models.CaseStatus) in which a decision may be drafted and
# take effect: while the investigation runs, its terms running or interrupted.
OPEN_CASE = frozenset({"under_investigation", "interrupted"})


@dataclass(frozen=True)
class LevelStep:
    """Up to `up_to_months` in total, a prosecutor of at least `level` may agree."""

    up_to_months: int
    level: OfficeLevel
    source: Source


@dataclass(frozen=True)
class DecisionType:
    code: str
    title: Text
    source: Source
    drafted_by: frozenset[Role]
    approvals: tuple[ApprovalRule, ...]
    effects: tuple[Effect, ...]
    review_clock: str | None = None  # the prosecutor's review, started at submission
    subject: SubjectRule = SubjectRule.REQUIRED
    subject_roles: frozenset[str] = frozenset()  # procedural roles the subject may hold; empty: any
    fields: tuple[FieldSpec, ...] = ()
    level_ladder: tuple[LevelStep, ...] = ()  # who may agree, by the total term reached
    level_field: str | None = None  # the content field holding the total months reached
    may_be_returned: bool = True
    # The case statuses in which it may be drafted and take effect (see OPEN_CASE).
    case_statuses: frozenset[str] = OPEN_CASE
    # Only one decision of the type per person (or, for the case's own decisions, per case) may await
    # its approvals at a time: two recognitions of one person, two interruptions of one case's terms,
    # would each apply an effect the other already applied. Petitions that each authorise a separate
    # act (a search of another place, a seizure of other property) may be pending side by side.
    one_pending_at_a_time: bool = True

    def field_spec(self, name: str) -> FieldSpec | None:
        return next((spec for spec in self.fields if spec.name == name), None)

    def required_approvals(
        self, *, subject_is_special: bool, drafted_by_investigative_body: bool
    ) -> tuple[ApprovalKind, ...]:
        """The approvals a decision of this type needs, in the order they are given."""
        needed: list[ApprovalKind] = []
        for rule in self.approvals:
            if rule.when is Condition.SUBJECT_IS_SPECIAL and not subject_is_special:
                continue
            if rule.when is Condition.DRAFTED_BY_INVESTIGATIVE_BODY and (not drafted_by_investigative_body):
                continue
            needed.append(rule.kind)
        order = list(ApprovalKind)
        return tuple(sorted(dict.fromkeys(needed), key=order.index))

    @property
    def pending_per_case(self) -> bool:
        """Its one pending decision (`one_pending_at_a_time`) is the case's, not a person's: it concerns the
        case, or it sends the whole case to court, so that two indictments naming the accused in turn
        cannot wait side by side when only the first could ever take effect."""
        return self.subject is SubjectRule.NONE or Effect.CASE_SENT_TO_COURT in self.effects

    @property
    def needs_court(self) -> bool:
        return any(rule.kind is ApprovalKind.JUDICIAL_SANCTION for rule in self.approvals)

    def level_required(self, content: Mapping[str, Any]) -> OfficeLevel | None:
        """The lowest office level whose prosecutor may agree, or None when any may."""
        if not self.level_ladder or self.level_field is None:
            return None
        total = content.get(self.level_field)
        if not isinstance(total, int):
            return None
        for step in self.level_ladder:
            if total <= step.up_to_months:
                return step.level
        return self.level_ladder[-1].level


@dataclass(frozen=True)
class Rulebook:
    """One version of one country's procedural law, as the system applies it."""

    country: str
    version: str
    effective_from: dt.date
    effective_from_source: Source
    calendar: Calendar
    clocks: Mapping[str, Term]
    decision_types: Mapping[str, DecisionType]
    investigation_terms: Mapping[str, str]  # form of investigation -> clock code
    custody_ceiling_months: int
    custody_ceiling_source: Source
    clock_titles: Mapping[str, Text] = field(default_factory=dict)
    violation_rules: tuple[ViolationRule, ...] = ()
    monitor: MonitorSettings | None = None
    special_subject_consent_clock: str = "special_subject_consent"
    sanction_clock: str = "sanction_decision"
    # Resuming interrupted terms: who may, and how the term runs on (no number of its own).
    resumption_source: Source | None = None
    # How every term is computed (units, the day not counted, month ends, non-working days).
    terms_source: Source | None = None

    def decision_type(self, code: str) -> DecisionType:
        try:
            return self.decision_types[code]
        except KeyError:
            raise UnknownDecisionType(code) from None

    def clock_title(self, clock: str, language: str) -> str:
        title = self.clock_titles.get(clock)
        return title.get(language) if title else clock.replace("_", " ")

    def term(self, clock: str) -> Term:
        try:
            return self.clocks[clock]
        except KeyError:
            raise UnknownClock(clock) from None

    def unconfirmed_values(self) -> list[tuple[str, Source]]:
        """Every value still flagged 'to be confirmed', with where it would be confirmed."""
        found: list[tuple[str, Source]] = []
        if self.effective_from_source.to_be_confirmed:
            found.append(("effective_from", self.effective_from_source))
        if self.terms_source is not None and self.terms_source.to_be_confirmed:
            found.append(("term_arithmetic", self.terms_source))
        for code, term in self.clocks.items():
            if term.source.to_be_confirmed:
                found.append((f"clock:{code}", term.source))
            if term.calendar_source is not None and term.calendar_source.to_be_confirmed:
                found.append((f"clock:{code}:non_working_days", term.calendar_source))
        for code, decision_type in self.decision_types.items():
            if decision_type.source.to_be_confirmed:
                found.append((f"decision_type:{code}", decision_type.source))
            for rule in decision_type.approvals:
                if rule.source.to_be_confirmed:
                    found.append((f"{code}:approval:{rule.kind}", rule.source))
            for step in decision_type.level_ladder:
                if step.source.to_be_confirmed:
                    found.append((f"{code}:level:{step.up_to_months}", step.source))
            for spec in decision_type.fields:
                for choice in spec.choices:
                    if choice.source.to_be_confirmed:
                        found.append((f"{code}:{spec.name}:{choice.code}", choice.source))
        if self.custody_ceiling_source.to_be_confirmed:
            found.append(("custody_ceiling_months", self.custody_ceiling_source))
        if self.resumption_source is not None and self.resumption_source.to_be_confirmed:
            found.append(("resumption", self.resumption_source))
        return found


class UnknownDecisionType(LookupError):
    """No decision type with this code exists in the rulebook version."""


class UnknownClock(LookupError):
    """No clock with this code exists in the rulebook version."""
