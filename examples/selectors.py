"""Reads of progress examples: coverage, the review queue, lookups scoped to the user.

Coverage: who has contributed what, by focus area.

An example counts once in every focus area its deliverables belong to, and
once in its row's total (so a row total can be less than the sum of its
cells). "Pending" means waiting on someone: submitted or returned. Drafts
and rejected examples do not count. Every number of a matrix comes from one
query of the examples' distinct (row, focus area) pairs, whatever their number.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dcplan.access import AnyUser, may_see_example
from deliverables.models import Deliverable, FocusArea, Office, Plan, Profile, Region

from .models import ExampleTransition, ProgressExample

APPROVED = Q(state=ProgressExample.State.APPROVED)
PENDING = Q(state__in=ProgressExample.PENDING_STATES)
# A deliverable's page shows this many of its latest approved examples; the
# review queue, filtered by the deliverable's code, lists them all.
EXAMPLES_SHOWN = 10


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


def _tally(pairs: set[tuple[int, str]]) -> Cell:
    """Approved and pending among distinct (example, state) pairs."""
    approved = sum(1 for _pk, state in pairs if state == ProgressExample.State.APPROVED)
    return Cell(approved, len(pairs) - approved)


def _matrix(
    plan: Plan, examples: QuerySet, group: str, subjects: list, region: Region | None = None
) -> Matrix:
    """Cells, row and column totals from one query: each example's distinct
    (row, focus area) pairs, counted here so that an example counts once in
    each of its focus areas and once in each total."""
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("number"))
    area = "deliverables__action__focus_area"
    cells, rows_, columns, grand = defaultdict(set), defaultdict(set), defaultdict(set), set()
    for pk, subject, focus_area, state in (
        examples.values_list("pk", group, area, "state").distinct().order_by()
    ):
        example = (pk, state)
        cells[subject, focus_area].add(example)
        rows_[subject].add(example)
        columns[focus_area].add(example)
        grand.add(example)
    rows = [
        Row(
            subject=subject,
            cells=[_tally(cells.get((subject.pk, fa.pk), set())) for fa in focus_areas],
            total=_tally(rows_.get(subject.pk, set())),
        )
        for subject in subjects
    ]
    return Matrix(
        focus_areas=focus_areas,
        rows=rows,
        totals=[_tally(columns.get(fa.pk, set())) for fa in focus_areas],
        grand_total=_tally(grand),
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


# Lookups scoped to the user: the one place that decides which examples a request may touch.


def example_for_user(user: AnyUser, pk: int) -> ProgressExample:
    """The example if the user may see it; 404 otherwise, so that another
    office's examples are not even revealed to exist."""
    queryset = ProgressExample.objects.for_user(user).select_related("office__region", "created_by")
    try:
        return queryset.get(pk=pk)
    except ProgressExample.DoesNotExist:
        raise Http404("No such example.") from None


def own_field_office(user: AnyUser) -> Office | None:
    """The office a new example belongs to; None when the user picks one (superusers).
    PermissionDenied when the user's profile names no field office."""
    if user.is_superuser:
        return None
    profile = Profile.objects.select_related("office").filter(user=user).first()
    if profile is None or profile.office is None or profile.office.is_headquarters:
        raise PermissionDenied(_("Your profile names no field office: ask an administrator to set it."))
    return profile.office


def last_note(example: ProgressExample, state: str) -> ExampleTransition | None:
    """The latest transition into `state` (a return's or a rejection's comment)."""
    return example.transitions.filter(to_state=state).select_related("actor").order_by("-at", "-pk").first()


def examples_with_review_notes(queryset: QuerySet) -> QuerySet:
    """List rows with the reviewers' latest return or rejection notes prefetched."""
    notes = (
        ExampleTransition.objects.filter(
            to_state__in=[ProgressExample.State.RETURNED, ProgressExample.State.REJECTED]
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    return queryset.with_context().prefetch_related(Prefetch("transitions", notes, to_attr="review_notes"))


def state_counts(queryset: QuerySet) -> dict[str, int]:
    return dict(queryset.values_list("state").annotate(n=Count("id")).order_by())


def review_queue(user: AnyUser) -> QuerySet:
    """Every example the user may see, oldest submission first."""
    return (
        ProgressExample.objects.for_user(user)
        .with_context()
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def approved_examples_for(user: AnyUser, deliverable: Deliverable) -> list[ProgressExample]:
    """The latest approved examples shown on a deliverable's page, in one query:
    at most EXAMPLES_SHOWN, plus one more when there are more (so the page can
    say so without counting them). Each carries `linkable`: whether the user may
    open the example's own page (and its attachments) — everyone who sees the
    deliverable reads the summary."""
    examples = list(
        deliverable.examples.approved()
        .select_related("office__region")
        .order_by("-approved_at", "-pk")[: EXAMPLES_SHOWN + 1]
    )
    for example in examples:
        example.linkable = may_see_example(user, example)
    return examples
