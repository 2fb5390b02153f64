"""Reads of the plan and its status tracking, for the pages and the other apps."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from .models import Deliverable, FocusArea, Office, Plan, Status, StatusUpdate
from .models.plan import CODE_ORDER, overdue_milestones_of, stale_condition

# The dashboard shows the targets furthest behind, not every target: its cost
# stays that of a page of ten rows however many targets the plan has.
DASHBOARD_TARGETS = 10


def current_plan() -> Plan:
    try:
        return Plan.objects.current()
    except Plan.DoesNotExist:
        raise Http404("No plan is loaded.") from None


def deliverable_by_code(code: str) -> Deliverable:
    """The deliverable with this code in the current plan, with what its page shows; 404 otherwise."""
    try:
        return (
            Deliverable.objects.select_related(
                "plan", "action__focus_area", "last_update__author", "lead_unit"
            )
            .prefetch_related("action__pb_outputs", "contributing_units")
            .get(plan=current_plan(), code=code)
        )
    except Deliverable.DoesNotExist:
        raise Http404("No such deliverable.") from None


@dataclass(frozen=True)
class StatusRow:
    focus_area: FocusArea
    counts: list[int]  # one per Status, in Status order
    total: int


@dataclass(frozen=True)
class UnitRow:
    """One lead unit's deliverables on the dashboard; `unit` is None for "no lead unit yet"."""

    unit: Office | None
    total: int
    stale: int
    late_milestones: int


@dataclass(frozen=True)
class FollowUp:
    units: list[UnitRow]
    no_lead_unit: int
    stale: int
    late_milestones: int


def follow_up(plan: Plan, today: datetime.date) -> FollowUp:
    """Deliverables per lead unit with the stale and overdue-milestone flags, in one query."""
    rows = (
        Deliverable.objects.in_plan(plan)
        .values("lead_unit", "lead_unit__code", "lead_unit__name")
        .annotate(
            total=Count("id"),
            stale=Count("id", filter=stale_condition(today)),
            late=Count("id", filter=Exists(overdue_milestones_of(today))),
        )
        .order_by()
    )
    units = sorted(
        (
            UnitRow(
                unit=Office(pk=row["lead_unit"], code=row["lead_unit__code"], name=row["lead_unit__name"])
                if row["lead_unit"]
                else None,
                total=row["total"],
                stale=row["stale"],
                late_milestones=row["late"],
            )
            for row in rows
        ),
        # The gap first, then the units by code.
        key=lambda r: (r.unit is not None, r.unit.code if r.unit else ""),
    )
    return FollowUp(
        units=units,
        no_lead_unit=sum(r.total for r in units if r.unit is None),
        stale=sum(r.stale for r in units),
        late_milestones=sum(r.late_milestones for r in units),
    )


@dataclass(frozen=True)
class Dashboard:
    plan: Plan
    statuses: list[Status]
    rows: list[StatusRow]
    totals: list[int]
    grand_total: int
    due_total: int
    due_achieved: int
    targets: QuerySet  # the DASHBOARD_TARGETS furthest behind
    targets_total: int
    targets_reached: int
    latest_updates: QuerySet
    follow_up: FollowUp

    @property
    def due_not_achieved(self) -> int:
        return self.due_total - self.due_achieved


def dashboard(plan: Plan, today: datetime.date) -> Dashboard:
    """Deliverables by focus area and status, the mid-term figures, targets and latest updates."""
    deliverables = Deliverable.objects.in_plan(plan)
    counts = {
        (row["action__focus_area"], row["status"]): row["n"]
        for row in deliverables.values("action__focus_area", "status").annotate(n=Count("id")).order_by()
    }
    statuses = list(Status)
    rows = []
    for area in FocusArea.objects.filter(plan=plan):
        area_counts = [counts.get((area.pk, status.value), 0) for status in statuses]
        rows.append(StatusRow(focus_area=area, counts=area_counts, total=sum(area_counts)))
    totals = [sum(row.counts[i] for row in rows) for i in range(len(statuses))]
    due = Q(end_year__lte=plan.midterm_year)
    has_target = Q(target_value__isnull=False)
    figures = deliverables.aggregate(
        due_total=Count("id", filter=due),
        due_achieved=Count("id", filter=due & Q(status=Status.ACHIEVED)),
        targets_total=Count("id", filter=has_target),
        targets_reached=Count("id", filter=has_target & Q(progress_value__gte=F("target_value"))),
    )
    return Dashboard(
        plan=plan,
        statuses=statuses,
        rows=rows,
        totals=totals,
        grand_total=sum(totals),
        due_total=figures["due_total"],
        due_achieved=figures["due_achieved"],
        targets=_furthest_behind(deliverables),
        targets_total=figures["targets_total"],
        targets_reached=figures["targets_reached"],
        # Walks the status_update_recorded index; only the shown columns. The
        # plan as EXISTS, not a join: SQLite would otherwise read every update
        # of the plan's deliverables and sort them (90 ms at 64,000 updates).
        latest_updates=StatusUpdate.objects.filter(
            Exists(Deliverable.objects.filter(pk=OuterRef("deliverable_id"), plan=plan))
        )
        .select_related("deliverable", "author")
        .only("status", "as_of", "narrative", "deliverable__code", "author__username")
        .order_by("-recorded_at", "-pk")[:10],
        follow_up=follow_up(plan, today),
    )


def _furthest_behind(deliverables: QuerySet) -> QuerySet:
    """The open targets with the smallest share reached, then in the plan's order."""
    share = Cast(Coalesce("progress_value", Value(0)), FloatField()) / F("target_value")
    return (
        deliverables.with_targets()
        .filter(Q(progress_value__isnull=True) | Q(progress_value__lt=F("target_value")))
        .only("code", "status", "progress_value", "target_value", "target_unit")
        .annotate(share=share)
        .order_by("share", *CODE_ORDER)[:DASHBOARD_TARGETS]
    )
