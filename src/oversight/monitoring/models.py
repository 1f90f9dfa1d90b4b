"""Findings of the legality monitor: one row per fact of violation, never two for the same fact."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Case as Cases
from django.db.models import IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import Organisation, User
from oversight.decisions.models import Decision
from oversight.law.roles import Role
from oversight.law.violations import Severity
from oversight.register.models import Case, Participant


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")
    DISMISSED = "dismissed", _("dismissed")


class Response(models.TextChoices):
    """The prosecutor's acts of response that resolve a finding (Law on the Prosecutor's Office)."""

    INSTRUCTION = "instruction", _("Instruction to the investigator")
    CANCELLATION = "cancellation", _("Cancellation of the unlawful decision")
    SUBMISSION = "submission", _("Submission to the head of the body")
    PROTEST = "protest", _("Protest")
    RELEASE = "release", _("Release of the person")


ACTIVE = (FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED)  # still awaiting the prosecutor's answer


class FindingQuerySet(models.QuerySet["Finding"]):
    def gravest_first(self) -> FindingQuerySet:
        """Critical, then high, then medium (the rulebook's order of severities); the latest first within each."""
        gravity = Cases(
            *[When(severity=severity.value, then=Value(rank)) for rank, severity in enumerate(Severity)],
            default=Value(len(Severity)),
            output_field=IntegerField(),
        )
        return self.annotate(gravity=gravity).order_by("gravity", "-occurred_at", "-pk")

    def visible_to(self, user: User | None) -> FindingQuerySet:
        """Findings for the offices the user supervises as a prosecutor, or that were escalated to them."""
        jurisdiction = jurisdiction_of(user)
        offices = jurisdiction.organisations(Role.PROSECUTOR)
        reach = Q(office_id__in=offices) | Q(escalated_to_id__in=offices)
        for path in jurisdiction.senior_paths():
            reach |= Q(office__path__startswith=path) | Q(escalated_to__path__startswith=path)
        if not offices and not jurisdiction.senior_paths():
            reach = Q(pk__in=[])
        return self.filter(reach)


class Finding(models.Model):
    rule = models.CharField(max_length=48)
    key = models.CharField(max_length=120)  # identifies the fact: a second sweep finds the same key
    severity = models.CharField(max_length=16)
    rulebook_version = models.CharField(max_length=32)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="findings")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="findings")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The prosecutor's office that must act on it.",
    )
    occurred_at = models.DateTimeField(help_text="When the violation began (e.g. when the deadline ran out).")
    detected_at = models.DateTimeField()
    facts = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(max_length=16, choices=Response.choices, blank=True, default="")
    note = models.TextField(blank=True, default="")  # the act of response, or why it was dismissed
    escalated_to = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[FindingQuerySet] = FindingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key"], name="finding_once_per_fact"),
            models.CheckConstraint(
                condition=~Q(status=FindingStatus.RESOLVED) | ~Q(response=""),
                name="resolved_finding_names_its_response",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED]) | ~Q(note=""),
                name="closed_finding_says_why",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status"], name="finding_office_status"),
            models.Index(fields=["case", "status"], name="finding_case_status"),
            models.Index(fields=["detected_at"], name="finding_open_detected", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"


class SweepRun(models.Model):
    """Each full sweep of the register: when it ran, as of which instant, and what it found."""

    started_at = models.DateTimeField()
    as_of = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    found = models.JSONField(default=dict)
    seconds = models.JSONField(default=dict, help_text="How long each rule's query took, by rule.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"sweep as of {self.as_of:%Y-%m-%d %H:%M}"


class SyntheticDataset(models.Model):
    """A register filled by `manage.py generate`: its seed, its size and the instant it is judged at."""

    seed = models.BigIntegerField()
    cases = models.PositiveIntegerField()
    as_of = models.DateTimeField(help_text="The instant the generated register is evaluated at.")
    generated_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"{self.cases} cases, seed {self.seed}"


class InjectedViolation(models.Model):
    """Ground truth: a violation the generator planted on purpose, under the key its rule's detector gives."""

    dataset = models.ForeignKey(SyntheticDataset, on_delete=models.CASCADE, related_name="violations")
    rule = models.CharField(max_length=48)
    key = models.CharField(max_length=120)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "rule", "key"], name="injected_once_per_fact")]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"
