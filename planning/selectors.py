"""Reads for the planning pages, the reminders and other apps: milestones,
what a round still waits for, and the timeline."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from dcplan.access import FOCAL_POINTS, HQ_STAFF, UNIT_FOCAL_POINTS
from deliverables.models import Deliverable, Office, Plan, StatusUpdate
from deliverables.models.plan import CLOSED_STATUSES
from examples.models import ProgressExample

from .models import Milestone, Reminder, ReportingRound


def milestones_for(deliverable: Deliverable) -> list[Milestone]:
    return list(deliverable.milestones.select_related("responsible_unit"))


def milestone_by_pk(pk: int) -> Milestone:
    try:
        return Milestone.objects.select_related("deliverable", "responsible_unit").get(pk=pk)
    except Milestone.DoesNotExist:
        raise Http404("No such milestone.") from None


def round_by_pk(pk: int) -> ReportingRound:
    try:
        return ReportingRound.objects.select_related("plan", "opened_by", "closed_by").get(pk=pk)
    except ReportingRound.DoesNotExist:
        raise Http404("No such round.") from None


def rounds(plan: Plan) -> QuerySet:
    return ReportingRound.objects.filter(plan=plan).select_related("opened_by", "closed_by").newest_first()


# What a round waits for.


@dataclass(frozen=True)
class UnitGroup:
    unit: Office | None  # None: deliverables with no lead unit yet
    deliverables: list[Deliverable]


@dataclass(frozen=True)
class OfficeLine:
    office: Office
    submitted: bool  # has submitted an example within the round


@dataclass(frozen=True)
class RoundProgress:
    round: ReportingRound
    by_lead_unit: list[UnitGroup]
    offices: list[OfficeLine]
    due_total: int  # deliverables expected to report in the round

    @property
    def outstanding(self) -> list[Deliverable]:
        return [d for group in self.by_lead_unit for d in group.deliverables]

    @property
    def silent_offices(self) -> list[OfficeLine]:
        return [line for line in self.offices if not line.submitted]


def _window(round: ReportingRound) -> tuple[datetime.date, datetime.date | None]:
    """The days whose updates and examples count for the round: from the period
    start to the closing day (no end while the round is open)."""
    closed_on = round.closed_at.date() if round.closed_at else None
    return round.opens_on, closed_on


def expected_deliverables(round: ReportingRound) -> QuerySet:
    """Deliverables that owe an update in the round: started by the cut-off and still open."""
    return (
        Deliverable.objects.in_plan(round.plan_id)
        .filter(start_year__lte=round.cut_off.year)
        .exclude(status__in=CLOSED_STATUSES)
    )


def outstanding_deliverables(round: ReportingRound, today: datetime.date) -> QuerySet:
    """Expected deliverables with no update dated within the round, with the list's flags."""
    start, end = _window(round)
    updates = StatusUpdate.objects.filter(deliverable=OuterRef("pk"), as_of__gte=start)
    if end is not None:
        updates = updates.filter(as_of__lte=end)
    return (
        expected_deliverables(round).exclude(Exists(updates)).with_context().with_flags(today).in_code_order()
    )


