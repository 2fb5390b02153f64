from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Cross-cutting operations: backup and restore, the audit log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from . import audit  # noqa: F401 - connects the sign-in log receivers
