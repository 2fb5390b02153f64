from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Responsibilities, milestones and reporting rounds")
    default_auto_field = "django.db.models.BigAutoField"
