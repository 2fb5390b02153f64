"""Turn a bad environment variable into one line on stderr, not a traceback."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured


class SettingsError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


@contextmanager
def exit_on_settings_error() -> Iterator[None]:
    try:
        yield
    except SettingsError as exc:
        sys.stderr.write(f"dcplan: configuration error: {exc}\n")
        sys.exit(2)
