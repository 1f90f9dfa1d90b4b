"""`manage.py issue_token USERNAME`: print a new API bearer token for a user."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.models import User
from oversight.accounts.services import issue_token


class Command(BaseCommand):
    help = "Issue an API bearer token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="lifetime in days (default from settings)")
        parser.add_argument("--label", default="issued from the command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        lifetime = dt.timedelta(days=days) if days else None
        self.stdout.write(issue_token(user, label=options["label"], lifetime=lifetime))
