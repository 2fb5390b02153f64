import os

from django.core.wsgi import get_wsgi_application

from dcplan.settings_errors import GUNICORN_WORKER_BOOT_ERROR, exit_on_settings_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")

# Under gunicorn without its config file (gunicorn.conf.py checks the settings
# in the master), this status still stops the server rather than respawning.
with exit_on_settings_error(status=GUNICORN_WORKER_BOOT_ERROR):
    application = get_wsgi_application()
