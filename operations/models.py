"""Bookkeeping the operations need: one-time claims and deferred file deletions.

Neither is site data: both are left out of backups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeClaim(models.Model):
    """A one-time thing that has been acted on: an import preview confirmed,
    a form submitted. The unique key is the lock (see dcplan.once)."""

    key = models.CharField(_("key"), max_length=120)
    claimed_at = models.DateTimeField(_("claimed at"), db_index=True)

    class Meta:
        verbose_name = _("one-time claim")
        constraints = [models.UniqueConstraint(fields=["key"], name="one_time_claim_key_unique")]

    def __str__(self) -> str:
        return self.key


class PendingFileDeletion(models.Model):
    """A stored file whose row is gone, deleted only after a grace period so that
    a backup that started before the row went can still copy it."""

    name = models.CharField(_("storage name"), max_length=255)
    due_at = models.DateTimeField(_("delete after"), db_index=True)

    class Meta:
        verbose_name = _("pending file deletion")

    def __str__(self) -> str:
        return self.name
