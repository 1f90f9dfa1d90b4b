"""What every page shows in its frame."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from oversight.law import rulebook_in_force


def frame(request: HttpRequest) -> dict[str, object]:
    return {"rulebook": rulebook_in_force(timezone.now())}
