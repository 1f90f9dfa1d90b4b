"""Idempotency keys: a replayed request returns the first answer and changes nothing."""

from __future__ import annotations

from django.contrib.postgres.indexes import BrinIndex
from django.db import models

from oversight.accounts.models import User


class IdempotencyRecord(models.Model):
    """Written in the same transaction as the change it answers for; a failed request leaves none."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    operation = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)  # filled before the transaction commits
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]
        # Rows arrive in time order: a block range index finds the expired ones (api.idempotency.purge)
        # for a fraction of a B-tree's upkeep on every keyed write.
        indexes = [BrinIndex(fields=["created_at"], name="idempotency_created_brin")]

    def __str__(self) -> str:
        return f"{self.operation} {self.key}"
