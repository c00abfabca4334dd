"""The ``paraat`` command: a front for Django's management commands.

``paraat migrate``, ``paraat runserver``, ``paraat createsuperuser``, ``paraat oxcgrt indices``,
``paraat bench oxcgrt``, ``paraat demo`` ... (``paraat help`` lists them all).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:2] == ["oxcgrt", "indices"]:
        # Needs no database: run the pure core directly, without starting Django.
        from paraat_core.oxcgrt.cli import indices_main

        sys.exit(indices_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paraat.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["paraat", *args])


if __name__ == "__main__":
    main()
