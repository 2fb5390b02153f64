import os

from django.core.wsgi import get_wsgi_application

from dcplan.settings_errors import exit_on_settings_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")

with exit_on_settings_error():
    application = get_wsgi_application()
