"""Transactions of the services, and the all-or-nothing transaction of an API request around them.

Every domain verb runs in its own atomic block. Called inside another (a test, a batch), that block
is a savepoint, so that the caller may catch the verb's error and go on. Inside an API request the
whole request is one transaction that any error rolls back entirely (`all_or_nothing`); a savepoint
there would only cost two more round trips per write, so the verbs take none.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.db import transaction

_SAVEPOINTS: ContextVar[bool] = ContextVar("service_savepoints", default=True)

Params = ParamSpec("Params")
Result = TypeVar("Result")


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """One transaction in which any error rolls everything back: the services inside take no savepoint.

    Whoever opens it must let every error leave the block (never catch one inside and go on).
    """
    with transaction.atomic():
        token = _SAVEPOINTS.set(False)
        try:
            yield
        finally:
            _SAVEPOINTS.reset(token)


@contextmanager
def service_block() -> Iterator[None]:
    """The atomic block of one domain verb (see the module's docstring)."""
    with transaction.atomic(savepoint=_SAVEPOINTS.get()):
        yield


def service_transaction(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Run the verb in its `service_block`."""

    @functools.wraps(function)
    def run(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        with service_block():
            return function(*args, **kwargs)

    return run
