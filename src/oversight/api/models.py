"""Idempotency keys: a replayed request returns the first answer and changes nothing."""

from __future__ import annotations

from django.db import models

from oversight.accounts.models import User


class IdempotencyRecord(models.Model):
    """Written in the same transaction as the change it answers for; a failed request leaves none."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)  # filled before the transaction commits
    # The first answer's JSON as it was sent, so that a replay sends the very same bytes.
    response = models.TextField(default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]
        # The purge (api.idempotency.purge) finds the expired keys by their time. Rows arrive in time
        # order, so each keyed write adds at the index's right edge, its cheapest insertion. (A block
        # range index would cost less still, but its ranges never narrow once purged pages are reused.)
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_at")]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
