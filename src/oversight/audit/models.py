"""The access log (EU Law Enforcement Directive art. 25; CJIS AU-3): who did what to which object,
when, from where, in which role and office, and with what outcome.

Append-only: a database trigger refuses UPDATE, DELETE and TRUNCATE, and the migration revokes
those privileges from the application's role where it is not the table's owner. Nothing secret is
ever stored here: no passwords, tokens or second-factor codes, and no request bodies.
"""

from __future__ import annotations

from django.db import models

from oversight.accounts.models import Organisation, User


class Operation(models.TextChoices):
    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"
    SIGN_IN = "sign_in", "Sign-in"
    SIGN_OUT = "sign_out", "Sign-out"
    ACCOUNT = "account", "Account or permission change"
    AUDIT_READ = "audit_read", "Reading the access log"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    DENIED = "denied", "Denied"
    NOT_FOUND = "not_found", "Not found or out of reach"
    INVALID = "invalid", "Invalid input"
    CONFLICT = "conflict", "Conflict"
    FAILED = "failed", "Failed"


class AccessLogEntry(models.Model):
    at = models.DateTimeField()  # UTC, microseconds
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150, blank=True, default="")  # as typed, for failed sign-ins
    role = models.CharField(max_length=32, blank=True, default="")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    operation = models.CharField(max_length=16, choices=Operation.choices)
    action = models.CharField(max_length=64)  # the operation id or page name, e.g. "agree_decision"
    object_type = models.CharField(max_length=32, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    object_label = models.CharField(max_length=64, blank=True, default="")  # e.g. the ERDR number
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    justification = models.TextField(blank=True, default="")
    recipient = models.CharField(max_length=300, blank=True, default="")
    request_id = models.CharField(max_length=64, blank=True, default="")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="access_log_user_at"),
            models.Index(fields=["object_type", "object_id"], name="access_log_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(operation=Operation.DISCLOSURE) | ~models.Q(recipient=""),
                name="disclosure_names_its_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.operation} {self.object_type}:{self.object_id}"


class Alert(models.Model):
    """A notice to a person who must know at once: a break-glass read of a case, a locked account."""

    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=32)  # e.g. "break_glass"
    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="alerts")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
