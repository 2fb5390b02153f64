"""The mid-term review's content as of a cut-off date, as plain data.

Nothing here renders anything: `assemble_review()` reads the database in a
fixed number of queries and returns frozen dataclasses that the templates
(and the tests) read.

What "as of" means:
- a deliverable's status, progress and narrative are those of its latest
  StatusUpdate whose `as_of` date is on or before the cut-off (ties broken by
  the time it was recorded, then its version). The deliverable's current
  fields are never read: they may hold a later update;
- a field example counts when it is approved, cleared for citation and was
  approved on or before the cut-off.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Window
from django.db.models.functions import RowNumber

from deliverables.models import Deliverable, FocusArea, Plan, ProposedAction, Status, StatusUpdate
from deliverables.models.plan import TargetProgress
from examples.models import ProgressExample

# The order of the key figures and of the chart segments: results first.
STATUS_ORDER = (
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.DELAYED,
    Status.NOT_STARTED,
    Status.DISCONTINUED,
)

# Current fields of Deliverable that must never reach a review: they hold the
# latest update, which may be later than the cut-off. Deferring them means an
# accidental read costs a query, which the query-count tests catch.
CURRENT_FIELDS = ("status", "progress_value", "last_update", "version")


@dataclass(frozen=True)
class PBOutputRef:
    biennium: str
    code: str
    title: str


@dataclass(frozen=True)
class DeliverableRow(TargetProgress):
    code: str
    text: str
    focus_area: int
    action_code: str
    start_year: int
    end_year: int
    target_value: int | None
    target_unit: str
    status: Status
    progress_value: int | None
    narrative: str
    reported_on: datetime.date | None  # the "as of" date of the update shown; None: no update yet
    due_by_midterm: bool
    pb_outputs: tuple[PBOutputRef, ...] = ()
    lead_unit: str = ""  # the lead unit's code as assigned now; responsibilities have no history
    all_policy_outcomes: tuple[str, ...] = ()
    other_references: str = ""

    @property
    def timeline(self) -> str:
        return f"{self.start_year}–{str(self.end_year)[-2:]}"

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def is_achieved(self) -> bool:
        return self.status == Status.ACHIEVED

    @property
    def pb_by_biennium(self) -> list[tuple[str, str]]:
        """[("2020–21", "1.1, 1.2"), …]: the annex's compact form of the P&B links."""
        bienniums: dict[str, list[str]] = {}
        for output in self.pb_outputs:
            bienniums.setdefault(output.biennium, []).append(output.code)
        return [(biennium, ", ".join(codes)) for biennium, codes in sorted(bienniums.items())]


@dataclass(frozen=True)
class ActionBlock:
    code: str
    text: str
    deliverables: tuple[DeliverableRow, ...]

    @property
    def has_lead_units(self) -> bool:
        """Whether its table shows a lead-unit column: only once one is assigned."""
        return any(row.lead_unit for row in self.deliverables)


@dataclass(frozen=True)
class ExampleItem:
    pk: int
    number: int  # box number, in order of first appearance in the review
    title: str
    office: str
    region: str
    countries: tuple[str, ...]
    constituents: tuple[str, ...]
    partners: str
    south_south: bool
    started_on: datetime.date
    ended_on: datetime.date | None
    what_was_done: str
    results: str
    deliverable_codes: tuple[str, ...]
    focus_areas: tuple[int, ...]

    @property
    def home_focus_area(self) -> int:
        """The focus area under which the example is printed in full."""
        return self.focus_areas[0]


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int

    @property
    def label(self) -> str:
        return str(self.status.label)


@dataclass(frozen=True)
class FocusAreaSection:
    number: int
    title: str
    actions: tuple[ActionBlock, ...]
    status_counts: tuple[StatusCount, ...]
    examples: tuple[ExampleItem, ...]  # printed in full here
    see_also: tuple[ExampleItem, ...] = ()  # printed under an earlier focus area, also linked here

    @property
    def total(self) -> int:
        return sum(item.count for item in self.status_counts)

    @property
    def deliverables(self) -> list[DeliverableRow]:
        return [row for action in self.actions for row in action.deliverables]


@dataclass(frozen=True)
class KeyFigures:
    total: int
    status_counts: tuple[StatusCount, ...]
    reported: int  # deliverables with at least one update by the cut-off
    due_total: int  # due by the end of the mid-term year
    due_achieved: int
    targets_total: int
    targets_reached: int
    examples: int

    def count(self, status: Status) -> int:
        return next((item.count for item in self.status_counts if item.status == status), 0)

    @property
    def achieved(self) -> int:
        return self.count(Status.ACHIEVED)

    @property
    def due_not_achieved(self) -> int:
        return self.due_total - self.due_achieved


