#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    from django.core.management import execute_from_command_line

    from dcplan.settings_errors import exit_on_settings_error

    with exit_on_settings_error():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
