"""The timeline: every deliverable as a bar across the plan's years, with its
milestones, the mid-term cut-off and today. Geometry here, markup in
templates/planning/includes/timeline_svg.html (the web page and the PDF)."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from deliverables.models import Deliverable, Office, Plan, Status
from deliverables.models.plan import CLOSED_STATUSES

from .models import Milestone, ReportingRound

CODE_WIDTH = 64
CHART_X = 72
CHART_WIDTH = 720
NOTE_X = CHART_X + CHART_WIDTH + 12
WIDTH = NOTE_X + 200
TOP = 34
ROW = 22
BAR = 12
AREA_HEAD = 28
LEGEND = 70

# Colour plus a pattern, so that the status reads in black and white as well.
STATUS_LOOK = {
    Status.NOT_STARTED: ("#e8eaee", ""),
    Status.ON_TRACK: ("#7cc496", ""),
    Status.AT_RISK: ("#f2c84b", "hatch"),
    Status.DELAYED: ("#e8795a", "cross"),
    Status.ACHIEVED: ("#1f7a3f", ""),
    Status.DISCONTINUED: ("#ffffff", "dots"),
}


@dataclass(frozen=True)
class MilestoneMark:
    title: str
    due_on: datetime.date
    points: str  # a diamond
    fill: str
    state: str  # for the tooltip: done / open / overdue


@dataclass(frozen=True)
class Bar:
    code: str
    text: str
    url_code: str
    y: float
    text_y: float
    x: float
    width: float
    fill: str
    pattern: str
    status: str
    note: str
    milestones: list[MilestoneMark]


@dataclass(frozen=True)
class Area:
    title: str
    y: float
    bars: list[Bar]


@dataclass(frozen=True)
class Line:
    x: float
    label: str
    label_x: float
    label_y: float
    colour: str
    dash: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    fill: str
    pattern: str
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: float
    chart_top: float
    chart_bottom: float
    years: list[tuple[float, float, str]]  # x of the year's start, x of its middle, label
    areas: list[Area]
    lines: list[Line]
    legend: list[LegendItem]
    count: int


def midterm_cut_off(plan: Plan) -> tuple[datetime.date, str]:
    """The cut-off of the latest round in the mid-term year, else the mid-term year's start."""
    round = (
        ReportingRound.objects.filter(plan=plan, cut_off__year=plan.midterm_year).order_by("-cut_off").first()
    )
    if round is not None:
        return round.cut_off, _("Cut-off: %(round)s") % {"round": round.name}
    return datetime.date(plan.midterm_year, 1, 1), _("Mid-term review %(year)s") % {"year": plan.midterm_year}


def timeline(plan: Plan, today: datetime.date, unit: Office | None = None) -> Timeline:
    """Five queries: the deliverables, their milestones, the mid-term round (plus the
    plan, already loaded)."""
    deliverables = (
        Deliverable.objects.in_plan(plan)
        .select_related("action__focus_area", "last_update")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")))
        .with_flags(today)
        .in_code_order()
    )
    if unit is not None:
        deliverables = deliverables.for_unit(unit)
    start = datetime.date(plan.start_year, 1, 1)
    end = datetime.date(plan.end_year + 1, 1, 1)
    span = (end - start).days

    def x_of(day: datetime.date) -> float:
        day = min(max(day, start), end)
        return round(CHART_X + CHART_WIDTH * (day - start).days / span, 1)

    areas: list[Area] = []
    y = TOP
    current = None
    count = 0
    for d in deliverables:
        area = d.action.focus_area
        if current is None or area.pk != current.pk:
            current = area
            areas.append(Area(title=str(area), y=y + 18, bars=[]))
            y += AREA_HEAD
        areas[-1].bars.append(_bar(d, y, x_of, today))
        y += ROW
        count += 1
    chart_bottom = y + 4
    cut_off, cut_off_label = midterm_cut_off(plan)
    lines = [_line(x_of(cut_off), cut_off_label, chart_bottom + 14, "#1e2dbe", "6 3")]
    if today < start or today >= end:
        label = _("Today (%(date)s), outside the plan's years") % {"date": today.isoformat()}
    else:
        label = _("Today (%(date)s)") % {"date": today.isoformat()}
    lines.append(_line(x_of(today), label, chart_bottom + 28, "#a1121f", "2 2"))
    years = []
    for year in range(plan.start_year, plan.end_year + 1):
        left, right = x_of(datetime.date(year, 1, 1)), x_of(datetime.date(year + 1, 1, 1))
        years.append((left, round((left + right) / 2, 1), str(year)))
    legend = _legend(chart_bottom + 44)
    return Timeline(
        width=WIDTH,
        height=chart_bottom + LEGEND,
        chart_top=TOP - 6,
        chart_bottom=chart_bottom,
        years=years,
        areas=areas,
        lines=lines,
        legend=legend,
        count=count,
    )


def _line(x: float, label: str, label_y: float, colour: str, dash: str) -> Line:
    # Labels right of the line, unless that would run off the chart.
    label_x = x + 4 if x < CHART_X + CHART_WIDTH - 160 else x - 4 - 6 * len(label)
    return Line(x=x, label=label, label_x=round(label_x, 1), label_y=label_y, colour=colour, dash=dash)


def _bar(d: Deliverable, y: float, x_of, today: datetime.date) -> Bar:
    status = Status(d.status)
    fill, pattern = STATUS_LOOK[status]
    left = x_of(datetime.date(d.start_year, 1, 1))
    right = x_of(datetime.date(d.end_year + 1, 1, 1))
    notes = [status.label]
    if d.stale:
        notes.append(_("stale"))
    if d.end_year < today.year and d.status not in CLOSED_STATUSES:
        notes.append(_("overdue"))
    if d.overdue_milestones:
        notes.append(_("late milestones: %(n)s") % {"n": d.overdue_milestones})
    marks = []
    middle = y + BAR / 2
    for m in d.milestones.all():
        mx = x_of(m.due_on)
        points = f"{mx},{middle - 7} {mx + 6},{middle} {mx},{middle + 7} {mx - 6},{middle}"
        if m.is_done:
            state, mfill = _("done on %(date)s") % {"date": m.done_on.isoformat()}, "#1d2330"
        elif m.is_overdue(today):
            state, mfill = _("overdue"), "#a1121f"
        else:
            state, mfill = _("open"), "#ffffff"
        marks.append(MilestoneMark(title=m.title, due_on=m.due_on, points=points, fill=mfill, state=state))
    return Bar(
        code=d.code,
        text=d.text,
        url_code=d.code,
        y=y,
        text_y=y + BAR - 1,
        x=left,
        width=max(right - left, 2),
        fill=f"url(#pattern-{status.value})" if pattern else fill,
        pattern=pattern,
        status=status.value,
        note=", ".join(str(n) for n in notes),
        milestones=marks,
    )


def _legend(y: float) -> list[LegendItem]:
    items = []
    x = CHART_X
    for status in Status:
        fill, pattern = STATUS_LOOK[status]
        items.append(
            LegendItem(
                x=x,
                y=y,
                fill=f"url(#pattern-{status.value})" if pattern else fill,
                pattern=pattern,
                label=str(status.label),
            )
        )
        x += 120
    return items


def patterns() -> list[tuple[str, str, str]]:
    """(status, background colour, kind) for the SVG <pattern> definitions."""
    return [(status.value, fill, pattern) for status, (fill, pattern) in STATUS_LOOK.items() if pattern]
