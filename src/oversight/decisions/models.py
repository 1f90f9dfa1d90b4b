"""Procedural decisions, their revisions, events, deadlines and the legal effects they produce.

The central invariant is also a database constraint: a decision is in force only with every
approval its rulebook version requires (the requirement is fixed at submission).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oversight.accounts.access import Jurisdiction, jurisdiction_of
from oversight.accounts.models import Organisation, User
from oversight.decisions.queries import decision_filter, queue_filter
from oversight.decisions.states import State
from oversight.law import rulebook
from oversight.register.models import Case, Participant

STATE_NAMES = {
    State.DRAFT: _("draft"),
    State.SUBMITTED: _("awaiting the prosecutor"),
    State.RETURNED: _("returned for rework"),
    State.AWAITING_CONSENT: _("awaiting consent"),
    State.AGREED: _("agreed, to be petitioned"),
    State.PETITIONED: _("before the judge"),
    State.IN_FORCE: _("in force"),
    State.REFUSED: _("refused"),
    State.DENIED: _("sanction denied"),
    State.WITHDRAWN: _("withdrawn"),
}
STATE_CHOICES = [(state.value, STATE_NAMES[state]) for state in State]


def _differs_from_drafter(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | ~Q(**{field: F("drafted_by")})


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user: User | None) -> DecisionQuerySet:
        """The visibility function for decisions (see queries.decision_filter)."""
        return self.within(jurisdiction_of(user))

    def within(self, jurisdiction: Jurisdiction) -> DecisionQuerySet:
        """The same filter for a jurisdiction already read in this transaction."""
        return self.filter(decision_filter(jurisdiction))

    def review_queue(self, user: User | None) -> DecisionQuerySet:
        """What awaits this user's act, soonest deadline first."""
        return (
            self.filter(queue_filter(jurisdiction_of(user)))
            .select_related("case", "subject", "drafted_by", "case__unit", "case__supervising_office")
            .order_by(F("due_at").asc(nulls_last=True), "submitted_at", "pk")
        )


