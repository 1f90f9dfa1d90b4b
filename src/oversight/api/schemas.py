"""Request and response shapes of the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, BaseModel, ConfigDict


class Strict(Schema):
    """Unknown fields are rejected: no mass assignment, and typos are errors, not silence."""

    model_config = ConfigDict(extra="forbid")


# --- requests -----------------------------------------------------------------------------------


class ArticleIn(Strict):
    article: str = Field(..., min_length=1, max_length=8, examples=["188"])
    part: int | None = Field(None, ge=0, le=99, examples=[2])
    paragraph: int | None = Field(None, ge=0, le=99, examples=[1])


class CaseIn(Strict):
    unit_id: int = Field(..., ge=1, le=2**63 - 1)
    form: str = Field(..., max_length=32, examples=["pre_trial_investigation"])
    articles: list[ArticleIn] = Field(..., max_length=20)
    reported_at: AwareDatetime
    summary: str = Field("", max_length=20_000)
    investigator_id: int | None = Field(None, ge=1, le=2**63 - 1)
    erdr_number: str | None = Field(None, max_length=32, description="Only when importing a number already given")


class ParticipantIn(Strict):
    role: str = Field(..., max_length=40, examples=["victim"])
    last_name: str = Field(..., max_length=150)
    first_name: str = Field(..., max_length=150)
    patronymic: str = Field("", max_length=150)
    iin: str | None = Field(None, max_length=32, description="12 digits with a valid check digit")
    foreign_national: bool = False
    citizenship: str = Field("KZ", max_length=8)
    birth_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    special_subject: str = Field("", max_length=64, description="e.g. member_of_parliament, judge; blank if none")


class AssignProsecutorIn(Strict):
    prosecutor_id: int = Field(..., ge=1, le=2**63 - 1)


class DecisionIn(Strict):
    kind: str = Field(..., max_length=64, examples=["recognition_as_suspect"])
    subject_id: int | None = Field(None, ge=1, le=2**63 - 1)
    content: dict[str, Any] = Field(default_factory=dict)
    stated_date: dt.date | None = None


class DecisionEditIn(Strict):
    subject_id: int | None = Field(None, ge=1, le=2**63 - 1)
    content: dict[str, Any]
    stated_date: dt.date | None = None


class CommentIn(Strict):
    comment: str = Field("", max_length=20_000)


class ReasonIn(Strict):
    reason: str = Field(..., max_length=20_000)


class OptionalReasonIn(Strict):
    reason: str = Field("", max_length=20_000)


class PetitionIn(Strict):
    court_id: int | None = Field(None, ge=1, le=2**63 - 1)


class Page(Strict):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class CaseFilters(Page):
    erdr_number: str | None = Field(None, max_length=32)
    status: str | None = Field(None, max_length=32)


class QueueFilters(Page):
    kind: str | None = Field(None, max_length=64)
    overdue: bool = False


class FindingFilters(Page):
    status: Literal["open", "acknowledged", "resolved", "dismissed"] | None = None
    rule: str | None = Field(None, max_length=48)
    case_id: int | None = Field(None, ge=1, le=2**63 - 1)


class ResolveIn(Strict):
    response: Literal["instruction", "cancellation", "submission", "protest", "release"] = Field(
        ..., description="The act of prosecutorial response that resolves the finding"
    )
    note: str = Field(..., max_length=20_000, description="Its number, date and substance")


class BreakGlassIn(Strict):
    reason: str = Field(..., max_length=2_000, description="Why the case must be read now (at least 20 characters)")


class AccessLogFilters(Page):
    username: str | None = Field(None, max_length=150)
    object_type: str | None = Field(None, max_length=32)
    object_id: str | None = Field(None, max_length=64)
    since: AwareDatetime | None = None


# --- responses ----------------------------------------------------------------------------------


class Out(BaseModel):
    """A response's shape. The presenters (api.presenters) give each answer as plain data, so a shape
    is plain pydantic, validated and written in pydantic's core: Ninja's `Schema` reads its input
    through a getter made for ORM objects, which cost seven times as much for a decision (bench/README.md)."""


class Ref(Out):
    id: int
    name: str


class ArticleOut(Out):
    article: str
    part: int | None
    paragraph: int | None


class ParticipantOut(Out):
    id: int
    role: str
    last_name: str
    first_name: str
    patronymic: str
    iin: str | None
    foreign_national: bool
    citizenship: str
    birth_date: dt.date | None
    special_subject: str
    qualification: list[ArticleOut]
    suspect_since: dt.datetime | None
    accused_since: dt.datetime | None


class EffectOut(Out):
    id: int
    kind: str
    decision_id: int
    participant_id: int | None
    started_at: dt.datetime
    ends_at: dt.datetime | None
    ended_at: dt.datetime | None
    data: dict[str, Any]


class DeadlineOut(Out):
    id: int
    clock: str
    decision_id: int | None
    participant_id: int | None
    started_at: dt.datetime
    due_at: dt.datetime
    exceptional: bool
    status: Literal["open", "met", "late", "cleared"] = Field(
        description="open: running; met: closed by its act in time; late: closed by its act after due_at "
        "(the limit was broken); cleared: ended without its act (the decision withdrawn, the case closed)"
    )
    closed_at: dt.datetime | None
    rulebook_version: str
    to_be_confirmed: bool


class DecisionBrief(Out):
    id: int
    kind: str
    state: str
    subject_id: int | None
    revision: int
    drafted_at: dt.datetime
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    in_force_at: dt.datetime | None


class CaseOut(Out):
    id: int
    erdr_number: str
    reported_at: dt.datetime
    registered_at: dt.datetime
    form: str
    status: str
    summary: str
    body: Ref
    unit: Ref
    investigator: Ref
    supervising_office: Ref
    procedural_prosecutor: Ref | None
    rulebook_version: str
    term_started_at: dt.datetime
    term_total_months: int | None
    term_ends_at: dt.datetime | None
    interrupted_at: dt.datetime | None
    terminated_at: dt.datetime | None
    termination_rehabilitating: bool | None
    completed_at: dt.datetime | None
    sent_to_court_at: dt.datetime | None
    articles: list[ArticleOut]


class CaseDetailOut(CaseOut):
    participants: list[ParticipantOut]
    decisions: list[DecisionBrief]
    legal_effects: list[EffectOut]
    deadlines: list[DeadlineOut]


class CasePage(Out):
    count: int
    items: list[CaseOut]


class RevisionOut(Out):
    number: int
    content: dict[str, Any]
    stated_date: dt.date
    created_by: Ref
    created_at: dt.datetime
    updated_at: dt.datetime


class EventOut(Out):
    id: int
    code: str
    actor: Ref
    actor_role: str
    at: dt.datetime
    from_state: str
    to_state: str
    revision: int
    reason: str
    data: dict[str, Any]


class ApprovalOut(Out):
    kind: str
    by: Ref | None
    at: dt.datetime | None


class DecisionOut(Out):
    id: int
    case_id: int
    erdr_number: str
    kind: str
    title: str
    rulebook_version: str
    state: str
    subject: ParticipantOut | None
    revision: int
    content: dict[str, Any]
    stated_date: dt.date
    drafted_by: Ref
    drafted_by_role: str
    drafted_at: dt.datetime
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    required_approvals: list[str]
    level_required: Literal["district", "regional", "general"] | None = Field(
        None, description="The lowest prosecutor's office level that may agree it, fixed at submission; null: any"
    )
    approvals: list[ApprovalOut]
    court: Ref | None
    petitioned_at: dt.datetime | None
    closed_reason: str
    in_force_at: dt.datetime | None


class ProjectionOut(Out):
    now: dt.datetime | None = Field(description="When the term or the custody the decision extends ends now")
    then: dt.datetime = Field(description="When it would end once the decision is in force")


class DecisionDetailOut(DecisionOut):
    revisions: list[RevisionOut]
    events: list[EventOut]
    legal_effects: list[EffectOut]
    projected_end: ProjectionOut | None = Field(
        None,
        description="For an extension of the term or of custody still pending: the end it has and the end it would "
        "give, computed as its effect will compute it; null otherwise, or where its effect would be refused",
    )


class QueueItem(Out):
    id: int
    kind: str
    title: str
    state: str
    case_id: int
    erdr_number: str
    unit: Ref
    subject_name: str | None
    drafted_by: Ref
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    seconds_left: int | None
    revision: int


class QueuePage(Out):
    count: int
    items: list[QueueItem]


class SourceOut(Out):
    article: str
    note: str
    to_be_confirmed: bool


class ClockOut(Out):
    code: str
    amount: int
    unit: str
    exceptional_amount: int | None
    moves_off_non_working_days: bool
    relative_to: str | None
    source: SourceOut
    calendar_source: SourceOut | None = Field(
        description="Where the term departs from the general rule on a last day that is not a working day"
    )


class ChoiceOut(Out):
    code: str
    title: dict[str, str]
    source: SourceOut


class FieldOut(Out):
    name: str
    kind: str
    title: dict[str, str]
    required: bool
    choices: list[ChoiceOut]
    minimum: int | None
    maximum: int | None


class ApprovalRuleOut(Out):
    kind: str
    when: str
    source: SourceOut


class DecisionTypeOut(Out):
    code: str
    title: dict[str, str]
    source: SourceOut
    drafted_by: list[str]
    approvals: list[ApprovalRuleOut]
    review_clock: str | None
    effects: list[str]
    subject: str
    subject_roles: list[str]
    fields: list[FieldOut]
    may_be_returned: bool
    one_pending_at_a_time: bool = Field(
        description="Only one decision of this type per person (or per case) may await its approvals at a time"
    )
    case_statuses: list[str] = Field(
        description="The case statuses in which a decision of this type may be drafted and take effect"
    )


class RulebookOut(Out):
    country: str
    version: str
    effective_from: dt.date
    effective_from_source: SourceOut
    terms_source: SourceOut | None = Field(description="How terms are computed (units, non-working days)")
    in_force: bool
    clocks: list[ClockOut]
    decision_types: list[DecisionTypeOut]
    to_be_confirmed_count: int


class AccessLogEntryOut(Out):
    id: int
    at: dt.datetime
    user_id: int | None
    username: str
    role: str
    organisation_id: int | None
    ip: str | None
    operation: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    outcome: str
    justification: str
    recipient: str
    request_id: str
    detail: dict[str, Any]


class AccessLogPage(Out):
    count: int
    items: list[AccessLogEntryOut]


class RoleOut(Out):
    role: str
    organisation: Ref | None


class MeOut(Out):
    id: int
    username: str
    full_name: str
    roles: list[RoleOut]


class FindingOut(Out):
    id: int
    rule: str
    title: str
    article: str
    severity: str
    status: str
    case_id: int | None
    erdr_number: str | None
    decision_id: int | None
    participant_id: int | None
    office_id: int | None
    escalated_to_id: int | None
    occurred_at: dt.datetime
    detected_at: dt.datetime
    escalated_at: dt.datetime | None
    facts: dict[str, Any]
    explanation: str
    remedy: str
    response: str
    note: str
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None


class FindingList(Out):
    count: int
    items: list[FindingOut]