@dataclass(frozen=True)
class Review:
    plan_symbol: str
    plan_title: str
    plan_session: str
    plan_place: str
    start_year: int
    end_year: int
    midterm_year: int
    as_of: datetime.date
    focus_areas: tuple[FocusAreaSection, ...]
    key_figures: KeyFigures
    deliverables: tuple[DeliverableRow, ...] = field(default=())
    examples: tuple[ExampleItem, ...] = field(default=())

    @property
    def has_lead_units(self) -> bool:
        return any(row.lead_unit for row in self.deliverables)

    @property
    def with_targets(self) -> list[DeliverableRow]:
        return [row for row in self.deliverables if row.has_target]

    @property
    def due_not_achieved(self) -> list[DeliverableRow]:
        return [row for row in self.deliverables if row.due_by_midterm and not row.is_achieved]

    @property
    def pb_outputs(self) -> list[PBOutputRef]:
        """Every P&B output the plan refers to, once, for the annex's key."""
        return sorted(
            {ref for row in self.deliverables for ref in row.pb_outputs}, key=lambda o: (o.biennium, o.code)
        )


def latest_updates_as_of(plan: Plan, as_of: datetime.date) -> dict[int, dict]:
    """Deliverable id → its latest update on or before `as_of`, in one query."""
    ranked = (
        StatusUpdate.objects.filter(deliverable__plan=plan, as_of__lte=as_of)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("deliverable_id")],
                order_by=[F("as_of").desc(), F("recorded_at").desc(), F("version").desc()],
            )
        )
        .filter(rank=1)
        .values("deliverable_id", "status", "progress_value", "narrative", "as_of")
    )
    return {row["deliverable_id"]: row for row in ranked}


def citable_examples(plan: Plan, as_of: datetime.date) -> list[ProgressExample]:
    """Examples approved and cleared for citation by `as_of`, linked to this plan (two queries).

    "Linked to this plan" is an EXISTS over the example's links, not a join and a
    DISTINCT over every example and its links."""
    linked = ProgressExample.deliverables.through.objects.filter(
        progressexample_id=OuterRef("pk"), deliverable__plan=plan
    )
    return list(
        ProgressExample.objects.citable_as_of(as_of)
        .filter(Exists(linked))
        .select_related("office__region")
        .prefetch_related(
            Prefetch("deliverables", queryset=Deliverable.objects.filter(plan=plan).only("id", "plan_id"))
        )
        .order_by("started_on", "pk")
    )


def assemble_review(plan: Plan, as_of: datetime.date, language: str = "en") -> Review:
    """The review of `plan` as of `as_of`: seven queries whatever the size of the plan.

    The plan's texts (titles, actions, deliverables, units, P&B outputs, office and
    region names) are read in `language`, the English original where a translation
    is missing: reporting.languages refuses a language before that can happen.
    Labels that come from the code (statuses, countries) follow the active language."""
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("number"))
    actions = list(
        ProposedAction.objects.filter(plan=plan)
        .prefetch_related("pb_outputs")
        .order_by("focus_area__number", "position")
    )
    deliverables = list(
        Deliverable.objects.in_plan(plan)
        .defer(*CURRENT_FIELDS)
        .select_related("lead_unit")
        .order_by("action_id", "position")
    )
    latest = latest_updates_as_of(plan, as_of)
    example_objects = citable_examples(plan, as_of)

    rows_by_action: dict[int, list[DeliverableRow]] = {action.pk: [] for action in actions}
    action_by_id = {action.pk: action for action in actions}
    area_number = {area.pk: area.number for area in focus_areas}
    code_by_deliverable: dict[int, str] = {}
    area_by_deliverable: dict[int, int] = {}
    for deliverable in deliverables:
        action = action_by_id[deliverable.action_id]
        row = _deliverable_row(deliverable, action, area_number[action.focus_area_id], latest, plan, language)
        rows_by_action[action.pk].append(row)
        code_by_deliverable[deliverable.pk] = row.code
        area_by_deliverable[deliverable.pk] = row.focus_area

    examples = _example_items(example_objects, code_by_deliverable, area_by_deliverable, language)
    sections = []
    for area in focus_areas:
        blocks = tuple(
            ActionBlock(
                code=action.code,
                text=_in(action, "text", language),
                deliverables=tuple(rows_by_action[action.pk]),
            )
            for action in actions
            if action.focus_area_id == area.pk
        )
        rows = [row for block in blocks for row in block.deliverables]
        sections.append(
            FocusAreaSection(
                number=area.number,
                title=_in(area, "title", language),
                actions=blocks,
                status_counts=_status_counts(rows),
                examples=tuple(e for e in examples if e.home_focus_area == area.number),
                see_also=tuple(
                    e for e in examples if area.number in e.focus_areas and e.home_focus_area != area.number
                ),
            )
        )
    all_rows = tuple(row for section in sections for row in section.deliverables)
    return Review(
        plan_symbol=plan.symbol,
        plan_title=_in(plan, "title", language),
        plan_session=plan.session,
        plan_place=plan.place,
        start_year=plan.start_year,
        end_year=plan.end_year,
        midterm_year=plan.midterm_year,
        as_of=as_of,
        focus_areas=tuple(sections),
        key_figures=_key_figures(all_rows, examples),
        deliverables=all_rows,
        examples=examples,
    )


