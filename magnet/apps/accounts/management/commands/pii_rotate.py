"""`python -m magnet pii rotate`: re-encrypt identity numbers and phones under the current key.

After a new key is put first in MAGNET_FIELD_KEYS (the old one kept after it), this rewrites every
ciphertext still under an older key id; when it reports nothing left, the old key can be retired."""

from django.core.management.base import BaseCommand

from magnet.apps.accounts.services import pii_rotate


class Command(BaseCommand):
    help = "Re-encrypt personal numbers still under an older field-encryption key."

    def handle(self, *args, **options):
        report = pii_rotate()
        self.stdout.write(f"re-encrypted {report['rewritten']} value(s); {report['remaining']} left under old keys")