class Decision(models.Model):
    # Foreign keys that no query looks up by carry no index of their own (db_index=False): each index
    # is one more write on every transition. `case` and `court` lead the composite indexes below.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions", db_index=False)
    kind = models.CharField(max_length=64)  # a decision type code of the rulebook
    rulebook_version = models.CharField(max_length=32)  # fixed at submission; provisional before
    state = models.CharField(max_length=24, choices=STATE_CHOICES, default=State.DRAFT)
    subject = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    revision = models.PositiveSmallIntegerField(default=1)
    content = models.JSONField(default=dict)  # the current revision's fields
    stated_date = models.DateField(help_text="The date the decision states as its own.")
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="drafted_decisions")
    drafted_by_role = models.CharField(max_length=32)
    drafted_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    needs_agreement = models.BooleanField(default=False)
    needs_consent = models.BooleanField(default=False)
    needs_sanction = models.BooleanField(default=False)
    # The lowest prosecutor's office level that may agree, fixed at submission with the approvals (ADR 0002);
    # empty where any prosecutor supervising the case may. Senior prosecutors' queues are built from it.
    level_required = models.CharField(max_length=16, blank=True, default="", db_default="")
    due_at = models.DateTimeField(null=True, blank=True, help_text="When the step now awaited runs out.")
    agreed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    consented_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    court = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    petitioned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    petitioned_at = models.DateTimeField(null=True, blank=True)
    ruled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    ruled_at = models.DateTimeField(null=True, blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True, default="")  # the last refusal, return or denial reason
    in_force_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    objects: ClassVar[DecisionQuerySet] = DecisionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-drafted_at"]
        constraints = [
            models.CheckConstraint(
                name="in_force_only_with_every_required_approval",
                condition=~Q(state=State.IN_FORCE)
                | (
                    Q(in_force_at__isnull=False)
                    & Q(submitted_at__isnull=False)
                    & (Q(needs_agreement=False) | Q(agreed_at__isnull=False))
                    & (Q(needs_consent=False) | Q(consented_at__isnull=False))
                    & (Q(needs_sanction=False) | Q(granted_at__isnull=False))
                ),
            ),
            models.CheckConstraint(
                name="nobody_approves_their_own_draft",
                condition=_differs_from_drafter("agreed_by")
                & _differs_from_drafter("consented_by")
                & _differs_from_drafter("ruled_by"),
            ),
            models.CheckConstraint(
                name="judge_does_not_rule_on_own_petition",
                condition=Q(ruled_by__isnull=True) | ~Q(ruled_by=F("petitioned_by")),
            ),
            models.CheckConstraint(
                name="reviewed_decisions_were_submitted",
                condition=Q(state__in=[State.DRAFT, State.WITHDRAWN]) | Q(submitted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="petition_has_court",
                condition=~Q(state=State.PETITIONED) | (Q(court__isnull=False) & Q(petitioned_at__isnull=False)),
            ),
            models.CheckConstraint(name="decision_state_known", condition=Q(state__in=[s.value for s in State])),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="decision_queue"),
            models.Index(fields=["case", "state"], name="decision_case_state"),
            models.Index(
                fields=["court", "state"],
                name="decision_court_state",
                condition=Q(court__isnull=False),
            ),
            # The monitor's look-up of special subjects' detentions that await consent or were refused
            # it (detection of detention_over_limit): few rows, so the index stays small.
            models.Index(
                fields=["case"],
                name="decision_detention_consent",
                condition=Q(kind="detention", needs_consent=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    def title(self, language: str = "en") -> str:
        """The decision type's name in `language`, under the rulebook version the decision is judged by."""
        try:
            return rulebook(self.rulebook_version).decision_type(self.kind).title.get(language)
        except LookupError:
            return self.kind


class DecisionRevision(models.Model):
    """Each revision of a draft is kept; a return opens the next one."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField(default=dict)
    stated_date = models.DateField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["decision", "number"]
        constraints = [models.UniqueConstraint(fields=["decision", "number"], name="decision_revision_unique")]

    def __str__(self) -> str:
        return f"decision {self.decision_id} revision {self.number}"


class DecisionEvent(models.Model):
    """One row per action on a decision, with the state before and after. Append-only."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="events")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decision_events", db_index=False)
    code = models.CharField(max_length=64)  # namespaced: "decision.agreed"
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=32)
    actor_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField()
    from_state = models.CharField(max_length=24, blank=True, default="")
    to_state = models.CharField(max_length=24)
    revision = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["decision", "at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="decision_event_case_at"),
            # The legality monitor's look-ups (monitoring/detectors.py): the approvals a decision in
            # force must have, and the edits that readdressed a decision. Partial, so they stay small.
            models.Index(
                fields=["decision", "code"],
                name="decision_event_approvals",
                condition=Q(code__in=["decision.agreed", "decision.consented", "sanction.granted"]),
            ),
            models.Index(fields=["decision"], name="decision_event_edits", condition=Q(code="decision.edited")),
        ]

    def __str__(self) -> str:
        return f"{self.code} on decision {self.decision_id}"


class DeadlineStatus(models.TextChoices):
    """What became of a clock. An act that came after the limit closes it as late: a violation, not compliance."""

    OPEN = "open", _("Running")
    MET = "met", _("Met")
    LATE = "late", _("Closed late")
    CLEARED = "cleared", _("Cleared")


class Deadline(models.Model):
    """A clock the rulebook attached to a decision or a person, and what became of it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    clock = models.CharField(max_length=64)
    rulebook_version = models.CharField(max_length=32)
    exceptional = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("started_at")) | Q(clock="custody_extension_petition"),
                name="deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status=DeadlineStatus.OPEN) | Q(closed_at__isnull=False),
                name="closed_deadline_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"{self.clock} due {self.due_at:%Y-%m-%d %H:%M}"


class LegalEffect(models.Model):
    """What a decision in force changed: a status of a person, a measure, the case's terms."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_effects")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="legal_effects")
    kind = models.CharField(max_length=48)  # an Effect of the rulebook
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_effects"
    )
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["case", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} from decision {self.decision_id}"
