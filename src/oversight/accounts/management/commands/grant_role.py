"""`manage.py grant_role USERNAME ROLE [--organisation CODE] [--post POST]`: grant a role (logged)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.management.commands._grants import account, grants_of, organisation
from oversight.accounts.security import assign_role
from oversight.kit.errors import Invalid
from oversight.law.roles import Post, Role

_POSTS = {"none": Post.NONE, **{post.value: post for post in Post if post is not Post.NONE}}


class Command(BaseCommand):
    help = (
        "Grant ROLE to USERNAME in the organisation with the code --organisation (none for administrator, "
        "analyst and auditor). --post names the post of a senior prosecutor of the General Prosecutor's "
        "Office whose consent special subjects need (none takes it away); granting a role the user holds "
        "changes only the post. The user's roles are printed afterwards."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[role.value for role in Role])
        parser.add_argument("--organisation", default=None, help="the organisation's code, e.g. astana-esil")
        parser.add_argument("--post", default=None, choices=list(_POSTS))

    def handle(self, *args: Any, **options: Any) -> None:
        user = account(options["username"])
        post = _POSTS[options["post"]] if options["post"] is not None else None
        try:
            _, action = assign_role(
                user, Role(options["role"]), organisation(options["organisation"]), post=post, actor=None
            )
        except Invalid as error:
            raise CommandError(error.detail) from None
        outcome = {"role_granted": "granted", "role_post_changed": "post changed", None: "unchanged"}[action]
        self.stdout.write("\n".join([f"{user.username}: {outcome}", *grants_of(user)]))
