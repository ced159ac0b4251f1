"""The command line: `python -m magnet <group> <verb> …` (e.g. `feeds load DIR`, `demo build`).

A group and verb name the Django management command `<group>_<verb>`; anything else is passed to
Django as it is (`python -m magnet migrate`, `python -m magnet runserver`)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magnet.config.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    if len(argv) >= 3 and not argv[1].startswith("-") and f"{argv[1]}_{argv[2]}" in get_commands():
        argv = [argv[0], f"{argv[1]}_{argv[2]}", *argv[3:]]
    argv[0] = "python -m magnet"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
