"""Writes of the planning app: milestones under the no-lost-edit rule, and
reminders claimed in the database before they are sent."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from dcplan.languages import language_of, subject_line
from deliverables.models import Deliverable, Office

from .models import Milestone, Reminder
from .selectors import PlannedReminder

log = logging.getLogger("dcplan.reminders")


class StaleMilestone(Exception):
    """Someone changed the milestone after the version the user saw."""

    def __init__(self, milestone: Milestone, seen_version: int):
        self.milestone = milestone
        self.seen_version = seen_version
        super().__init__(
            _("The milestone “%(title)s” was changed by someone else in the meantime.")
            % {"title": milestone.title}
        )

    def current(self) -> Milestone | None:
        return (
            Milestone.objects.select_related("updated_by", "responsible_unit")
            .filter(pk=self.milestone.pk)
            .first()
        )


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: object  # datetime.date
    done_on: object = None
    responsible_unit: Office | None = None


@transaction.atomic
def milestone_add(*, deliverable: Deliverable, user, data: MilestoneInput) -> Milestone:
    return Milestone.objects.create(
        deliverable=deliverable,
        title=data.title,
        due_on=data.due_on,
        done_on=data.done_on,
        responsible_unit=data.responsible_unit,
        updated_by=user,
        updated_at=timezone.now(),
    )


@transaction.atomic
def milestone_update(*, milestone: Milestone, user, data: MilestoneInput, seen_version: int) -> Milestone:
    """Save an edit; StaleMilestone if the milestone changed since `seen_version`.

    As for status updates, the conditional UPDATE on the version is the lock."""
    changed = Milestone.objects.filter(pk=milestone.pk, version=seen_version).update(
        version=F("version") + 1,
        title=data.title,
        due_on=data.due_on,
        done_on=data.done_on,
        responsible_unit=data.responsible_unit,
        updated_by=user,
        updated_at=timezone.now(),
    )
    if not changed:
        raise StaleMilestone(milestone, seen_version)
    milestone.refresh_from_db()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, seen_version: int) -> None:
    deleted, _rows = Milestone.objects.filter(pk=milestone.pk, version=seen_version).delete()
    if not deleted:
        raise StaleMilestone(milestone, seen_version)


def reminder_send(planned: PlannedReminder, *, link_base: str = "") -> Reminder | None:
    """Record the reminder, then e-mail it once the record is committed.

    The unique (round, recipient, topic, slot) row is the claim: a second run,
    on this host or another, fails to insert it and sends nothing. Returns
    None when the reminder was claimed before."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                round=planned.round,
                recipient=planned.recipient,
                topic=planned.topic,
                slot=planned.slot,
                deadline=planned.deadline,
                items=planned.items,
            )
            message = _message(reminder, link_base)
            transaction.on_commit(lambda: _send(reminder, *message))
    except IntegrityError:
        return None
    return reminder


def _message(reminder: Reminder, link_base: str) -> tuple[str, str]:
    """Subject and body in the recipient's language, dates written as that language writes them."""
    with translation.override(language_of(reminder.recipient)):
        return _message_in_active_language(reminder, link_base)


def _message_in_active_language(reminder: Reminder, link_base: str) -> tuple[str, str]:
    round = reminder.round
    templates = {
        Reminder.Topic.UPDATES: "planning/email_updates.txt",
        Reminder.Topic.EXAMPLES: "planning/email_examples.txt",
        Reminder.Topic.SUMMARY: "planning/email_summary.txt",
    }
    date = formats.date_format(reminder.deadline, "DATE_FORMAT")
    if reminder.is_late:
        subject = _("Overdue for %(round)s: the deadline was %(date)s") % {"round": round.name, "date": date}
    else:
        subject = _("Reminder for %(round)s: due by %(date)s") % {"round": round.name, "date": date}
    base = link_base.rstrip("/")
    context = {
        "reminder": reminder,
        "round": round,
        "user": reminder.recipient,
        "items": reminder.items,
        "site": base,
        "round_url": base + reverse("planning:round", args=[round.pk]),
        "reminders_url": base + reverse("planning:my_reminders"),
        "new_example_url": base + reverse("examples:new"),
    }
    return subject_line(subject), render_to_string(templates[reminder.topic_choice], context)


def _send(reminder: Reminder, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.recipient.email], fail_silently=False)
    except Exception:  # noqa: BLE001 – one failed address must not stop the others
        log.exception("Could not send reminder %s to %s.", reminder.pk, reminder.recipient)
        return
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
