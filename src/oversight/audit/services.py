"""Writing the access log.

`record` writes inside the caller's transaction, so a change and its log row commit or fail
together. `record_refusal` writes after the caller's transaction rolled back (a denied or invalid
request changed nothing, but the attempt itself is logged), in a transaction of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import User
from oversight.audit.models import AccessLogEntry, Operation, Outcome
from oversight.kit import rows

MAX_TEXT = 2_000


@dataclass(frozen=True)
class Who:
    """The actor of a logged act: the user (or the name typed), roles, office, address, request."""

    user: User | None
    username: str
    role: str
    organisation_id: int | None
    ip: str | None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR: behind a proxy, the proxy must set it (gunicorn's forwarded_allow_ips)."""
    address = request.META.get("REMOTE_ADDR") or None
    return str(address) if address else None


def who(request: HttpRequest | None, user: User | None = None, *, username: str = "") -> Who:
    if user is None and request is not None and isinstance(getattr(request, "user", None), User):
        candidate = request.user
        user = candidate if isinstance(candidate, User) and candidate.is_authenticated else None
    grants = jurisdiction_of(user).grants if user is not None else ()
    request_id = getattr(request, "request_id", None) if request is not None else None
    return Who(
        user=user,
        username=user.username if user is not None else username[:150],
        role=",".join(sorted({grant.role.value for grant in grants})),
        organisation_id=next((grant.organisation_id for grant in grants if grant.organisation_id), None),
        ip=client_ip(request) if request is not None else None,
        request_id=request_id or uuid.uuid4().hex,
    )


def record(
    actor: Who,
    *,
    operation: Operation,
    action: str,
    outcome: Outcome = Outcome.SUCCESS,
    object_type: str = "",
    object_id: object = "",
    object_label: str = "",
    justification: str = "",
    recipient: str = "",
    detail: dict[str, Any] | None = None,
    riders: Sequence[rows.Rider] = (),
) -> AccessLogEntry:
    """Write the access-log row; `riders` (writes of the same request that need no answer) go with it."""
    entry = AccessLogEntry(
        at=timezone.now(),
        user=actor.user,
        username=actor.username,
        role=actor.role,
        organisation_id=actor.organisation_id,
        ip=actor.ip,
        operation=operation,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_label=object_label[:64],
        outcome=outcome,
        justification=justification[:MAX_TEXT],
        recipient=recipient[:300],
        request_id=actor.request_id,
        detail=detail or {},
    )
    rows.insert(entry, riders=riders)  # every API operation writes one: a statement written once
    return entry


def record_refusal(actor: Who, **fields: Any) -> AccessLogEntry:
    """Log in a transaction of its own: a refused attempt after its rollback, or a step with no change."""
    with transaction.atomic():
        return record(actor, **fields)
