"""gunicorn's settings for dcplan, read by any gunicorn started in the checkout
(`make serve`, or `gunicorn` run directly from /srv/dcplan).

Command-line options (--bind, --workers …) still take precedence."""

import os

wsgi_app = "dcplan.wsgi:application"
timeout = 120
# Room for the longest address dcplan accepts (dcplan.middleware: a 1,000-character
# path and a 6,000-character query): longer ones get dcplan's 400 with a reason,
# not gunicorn's bare 414.
limit_request_line = 8190


def on_starting(server) -> None:
    """Read the settings once in the master, before any worker starts: a bad
    variable stops gunicorn with its one-line message and exit status 2,
    instead of workers failing to boot and being respawned forever."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    from django.conf import settings

    from dcplan.settings_errors import exit_on_settings_error

    with exit_on_settings_error():
        settings.INSTALLED_APPS  # noqa: B018 - reading one setting imports them all
