"""Turn a bad environment variable (or an unreachable database) into one line on stderr, not a traceback."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError

DATABASE_DOWN = (OperationalError, InterfaceError)


def one_line(error: BaseException) -> str:
    """The first line of an error's message (a database driver's run to several)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class SettingsError(ImproperlyConfigured):
    """A setting read from the environment is missing or malformed."""


# gunicorn stops the whole server, instead of starting another worker, when a
# worker exits with this status ("worker failed to boot").
GUNICORN_WORKER_BOOT_ERROR = 3


@contextmanager
def exit_on_settings_error(status: int = 2) -> Iterator[None]:
    """A bad setting, or a database that cannot be reached, ends the process
    with one line on stderr and `status`."""
    try:
        yield
    except SettingsError as exc:
        sys.stderr.write(f"dcplan: configuration error: {exc}\n")
        sys.exit(status)
    except DATABASE_DOWN as exc:
        sys.stderr.write(f"dcplan: the database is not reachable: {one_line(exc)}\n")
        sys.exit(1)
