"""Status tracking: the append-only history of status updates, and who works where."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    ACHIEVED = "achieved", _("Achieved")
    DISCONTINUED = "discontinued", _("Discontinued")

    @property
    def rank(self) -> int:
        """How far along a status is: a lower rank than before is a step backwards."""
        return {
            Status.NOT_STARTED: 0,
            Status.ON_TRACK: 1,
            Status.AT_RISK: 1,
            Status.DELAYED: 1,
            Status.ACHIEVED: 2,
            Status.DISCONTINUED: 2,
        }[self]

    @property
    def needs_explanation(self) -> bool:
        return self in (Status.AT_RISK, Status.DELAYED, Status.DISCONTINUED)

    @property
    def is_achieved(self) -> bool:
        return self == Status.ACHIEVED

    @property
    def is_closed(self) -> bool:
        return self in (Status.ACHIEVED, Status.DISCONTINUED)


class StatusUpdate(models.Model):
    """One statement of a deliverable's status, as of a date. Never edited:
    a correction is a new update."""

    deliverable = models.ForeignKey(
        "deliverables.Deliverable",
        on_delete=models.PROTECT,
        related_name="updates",
        verbose_name=_("deliverable"),
    )
    version = models.PositiveIntegerField(
        _("version"), help_text=_("The deliverable's version this update created (1, 2, 3 …).")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    progress_value = models.PositiveIntegerField(_("progress"), null=True, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="status_updates",
        verbose_name=_("author"),
    )
    as_of = models.DateField(_("as of"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-as_of", "-recorded_at", "-version"]
        get_latest_by = ["as_of", "recorded_at", "version"]
        constraints = [
            # Two writers who saw the same version can never both succeed.
            models.UniqueConstraint(fields=["deliverable", "version"], name="status_update_unique_version"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="status_update_known_status"),
            models.CheckConstraint(condition=Q(version__gte=1), name="status_update_version_positive"),
        ]
        indexes = [
            models.Index(fields=["deliverable", "as_of"], name="status_update_as_of"),
            # The dashboard's latest updates.
            models.Index(fields=["-recorded_at", "-id"], name="status_update_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.deliverable_id} v{self.version}: {self.get_status_display()} ({self.as_of})"

    @property
    def status_choice(self) -> Status:
        return Status(self.status)


class Profile(models.Model):
    """Where a user works: a headquarters department or a field office."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    office = models.ForeignKey(
        "deliverables.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("office"),
    )
    # The language of the e-mails the user receives; kept when they pick one in the
    # chooser. Blank: the site's default (settings.LANGUAGE_CODE).
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} – {self.office or '—'}"