def _in(obj, field: str, language: str) -> str:
    return obj.text_in(field, language)[0]


def _deliverable_row(
    deliverable: Deliverable,
    action: ProposedAction,
    area: int,
    latest: dict[int, dict],
    plan: Plan,
    language: str,
) -> DeliverableRow:
    update = latest.get(deliverable.pk)
    return DeliverableRow(
        code=deliverable.code,
        text=_in(deliverable, "text", language),
        focus_area=area,
        action_code=action.code,
        start_year=deliverable.start_year,
        end_year=deliverable.end_year,
        target_value=deliverable.target_value,
        target_unit=_in(deliverable, "target_unit", language),
        status=Status(update["status"]) if update else Status.NOT_STARTED,
        progress_value=update["progress_value"] if update else None,
        narrative=update["narrative"] if update else "",
        reported_on=update["as_of"] if update else None,
        due_by_midterm=deliverable.end_year <= plan.midterm_year,
        lead_unit=deliverable.lead_unit.code if deliverable.lead_unit_id else "",
        pb_outputs=tuple(
            PBOutputRef(biennium=o.biennium, code=o.code, title=_in(o, "title", language))
            for o in sorted(action.pb_outputs.all(), key=lambda o: (o.biennium, o.code))
        ),
        all_policy_outcomes=tuple(action.all_policy_outcomes or ()),
        other_references=action.other_references,
    )


def _example_items(
    objects: list, code_by_deliverable: dict, area_by_deliverable: dict, language: str
) -> tuple[ExampleItem, ...]:
    items = []
    for example in objects:
        linked = sorted(
            (d.pk for d in example.deliverables.all() if d.pk in code_by_deliverable),
            key=lambda pk: _code_key(code_by_deliverable[pk]),
        )
        if not linked:
            continue
        office = example.office
        items.append(
            dict(
                pk=example.pk,
                title=example.title,
                office=_in(office, "name", language),
                region=_in(office.region, "name", language) if office.region else "",
                countries=tuple(str(country.name) for country in example.countries),
                constituents=tuple(str(label) for label in example.constituents),
                partners=example.partners,
                south_south=example.south_south,
                started_on=example.started_on,
                ended_on=example.ended_on,
                what_was_done=example.what_was_done,
                results=example.results,
                deliverable_codes=tuple(code_by_deliverable[pk] for pk in linked),
                focus_areas=tuple(sorted({area_by_deliverable[pk] for pk in linked})),
            )
        )
    # Boxes are numbered in the order they are printed: by focus area, then chronologically.
    items.sort(key=lambda item: (item["focus_areas"][0], item["started_on"], item["pk"]))
    return tuple(ExampleItem(number=n, **item) for n, item in enumerate(items, start=1))


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in code.split("."))


def _status_counts(rows: list[DeliverableRow]) -> tuple[StatusCount, ...]:
    return tuple(
        StatusCount(status, sum(1 for row in rows if row.status == status)) for status in STATUS_ORDER
    )


def _key_figures(rows: tuple[DeliverableRow, ...], examples: tuple[ExampleItem, ...]) -> KeyFigures:
    due = [row for row in rows if row.due_by_midterm]
    targets = [row for row in rows if row.has_target]
    return KeyFigures(
        total=len(rows),
        status_counts=_status_counts(list(rows)),
        reported=sum(1 for row in rows if row.reported_on is not None),
        due_total=len(due),
        due_achieved=sum(1 for row in due if row.is_achieved),
        targets_total=len(targets),
        targets_reached=sum(1 for row in targets if row.target_reached),
        examples=len(examples),
    )
