"""`manage.py revoke_tokens USERNAME`: revoke every live API token of a user."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.models import User
from oversight.accounts.services import revoke_tokens


class Command(BaseCommand):
    help = "Revoke every live API bearer token of USERNAME."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        self.stdout.write(f"{revoke_tokens(user)} token(s) revoked")
