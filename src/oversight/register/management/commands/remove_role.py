"""`manage.py remove_role USERNAME ROLE [--organisation CODE]`: take a role away (logged).

It lives in the register, not in accounts beside `grant_role`, because it counts the register's open
cases still assigned to the person, and accounts sits below the register (docs/architecture.md).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.management.commands._grants import account, grants_of, organisation
from oversight.accounts.models import RoleGrant
from oversight.accounts.security import remove_role
from oversight.law.roles import Role
from oversight.register.queries import open_cases_assigned


class Command(BaseCommand):
    help = (
        "Remove ROLE in the organisation --organisation from USERNAME; every session of the user ends. "
        "Cases still assigned to the user are counted: a supervisor reassigns them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[role.value for role in Role])
        parser.add_argument("--organisation", default=None, help="the organisation's code")

    def handle(self, *args: Any, **options: Any) -> None:
        user = account(options["username"])
        grant = RoleGrant.objects.filter(
            user=user, role=options["role"], organisation=organisation(options["organisation"])
        ).first()
        if grant is None:
            raise CommandError(f"{user.username} holds no such role; they hold:\n" + "\n".join(grants_of(user)))
        remove_role(grant, actor=None)
        lines = [f"{user.username}: removed", *grants_of(user)]
        assigned = sum(open_cases_assigned(user.pk).values())
        if assigned:
            lines.append(f"{assigned} open case(s) are still assigned to {user.username}: reassign them")
        self.stdout.write("\n".join(lines))
