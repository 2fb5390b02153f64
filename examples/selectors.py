"""Reads of progress examples: coverage, the review queue, lookups scoped to the user.

Coverage: who has contributed what, by focus area.

An example counts once in every focus area its deliverables belong to, and
once in its row's total (so a row total can be less than the sum of its
cells). "Pending" means waiting on someone: submitted or returned. Drafts
and rejected examples do not count. Every number of a matrix comes from one
grouped query: per office and state, how many examples touch each combination
of focus areas (see _by_office), whatever the number of examples.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from dcplan.access import AnyUser, may_see_example
from deliverables.models import Deliverable, FocusArea, Office, Plan, Profile, ProposedAction, Region

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


def _tally(counts: list[tuple[str, int]]) -> Cell:
    """Approved and pending from (state, number of examples) pairs."""
    approved = sum(n for state, n in counts if state == ProgressExample.State.APPROVED)
    return Cell(approved, sum(n for _state, n in counts) - approved)


def _by_office(
    plan: Plan, focus_areas: list[FocusArea], region: Region | None = None
) -> list[tuple[int, str, int, int]]:
    """(office, state, focus-area mask, number of examples): one grouped query.

    An example's mask has one bit per focus area its deliverables of `plan` belong
    to (a SUM of DISTINCT powers of two: an OR), computed from the link table alone,
    grouped by example; examples linked to none of the plan's deliverables have no
    row. Then examples are counted per office, state and mask: a few hundred rows at
    most, however many examples; no example reaches Python and no DISTINCT runs over
    a join of every example with its links. SQL, because the ORM cannot group a
    grouped subquery again (its correlated form runs once per example: 4× slower
    on PostgreSQL). Only integers from the database and the states' own values are
    put into it, as parameters."""
    link = ProgressExample.deliverables.through._meta.db_table
    bits = " ".join("WHEN %s THEN %s" for _fa in focus_areas)
    bit = f"CASE a.focus_area_id {bits} ELSE 0 END" if focus_areas else "0"
    params: list = [value for i, fa in enumerate(focus_areas) for value in (fa.pk, 1 << i)]
    states = [ProgressExample.State.APPROVED, *ProgressExample.PENDING_STATES]
    params += [plan.pk, *states]
    in_region = ""
    if region is not None:
        in_region = "AND o.region_id = %s"
        params.append(region.pk)
    sql = f"""
        SELECT e.office_id, e.state, m.mask, COUNT(*)
        FROM (
            SELECT l.progressexample_id AS id, SUM(DISTINCT {bit}) AS mask
            FROM {link} l
            JOIN {Deliverable._meta.db_table} d ON d.id = l.deliverable_id
            JOIN {ProposedAction._meta.db_table} a ON a.id = d.action_id
            WHERE d.plan_id = %s
            GROUP BY l.progressexample_id
        ) m
        JOIN {ProgressExample._meta.db_table} e ON e.id = m.id
        JOIN {Office._meta.db_table} o ON o.id = e.office_id
        WHERE e.state IN ({", ".join("%s" for _s in states)}) AND o.region_id IS NOT NULL {in_region}
        GROUP BY e.office_id, e.state, m.mask
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(office, state, int(mask), n) for office, state, mask, n in cursor.fetchall()]


def _matrix(
    focus_areas: list[FocusArea],
    counts: list[tuple[int, str, int, int]],
    subject_of: dict[int, int],
    subjects: list,
    region: Region | None = None,
) -> Matrix:
    """Cells, row and column totals from (office, state, mask, n) rows: an example
    counts once in each focus area of its mask and once in each total.
    `subject_of` maps an office to its row (itself, or its region)."""
    cells, rows_, columns, grand = defaultdict(list), defaultdict(list), defaultdict(list), []
    for office, state, mask, n in counts:
        subject = subject_of.get(office)
        rows_[subject].append((state, n))
        grand.append((state, n))
        for i, fa in enumerate(focus_areas):
            if mask & (1 << i):
                cells[subject, fa.pk].append((state, n))
                columns[fa.pk].append((state, n))
    rows = [
        Row(
            subject=subject,
            cells=[_tally(cells.get((subject.pk, fa.pk), [])) for fa in focus_areas],
            total=_tally(rows_.get(subject.pk, [])),
        )
        for subject in subjects
    ]
    return Matrix(
        focus_areas=focus_areas,
        rows=rows,
        totals=[_tally(columns.get(fa.pk, [])) for fa in focus_areas],
        grand_total=_tally(grand),
        region=region,
    )


def region_matrix(plan: Plan) -> Matrix:
    """Regions × focus areas, with how many of each region's field offices have contributed."""
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("number"))
    region_of, field_offices = {}, set()
    for pk, region, kind in Office.objects.values_list("pk", "region", "kind"):
        region_of[pk] = region
        if kind != Office.Kind.HEADQUARTERS:
            field_offices.add(pk)
    counts = _by_office(plan, focus_areas)
    matrix = _matrix(focus_areas, counts, region_of, list(Region.objects.order_by("name")))
    offices, contributing = defaultdict(int), defaultdict(set)
    for office in field_offices:
        offices[region_of[office]] += 1
    for office, _state, _mask, _n in counts:
        if office in field_offices:
            contributing[region_of[office]].add(office)
    for row in matrix.rows:
        row.offices = offices[row.subject.pk]
        row.contributing = len(contributing[row.subject.pk])
    return matrix


def office_matrix(plan: Plan, region: Region) -> Matrix:
    """The field offices of one region × focus areas, offices without examples included."""
    offices = list(
        Office.objects.filter(region=region).exclude(kind=Office.Kind.HEADQUARTERS).order_by("name")
    )
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("number"))
    counts = _by_office(plan, focus_areas, region)
    matrix = _matrix(focus_areas, counts, {o.pk: o.pk for o in offices}, offices, region=region)
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
