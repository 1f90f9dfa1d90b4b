"""`manage.py create_user USERNAME --last-name … --first-name …`: open an account (logged)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.security import create_account
from oversight.kit.errors import Invalid


class Command(BaseCommand):
    help = (
        "Create an account with no role and print its first password (shown only once). The second "
        "factor is enrolled at the first sign-in; grant roles with grant_role."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--patronymic", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--language", default="", choices=["", *(code for code, _ in settings.LANGUAGES)], help="kk, ru or en"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, password = create_account(
                options["username"],
                last_name=options["last_name"],
                first_name=options["first_name"],
                patronymic=options["patronymic"],
                email=options["email"],
                language=options["language"],
                actor=None,
            )
        except Invalid as error:
            raise CommandError(error.detail) from None
        self.stdout.write(f"{user.username} created; first password (shown only once): {password}")
