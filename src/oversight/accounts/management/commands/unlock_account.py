"""`manage.py unlock_account USERNAME`: lift a lockout after repeated failed sign-ins (logged)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.security import unlock_account
from oversight.kit.errors import NotFound


class Command(BaseCommand):
    help = "Unlock USERNAME after repeated failed sign-ins; the unlock is written to the access log."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = unlock_account(options["username"], actor=None)
        except NotFound as error:
            raise CommandError(error.detail) from None
        self.stdout.write(f"{user.username} unlocked")
