"""`manage.py disable_account USERNAME`: the account can no longer sign in or use its tokens (logged)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from oversight.accounts.management.commands._grants import account
from oversight.accounts.security import disable_account


class Command(BaseCommand):
    help = "Disable USERNAME: sign-in and API tokens stop working and every session ends at once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = account(options["username"])
        disable_account(user, actor=None)
        self.stdout.write(f"{user.username} disabled")
