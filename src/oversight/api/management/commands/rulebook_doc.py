"""`manage.py rulebook_doc`: print docs/rulebook.md from the rulebook versions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oversight.law import rulebooks
from oversight.law.document import describe


class Command(BaseCommand):
    help = "Print the rulebook as Markdown (the content of docs/rulebook.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(describe(rulebooks()), ending="")
