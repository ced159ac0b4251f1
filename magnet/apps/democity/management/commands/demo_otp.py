"""`python -m magnet demo otp USERNAME`: the current TOTP code of a demo account (demo only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account's authenticator (refused in production)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if settings.PRODUCTION:
            raise CommandError("demo codes are not available in production")
        device = TOTPDevice.objects.filter(user__username=username, name="demo", confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0)
        self.stdout.write(f"{code:0{device.digits}d}  (valid for {device.step - int(time.time()) % device.step} s)")
