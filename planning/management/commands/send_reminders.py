"""E-mail the reminders due today. Run daily (cron or a systemd timer); safe to
run twice, or on two hosts at once: each reminder is claimed in the database
before it is sent."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from dcplan.languages import in_command_language
from planning.models import Reminder
from planning.selectors import reminders_due
from planning.services import reminder_send


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--today %(value)s is not a date such as 2023-01-31.") % {"value": repr(value)}
        ) from None


class Command(BaseCommand):
    help = "E-mail unit and field-office focal points (and PARDEV) what a reporting round still waits for."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")
        parser.add_argument("--today", type=iso_date, help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--link-base",
            default="",
            help="Start of the links in the e-mails, e.g. https://dcplan.example.org",
        )

    @in_command_language
    def handle(self, *args, dry_run: bool, today: datetime.date | None, link_base: str, **options) -> None:
        today = today or timezone.localdate()
        planned = reminders_due(today)
        claimed = set(
            Reminder.objects.filter(round__in={p.round for p in planned}).values_list(
                "round_id", "recipient_id", "topic", "slot"
            )
        )
        sent = skipped = 0
        for p in planned:
            line = _(
                "%(round)s | %(user)s <%(email)s> | %(topic)s %(slot)s | due %(date)s | %(items)d item(s)"
            ) % {
                "round": p.round.name,
                "user": p.recipient.get_username(),
                "email": p.recipient.email,
                "topic": p.topic,
                "slot": p.slot,
                "date": p.deadline.isoformat(),
                "items": len(p.items),
            }
            if (p.round.pk, p.recipient.pk, p.topic, p.slot) in claimed:
                skipped += 1
                continue
            if dry_run:
                self.stdout.write(_("would send: %(line)s") % {"line": line})
                sent += 1
                continue
            if reminder_send(p, link_base=link_base) is None:
                skipped += 1  # another run claimed it meanwhile
            else:
                self.stdout.write(_("sent: %(line)s") % {"line": line})
                sent += 1
        summary = (
            _("%(date)s: would send %(sent)d reminder(s); %(skipped)d already sent before.")
            if dry_run
            else _("%(date)s: sent %(sent)d reminder(s); %(skipped)d already sent before.")
        )
        self.stdout.write(summary % {"date": today.isoformat(), "sent": sent, "skipped": skipped})
