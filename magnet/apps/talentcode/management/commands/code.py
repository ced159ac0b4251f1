"""`python -m magnet code verify|keys|rotate …`: the talent-code command line.

`verify` and `keys` are `magnet.core.talentcode.cli` with the platform's published keys and current
revocation list as defaults (files given with --keys work offline too); `rotate` starts a new signing key."""

import argparse

from django.core.management.base import BaseCommand

from magnet.apps.talentcode import services
from magnet.core.talentcode import cli


class Command(BaseCommand):
    help = "verify CODE | keys | rotate — see `python -m magnet code verify --help`."

    def add_arguments(self, parser):
        # Everything goes to the core CLI unchanged (its own parser, help texts and exit codes).
        parser.add_argument("arguments", nargs=argparse.REMAINDER)

    def handle(self, *args, arguments, **options):
        if arguments[:1] == ["rotate"]:
            kid = services.signing_key_rotate()
            self.stdout.write(f"now signing with key {kid}; the previous key stays published until retired")
            return
        status = cli.main(arguments, default_keys=services.published_keyset,
                          default_revocations=services.revocation_list)
        raise SystemExit(status)
