from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RendersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "renders"
    verbose_name = _("Review renders")
