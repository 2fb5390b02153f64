"""Renders of the review made in the background, kept by what they depend on."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewRender(models.Model):
    """One PDF of the review for one key: plan, cut-off, language, cover values,
    template and code version, and a fingerprint of the data read. The same
    key is never rendered twice; changed data make a new key."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

        @property
        def is_ready(self) -> bool:
            return self == ReviewRender.State.READY

        @property
        def is_finished(self) -> bool:
            return self in (ReviewRender.State.READY, ReviewRender.State.FAILED)

    key = models.CharField(_("key"), max_length=64, unique=True)
    plan = models.ForeignKey("deliverables.Plan", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField(_("cut-off date"))
    language = models.CharField(_("language"), max_length=10)
    cover = models.JSONField(_("cover values"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    pdf = models.BinaryField(_("PDF"), null=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review render")
        verbose_name_plural = _("review renders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "ready", "failed"]),
                name="review_render_known_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} ({self.language}): {self.get_state_display()}"

    @property
    def state_choice(self) -> "ReviewRender.State":
        return ReviewRender.State(self.state)

    def start(self) -> None:
        self.state = self.State.RUNNING
        self.save(update_fields=["state"])

    def finish(self, pdf: bytes) -> None:
        self.state, self.pdf, self.error, self.finished_at = self.State.READY, pdf, "", timezone.now()
        self.save(update_fields=["state", "pdf", "error", "finished_at"])

    def fail(self, message: str) -> None:
        self.state, self.error, self.finished_at = self.State.FAILED, message, timezone.now()
        self.save(update_fields=["state", "error", "finished_at"])