def field_offices_with_submissions(round: ReportingRound) -> QuerySet:
    """Every field office, annotated `submitted`: whether it has submitted an example
    within the round.

    An EXISTS per office over a range of `submitted_at` (index
    example_office_submitted): it stops at the office's first submission in the
    round, so its cost does not grow with the number of examples (a count read
    every one of them: 180,000 at the bench's 100× shape)."""
    start, end = _window(round)
    within = ProgressExample.objects.filter(
        office=OuterRef("pk"), submitted_at__gte=_midnight(start)
    ).exclude(state=ProgressExample.State.DRAFT)
    if end is not None:
        within = within.filter(submitted_at__lt=_midnight(end + datetime.timedelta(days=1)))
    return (
        Office.objects.exclude(kind=Office.Kind.HEADQUARTERS)
        .select_related("region")
        .annotate(submitted=Exists(within))
        .order_by("region__name", "name")
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of `day` in the current time zone, as `__date` lookups read dates."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def round_progress(round: ReportingRound, today: datetime.date) -> RoundProgress:
    """Per lead unit the deliverables still without an update, per field office its
    submissions: four queries whatever the plan's size."""
    groups: dict[int | None, list[Deliverable]] = defaultdict(list)
    for deliverable in outstanding_deliverables(round, today):
        groups[deliverable.lead_unit_id].append(deliverable)
    by_unit = sorted(
        (UnitGroup(unit=ds[0].lead_unit, deliverables=ds) for ds in groups.values()),
        key=lambda g: (g.unit is not None, g.unit.code if g.unit else ""),
    )
    offices = [OfficeLine(office=o, submitted=o.submitted) for o in field_offices_with_submissions(round)]
    return RoundProgress(
        round=round, by_lead_unit=by_unit, offices=offices, due_total=expected_deliverables(round).count()
    )


# Reminders: who is told what, when.


@dataclass(frozen=True)
class PlannedReminder:
    round: ReportingRound
    recipient: object  # a User
    topic: str
    slot: str
    deadline: datetime.date
    items: list[dict] = field(default_factory=list)


def reminder_slot(deadline: datetime.date, today: datetime.date, days: list[int]) -> str | None:
    """Which reminder is due today: the nearest of `days` before the deadline that
    has arrived ("7d"), "late" once the deadline has passed, None before the first."""
    if today > deadline:
        return Reminder.slot_for(None)
    arrived = [d for d in days if deadline - datetime.timedelta(days=d) <= today]
    return Reminder.slot_for(min(arrived)) if arrived else None


def _members(group: str) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True, profile__office__isnull=False)
        .exclude(email="")
        .select_related("profile__office")
        .order_by("username")
    )


def reminders_due(today: datetime.date, days: list[int] | None = None) -> list[PlannedReminder]:
    """Every reminder due today for the open rounds, already sent ones included
    (sending claims each one: see planning.services.reminder_send)."""
    days = settings.DCPLAN_REMINDER_DAYS if days is None else days
    planned = []
    for round in ReportingRound.objects.open().select_related("plan"):
        planned += _round_reminders(round, today, days)
    return planned


def _round_reminders(round: ReportingRound, today: datetime.date, days: list[int]) -> list[PlannedReminder]:
    planned = []
    updates_slot = reminder_slot(round.updates_due, today, days)
    if updates_slot:
        outstanding = list(outstanding_deliverables(round, today).prefetch_related("contributing_units"))
        by_unit: dict[int, list[dict]] = defaultdict(list)
        for d in outstanding:
            item = {"code": d.code, "text": d.text[:200]}
            for unit_id in {d.lead_unit_id, *(u.pk for u in d.contributing_units.all())} - {None}:
                by_unit[unit_id].append(item)
        for user in _members(UNIT_FOCAL_POINTS):
            items = by_unit.get(user.profile.office_id)
            if items and user.profile.office.is_headquarters:
                planned.append(
                    PlannedReminder(
                        round, user, Reminder.Topic.UPDATES, updates_slot, round.updates_due, items
                    )
                )
        if outstanding:
            summary = _summary(round, outstanding)
            for user in _members(HQ_STAFF):
                planned.append(
                    PlannedReminder(
                        round, user, Reminder.Topic.SUMMARY, updates_slot, round.updates_due, summary
                    )
                )
    examples_slot = reminder_slot(round.examples_due, today, days)
    if examples_slot:
        silent = {o.pk: o for o in field_offices_with_submissions(round) if not o.submitted}
        for user in _members(FOCAL_POINTS):
            office = silent.get(user.profile.office_id)
            if office is not None:
                item = {"office": office.code, "name": office.name}
                planned.append(
                    PlannedReminder(
                        round, user, Reminder.Topic.EXAMPLES, examples_slot, round.examples_due, [item]
                    )
                )
    return planned


def _summary(round: ReportingRound, outstanding: list[Deliverable]) -> list[dict]:
    counts: dict[str, int] = defaultdict(int)
    for d in outstanding:
        counts[d.lead_unit.code if d.lead_unit else ""] += 1
    return [{"unit": unit, "outstanding": n} for unit, n in sorted(counts.items())]


def reminders_of(user) -> QuerySet:
    return Reminder.objects.filter(recipient=user).select_related("round")
