"""Small query helpers with no domain knowledge."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

Row = TypeVar("Row", bound=models.Model)


def one_or_none(rows: models.QuerySet[Row]) -> Row | None:
    """The row a unique filter finds, or None: like .first() without its ORDER BY (cheaper to plan)."""
    return next(iter(rows.order_by()[:1]), None)
