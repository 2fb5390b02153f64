"""Reads of the plan and its status tracking, for the pages and the other apps."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .models import Deliverable, FocusArea, Plan, Status, StatusUpdate


def current_plan() -> Plan:
    try:
        return Plan.objects.current()
    except Plan.DoesNotExist:
        raise Http404("No plan is loaded.") from None


def deliverable_by_code(code: str) -> Deliverable:
    """The deliverable with this code in the current plan, with what its page shows; 404 otherwise."""
    try:
        return (
            Deliverable.objects.select_related("plan", "action__focus_area", "last_update__author")
            .prefetch_related("action__pb_outputs")
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
class Dashboard:
    plan: Plan
    statuses: list[Status]
    rows: list[StatusRow]
    totals: list[int]
    grand_total: int
    due_total: int
    due_achieved: int
    targets: QuerySet
    latest_updates: QuerySet

    @property
    def due_not_achieved(self) -> int:
        return self.due_total - self.due_achieved


def dashboard(plan: Plan) -> Dashboard:
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
    due = deliverables.due_by(plan.midterm_year).aggregate(
        total=Count("id"), achieved=Count("id", filter=Q(status=Status.ACHIEVED))
    )
    return Dashboard(
        plan=plan,
        statuses=statuses,
        rows=rows,
        totals=totals,
        grand_total=sum(totals),
        due_total=due["total"],
        due_achieved=due["achieved"],
        targets=deliverables.with_targets().with_context().in_code_order(),
        latest_updates=StatusUpdate.objects.filter(deliverable__plan=plan)
        .select_related("deliverable", "author")
        .order_by("-recorded_at", "-pk")[:10],
    )
