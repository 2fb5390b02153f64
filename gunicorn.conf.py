"""gunicorn's settings for dcplan, read by any gunicorn started in the checkout
(`make serve`, or `gunicorn` run directly from /srv/dcplan).

Command-line options (--bind, --workers …) still take precedence."""

import os

wsgi_app = "dcplan.wsgi:application"
timeout = 120
# gunicorn's own limit (8,190 bytes) would answer a bare 414 to a long review
# cover (a GET form); 0 lifts it to gunicorn's hard 1 MB, and dcplan.middleware
# bounds the address (1,000-character path, 48,000-character query) with a 400
# that says why.
limit_request_line = 0


def on_starting(server) -> None:
    """Read the settings once in the master, before any worker starts: a bad
    variable stops gunicorn with its one-line message and exit status 2,
    instead of workers failing to boot and being respawned forever."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    from django.conf import settings

    from dcplan.settings_errors import exit_on_settings_error

    with exit_on_settings_error():
        settings.INSTALLED_APPS  # noqa: B018 - reading one setting imports them all
