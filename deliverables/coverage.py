"""Coverage of progress examples: who has contributed what, by focus area.

An example counts once in every focus area its deliverables belong to, and
once in its row's total (so a row total can be less than the sum of its
cells). "Pending" means waiting on someone: submitted or returned. Drafts
and rejected examples do not count. Every number comes from a handful of
aggregate queries, whatever the number of examples.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .models import FocusArea, Office, Plan, ProgressExample, Region

APPROVED = Q(state=ProgressExample.State.APPROVED)
PENDING = Q(state__in=ProgressExample.PENDING_STATES)


@dataclass(frozen=True)
class Cell:
    approved: int = 0
    pending: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.approved or self.pending)


@dataclass
class Row:
    subject: Region | Office
    cells: list[Cell]
    total: Cell
    offices: int = 0  # region rows: field offices in the region
    contributing: int = 0  # region rows: those with at least one approved or pending example


@dataclass
class Matrix:
    focus_areas: list[FocusArea]
    rows: list[Row]
    totals: list[Cell]
    grand_total: Cell
    region: Region | None = None
    silent: list[Office] = field(default_factory=list)  # office matrix: offices with nothing yet


def _counted(plan: Plan) -> QuerySet:
    return ProgressExample.objects.filter(
        Q(APPROVED | PENDING), deliverables__plan=plan, office__region__isnull=False
    )


def _counts(queryset: QuerySet, *group: str) -> dict:
    rows = (
        queryset.values(*group)
        .annotate(
            approved=Count("id", filter=APPROVED, distinct=True),
            pending=Count("id", filter=PENDING, distinct=True),
        )
        .order_by()
    )
    return {tuple(row[g] for g in group): Cell(row["approved"], row["pending"]) for row in rows}


def _matrix(
    plan: Plan, examples: QuerySet, group: str, subjects: list, region: Region | None = None
) -> Matrix:
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("number"))
    area = "deliverables__action__focus_area"
    cells = _counts(examples, group, area)
    totals = _counts(examples, group)
    columns = _counts(examples, area)
    grand = examples.aggregate(
        approved=Count("id", filter=APPROVED, distinct=True),
        pending=Count("id", filter=PENDING, distinct=True),
    )
    rows = [
        Row(
            subject=subject,
            cells=[cells.get((subject.pk, fa.pk), Cell()) for fa in focus_areas],
            total=totals.get((subject.pk,), Cell()),
        )
        for subject in subjects
    ]
    return Matrix(
        focus_areas=focus_areas,
        rows=rows,
        totals=[columns.get((fa.pk,), Cell()) for fa in focus_areas],
        grand_total=Cell(grand["approved"], grand["pending"]),
        region=region,
    )


def region_matrix(plan: Plan) -> Matrix:
    """Regions × focus areas, with how many of each region's field offices have contributed."""
    matrix = _matrix(plan, _counted(plan), "office__region", list(Region.objects.order_by("name")))
    offices = (
        Office.objects.exclude(kind=Office.Kind.HEADQUARTERS)
        .values("region")
        .annotate(
            offices=Count("id", distinct=True),
            contributing=Count(
                "id",
                filter=Q(examples__deliverables__plan=plan)
                & Q(examples__state__in=[ProgressExample.State.APPROVED, *ProgressExample.PENDING_STATES]),
                distinct=True,
            ),
        )
        .order_by()
    )
    by_region = {row["region"]: row for row in offices}
    for row in matrix.rows:
        counts = by_region.get(row.subject.pk, {})
        row.offices = counts.get("offices", 0)
        row.contributing = counts.get("contributing", 0)
    return matrix


def office_matrix(plan: Plan, region: Region) -> Matrix:
    """The field offices of one region × focus areas, offices without examples included."""
    offices = list(
        Office.objects.filter(region=region).exclude(kind=Office.Kind.HEADQUARTERS).order_by("name")
    )
    matrix = _matrix(plan, _counted(plan).filter(office__region=region), "office", offices, region=region)
    matrix.silent = [row.subject for row in matrix.rows if row.total.is_empty]
    return matrix
