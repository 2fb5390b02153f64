from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportPreview(models.Model):
    """A checked import file waiting for its confirmation (see spreadsheets.previews).

    In the database so that every application host sees it; it expires on
    its own (spreadsheets.previews.PREVIEW_MAX_AGE) and is deleted when confirmed."""

    token = models.CharField(_("token"), max_length=64)
    kind = models.CharField(_("kind of import"), max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.TextField(_("content"))  # JSON text: jsonb would refuse a NUL in a cell
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("import preview")
        constraints = [models.UniqueConstraint(fields=["token"], name="import_preview_token_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.token}"
