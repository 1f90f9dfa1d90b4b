"""The register: cases under their ERDR numbers, their articles, participants and case events."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.accounts.access import Jurisdiction, jurisdiction_of
from oversight.accounts.models import Organisation, User
from oversight.register.queries import case_filter


class CaseForm(models.TextChoices):
    PRE_TRIAL_INVESTIGATION = "pre_trial_investigation", _("Pre-trial investigation")
    INQUIRY = "inquiry", _("Inquiry")
    EXPEDITED = "expedited", _("Expedited pre-trial investigation")
    PROTOCOL_FORM = "protocol_form", _("Protocol form")


class CaseStatus(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    INTERRUPTED = "interrupted", _("Terms interrupted")
    COMPLETED = "completed", _("Investigation completed")
    TERMINATED = "terminated", _("Terminated")
    SENT_TO_COURT = "sent_to_court", _("Sent to court")


# Still before the investigating judge's or the trial court's eyes: the persons assigned act in them.
OPEN_STATUSES = (CaseStatus.UNDER_INVESTIGATION, CaseStatus.INTERRUPTED, CaseStatus.COMPLETED)


class ParticipantRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    ACCUSED = "accused", _("Accused")
    WITNESS_WITH_RIGHT_TO_DEFENCE = "witness_with_right_to_defence", _("Witness with the right to defence")
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    DEFENDER = "defender", _("Defender")
    CIVIL_PLAINTIFF = "civil_plaintiff", _("Civil plaintiff")
    CIVIL_DEFENDANT = "civil_defendant", _("Civil defendant")
    REPRESENTATIVE = "representative", _("Representative")


# A person becomes suspect or accused only through a decision in force (CPC arts. 64-65, 202).
ROLES_BY_DECISION_ONLY = frozenset({ParticipantRole.SUSPECT, ParticipantRole.ACCUSED})


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User | None) -> CaseQuerySet:
        """The visibility function for cases: role and jurisdiction as a database filter."""
        return self.within(jurisdiction_of(user))

    def within(self, jurisdiction: Jurisdiction) -> CaseQuerySet:
        """The same filter for a jurisdiction already read in this transaction."""
        return self.filter(case_filter(jurisdiction))


class Case(models.Model):
    erdr_number = models.CharField(max_length=15, unique=True)
    reported_at = models.DateTimeField(help_text="When the report reached the book of accounting of information.")
    registered_at = models.DateTimeField()
    form = models.CharField(max_length=32, choices=CaseForm.choices)
    summary = models.TextField(blank=True, default="")
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # `unit` and `supervising_office` lead composite indexes (Meta); `created_by` is never looked up by.
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases", db_index=False)
    investigator = models.ForeignKey(User, on_delete=models.PROTECT, related_name="investigated_cases")
    supervising_office = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="supervised_cases", db_index=False
    )
    procedural_prosecutor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="supervised_cases"
    )
    status = models.CharField(max_length=32, choices=CaseStatus.choices, default=CaseStatus.UNDER_INVESTIGATION)
    rulebook_version = models.CharField(max_length=32)
    term_started_at = models.DateTimeField()
    term_total_months = models.PositiveSmallIntegerField(null=True, blank=True)
    term_ends_at = models.DateTimeField(null=True, blank=True)
    interrupted_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    termination_rehabilitating = models.BooleanField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    sent_to_court_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", db_index=False)
    updated_at = models.DateTimeField(auto_now=True)
    last_act_at = models.DateTimeField(help_text="When the last act on the case or its decisions was recorded.")

    objects: ClassVar[CaseQuerySet] = CaseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(erdr_number__regex=r"^[0-9]{15}$"), name="erdr_number_15_digits"),
            models.CheckConstraint(
                condition=Q(reported_at__lte=models.F("registered_at")),
                name="case_reported_before_registered",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.TERMINATED)
                | (Q(terminated_at__isnull=False) & Q(termination_rehabilitating__isnull=False)),
                name="terminated_case_has_time_and_ground",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.INTERRUPTED) | Q(interrupted_at__isnull=False),
                name="interrupted_case_has_time",
            ),
        ]
        # No index names `last_act_at`: every act on a case or its decisions sets it, and an update that
        # changes no indexed column is a heap-only (HOT) update, written to the row's page without a new
        # entry in each of the case's indexes; migration 0005 leaves pages room for it. The idle-case
        # rule, which that index served, needs none (0.011 s of the sweep of 100,000 cases).
        indexes = [
            models.Index(fields=["supervising_office", "status"], name="case_office_status"),
            models.Index(fields=["unit", "investigator"], name="case_unit_investigator"),
            models.Index(fields=["status", "term_ends_at"], name="case_status_term_end"),
        ]

    def __str__(self) -> str:
        return self.erdr_number


class CaseArticle(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="articles")
    article = models.CharField(max_length=8)
    part = models.PositiveSmallIntegerField(null=True, blank=True)
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="case_article_position_unique"),
            models.CheckConstraint(
                condition=Q(article__regex=r"^[1-9][0-9]{1,2}(-[1-9][0-9]?)?$"),
                name="case_article_format",
            ),
        ]

    def __str__(self) -> str:
        text = f"art. {self.article}"
        if self.part:
            text += f" p. {self.part}"
        if self.paragraph:
            text += f" para. {self.paragraph}"
        return text


class Participant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="participants")
    role = models.CharField(max_length=40, choices=ParticipantRole.choices)
    last_name = models.CharField(max_length=150)
    first_name = models.CharField(max_length=150)
    patronymic = models.CharField(max_length=150, blank=True, default="")
    # NULL, not "", for a foreign national without one, so the per-case uniqueness skips them.
    iin = models.CharField(max_length=12, null=True, blank=True)  # noqa: DJ001
    foreign_national = models.BooleanField(default=False)
    citizenship = models.CharField(max_length=2, default="KZ")  # ISO 3166-1 alpha-2
    birth_date = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    special_subject = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="Category of special subject (CPC art. 547), e.g. member_of_parliament or judge; blank if none.",
    )
    qualification = models.JSONField(default=list, blank=True)
    suspect_since = models.DateTimeField(null=True, blank=True)
    accused_since = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iin__isnull=True) | Q(iin__regex=r"^[0-9]{12}$"),
                name="participant_iin_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(foreign_national=True) | Q(iin__isnull=False),
                name="citizen_participant_has_iin",
            ),
            models.CheckConstraint(
                condition=~Q(role="suspect") | Q(suspect_since__isnull=False),
                name="suspect_has_decision_time",
            ),
            models.CheckConstraint(
                condition=~Q(role="accused") | Q(accused_since__isnull=False),
                name="accused_has_decision_time",
            ),
            models.UniqueConstraint(
                fields=["case", "iin", "role"],
                condition=Q(iin__isnull=False),
                name="participant_iin_role_unique_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name()} ({self.role})"

    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def is_special_subject(self) -> bool:
        return bool(self.special_subject)


class CaseEvent(models.Model):
    """Append-only history of the case itself: registration, participants, reassignments."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    code = models.CharField(max_length=64)  # namespaced, e.g. "case.registered"
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.code} on {self.case_id}"


class ErdrSequence(models.Model):
    """The last number given per registering unit and year; rows are locked while numbering."""

    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="erdr_sequence_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_value}"


class CourtReferral(models.Model):
    """The case material went to a court with a petition: the court's judges may read the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="court_referrals")
    court = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decision_id = models.BigIntegerField()  # the petition; a plain id keeps register free of decisions
    referred_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["decision_id", "court"], name="court_referral_unique")]
        indexes = [models.Index(fields=["court", "case"], name="court_referral_court_case")]

    def __str__(self) -> str:
        return f"case {self.case_id} to court {self.court_id}"


class ParticipantPetition(models.Model):
    """A participant's petition (CPC art. 99): decided at once or within three days."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="petitions")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="petitions")
    request = models.TextField()
    filed_at = models.DateTimeField()
    due_at = models.DateTimeField()
    rulebook_version = models.CharField(max_length=32)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted = models.BooleanField(null=True, blank=True)
    answer = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "filed_at"]
        indexes = [models.Index(fields=["due_at"], name="petition_undecided_due", condition=Q(decided_at__isnull=True))]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(granted__isnull=False), name="decided_petition_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"petition {self.pk} in case {self.case_id}"
