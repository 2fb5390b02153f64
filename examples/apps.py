from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamplesConfig(AppConfig):
    name = "examples"
    verbose_name = _("Progress examples")
    default_auto_field = "django.db.models.BigAutoField"
