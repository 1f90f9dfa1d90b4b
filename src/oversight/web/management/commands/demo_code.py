"""`manage.py demo_code USERNAME`: print the current second-factor code of a demo account."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current six-digit code of USERNAME's authenticator (demo deployments only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_code is refused in production")
        device = TOTPDevice.objects.filter(user__username=options["username"], confirmed=True).first()
        if device is None:
            raise CommandError(f"{options['username']!r} has no authenticator")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
