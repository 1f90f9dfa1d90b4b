"""`manage.py seed_demo`: create the Astana demo (harmless to run twice) and print its accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oversight.register.models import Case
from oversight.web.demo import ACCOUNTS, demo_secret, seed


class Command(BaseCommand):
    help = "Create the demo organisations, accounts and about fifty cases, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site", default="http://127.0.0.1:8000", help="where the demo is served, for the addresses printed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = str(options["site"]).rstrip("/")
        created, _ = seed()
        if created:
            self.stdout.write(f"Demo created: {Case.objects.count()} cases.")
        else:
            self.stdout.write(f"Demo already present ({Case.objects.count()} cases); nothing changed.")
        self.stdout.write(f"\nDemo accounts (sign in at {site}/sign-in/):\n")
        self.stdout.write(f"  {'username':<9} {'password':<22} {'authenticator key (TOTP)':<34} role")
        for account in ACCOUNTS:
            where = f" at {account.organisation_code}" if account.organisation_code else ""
            where += f" ({account.post.name.replace('_', ' ').lower()})" if account.post else ""
            self.stdout.write(
                f"  {account.username:<9} {account.password:<22} {demo_secret(account):<34} {account.role.value}{where}"
            )
        self.stdout.write(
            "\nThe second factor: add the key to an authenticator app, or print the current code with\n"
            "  .venv/bin/python manage.py demo_code bolat"
        )
        self.stdout.write(
            "\nAPI: create a bearer token with `.venv/bin/python manage.py issue_token bolat`, then\n"
            f"  curl -H 'Authorization: Bearer <token>' {site}/api/queue\n"
            f"The API's interactive documentation is at {site}/api/docs\n"
        )
