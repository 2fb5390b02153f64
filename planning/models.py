"""Who does what by when: internal milestones per deliverable, reporting rounds
with their deadlines, and the reminders sent about them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date) -> "MilestoneQuerySet":
        """Past their due date and not done."""
        return self.filter(done_on__isnull=True, due_on__lt=today)


class Milestone(models.Model):
    """An internal step towards a deliverable (GB.341/POL/4 para. 14: "timelines")."""

    deliverable = models.ForeignKey(
        "deliverables.Deliverable",
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("deliverable"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    responsible_unit = models.ForeignKey(
        "deliverables.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible unit"),
    )
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Goes up by one with every change; guards against lost edits.")
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["deliverable", "due_on"], name="milestone_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


class ReportingRoundQuerySet(models.QuerySet):
    def open(self) -> "ReportingRoundQuerySet":
        return self.filter(closed_at__isnull=True)

    def newest_first(self) -> "ReportingRoundQuerySet":
        return self.order_by(F("closed_at").desc(nulls_first=True), "-cut_off", "-pk")


class ReportingRound(models.Model):
    """A reporting period: units update their deliverables, field offices submit
    examples, each by its deadline. Closed rounds stay readable."""

    plan = models.ForeignKey(
        "deliverables.Plan", on_delete=models.CASCADE, related_name="rounds", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("For example Mid-term review 2023."))
    opens_on = models.DateField(
        _("period starts"), help_text=_("Updates and examples dated from this day count for the round.")
    )
    cut_off = models.DateField(_("cut-off date"), help_text=_("The date the round reports as of."))
    updates_due = models.DateField(_("deadline for status updates"))
    examples_due = models.DateField(_("deadline for field examples"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-cut_off", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="round_unique_name",
                violation_error_message=_("A round with this name exists already."),
            ),
            models.CheckConstraint(
                condition=Q(cut_off__gte=F("opens_on")),
                name="round_cut_off_after_start",
                violation_error_message=_("The cut-off date cannot be before the period starts."),
            ),
            models.CheckConstraint(
                condition=Q(updates_due__gte=F("opens_on")) & Q(examples_due__gte=F("opens_on")),
                name="round_deadlines_after_start",
                violation_error_message=_("A deadline cannot be before the period starts."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="round_closed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def close(self, user) -> None:
        self.closed_at = timezone.now()
        self.closed_by = user
        self.save(update_fields=["closed_at", "closed_by"])

    def reopen(self) -> None:
        self.closed_at = None
        self.closed_by = None
        self.save(update_fields=["closed_at", "closed_by"])


class ReminderTopic(models.TextChoices):
    UPDATES = "updates", _("Status updates due")
    EXAMPLES = "examples", _("Field examples due")
    SUMMARY = "summary", _("Summary for PARDEV")

    @property
    def is_summary(self) -> bool:
        return self == ReminderTopic.SUMMARY


class Reminder(models.Model):
    """One reminder to one person. The row is inserted before the e-mail goes
    out, under the unique constraint: whoever inserts it sends it, so two runs
    (or two hosts) never send the same reminder twice."""

    Topic = ReminderTopic
    LATE = "late"

    round = models.ForeignKey(
        ReportingRound, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("round")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    topic = models.CharField(_("topic"), max_length=10, choices=Topic.choices)
    # "14d", "7d", "1d" … before the deadline, or "late" once after it.
    slot = models.CharField(_("when"), max_length=10)
    deadline = models.DateField(_("deadline"))
    items = models.JSONField(_("items"), default=list, help_text=_("What was outstanding, as sent."))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "recipient", "topic", "slot"], name="reminder_once"),
            models.CheckConstraint(condition=Q(topic__in=ReminderTopic.values), name="reminder_known_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.recipient} ({self.topic}, {self.slot})"

    @property
    def topic_choice(self) -> ReminderTopic:
        return ReminderTopic(self.topic)

    @property
    def is_late(self) -> bool:
        return self.slot == self.LATE

    @property
    def days_before(self) -> int | None:
        return None if self.is_late else int(self.slot.rstrip("d"))

    @staticmethod
    def slot_for(days_before: int | None) -> str:
        return Reminder.LATE if days_before is None else f"{days_before}d"
