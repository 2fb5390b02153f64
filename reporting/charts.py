"""Chart geometry for the review's inline SVG figures.

Every coordinate is computed here, in the chart's own units (the SVG
viewBox); the template only prints them. Labels are drawn inside a bar only
when they fit, legends wrap instead of running off the chart, and long
series are split so that no figure is taller than a page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from deliverables.models import Status

from .assembly import STATUS_ORDER, DeliverableRow, Review

CHART_WIDTH = 640
LABEL_WIDTH = 110
AREA_LABEL_WIDTH = 200  # figure 1: the focus areas' names, on two lines at most
AREA_ROW_HEIGHT = 34
LINE_HEIGHT = 13
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TEXT_BASELINE = 13  # from the top of a row
CHAR_WIDTH = 7  # a generous average at 11–12 units: estimates never overflow
LEGEND_LINE = 22
TARGET_ROW_HEIGHT = 36  # the bar, then the unit of the target in small type
TARGET_ROWS_PER_CHART = 18
CAPTION_CHAR_WIDTH = 5.6

# Dark enough for white labels where the label is white. Printed in black and
# white, lightness alone does not tell every status apart: the statuses next to
# each other in lightness also carry a pattern (see chart.html).
STATUS_FILL = {
    Status.ACHIEVED: ("#1f6b3a", "#ffffff"),
    Status.ON_TRACK: ("#7cc193", "#10321c"),
    Status.AT_RISK: ("#f0c14b", "#3d2c00"),
    Status.DELAYED: ("#c2452d", "#ffffff"),
    Status.NOT_STARTED: ("#c9ced6", "#1d2330"),
    Status.DISCONTINUED: ("#6b7280", "#ffffff"),
}
STATUS_PATTERN = {
    Status.ON_TRACK: "hatch",
    Status.AT_RISK: "dots",
    Status.DELAYED: "cross",
    Status.DISCONTINUED: "lines",
}
TARGET_FILL = "#ffffff"
PROGRESS_FILL = "#2f5fa7"
REACHED_PATTERN = "hatch"


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    fill: str
    title: str  # the text alternative of the rectangle
    label: str = ""  # drawn inside the bar; empty when it would not fit
    label_x: float = 0
    label_fill: str = ""
    pattern: str = ""  # drawn over the fill, for black-and-white printing

    @property
    def label_box(self) -> tuple[float, float]:
        """x and width of the white ground under the label, which keeps it legible over a pattern."""
        return round(self.label_x - 2, 2), CHAR_WIDTH * len(self.label) + 4


@dataclass(frozen=True)
class ChartRow:
    y: float
    text_y: float
    label: str
    bars: tuple[Bar, ...]
    note: str  # drawn after the bars
    note_x: float
    caption: str = ""  # a smaller line under the bar
    caption_x: float = 0
    caption_y: float = 0
    label_lines: tuple[str, ...] = ()  # the label wrapped, when it takes more than one line

    @property
    def lines(self) -> list[tuple[str, float]]:
        """(text, baseline) of each line of the label."""
        lines = self.label_lines or (self.label,)
        top = self.text_y - (len(lines) - 1) * LINE_HEIGHT / 2
        return [(line, round(top + n * LINE_HEIGHT, 2)) for n, line in enumerate(lines)]


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    fill: str
    label: str
    pattern: str = ""

    @property
    def text_x(self) -> float:
        return self.x + 19

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass(frozen=True)
class Chart:
    id: str  # for the SVG's title element
    width: int
    height: int
    bar_height: int
    rows: tuple[ChartRow, ...]
    legend: tuple[LegendItem, ...]
    description: str = ""  # the figure's alternative text


def status_chart(review: Review) -> Chart:
    """Figure 1: one stacked bar per focus area, named on the axis, all on the scale of the largest."""
    bar_area = CHART_WIDTH - AREA_LABEL_WIDTH - 40
    largest = max((section.total for section in review.focus_areas), default=0) or 1
    rows, described = [], []
    for index, section in enumerate(review.focus_areas):
        y = index * AREA_ROW_HEIGHT + (AREA_ROW_HEIGHT - BAR_HEIGHT) / 2
        x = float(AREA_LABEL_WIDTH)
        bars = []
        for item in section.status_counts:
            if not item.count:
                continue
            width = bar_area * item.count / largest
            fill, label_fill = STATUS_FILL[item.status]
            label = str(item.count)
            fits = width >= CHAR_WIDTH * len(label) + 6
            bars.append(
                Bar(
                    x=round(x, 2),
                    width=round(width, 2),
                    fill=fill,
                    title=f"{item.label}: {item.count}",
                    label=label if fits else "",
                    label_x=round(x + width / 2 - CHAR_WIDTH * len(label) / 2, 2),
                    label_fill=label_fill,
                    pattern=STATUS_PATTERN.get(item.status, ""),
                )
            )
            x += width
        name = _("%(number)s. %(title)s") % {"number": section.number, "title": section.title}
        rows.append(
            ChartRow(
                y=y,
                text_y=y + TEXT_BASELINE,
                label=name,
                label_lines=tuple(_wrap(name, AREA_LABEL_WIDTH - 8, lines=2)),
                bars=tuple(bars),
                note=str(section.total),
                note_x=round(x + 6, 2),
            )
        )
        described.append(
            _("%(area)s: %(counts)s")
            % {"area": name, "counts": ", ".join(bar.title for bar in bars) or _("no deliverables")}
        )
    legend = _legend(
        [
            (STATUS_FILL[status][0], str(status.label), STATUS_PATTERN.get(status, ""))
            for status in STATUS_ORDER
        ],
        len(rows),
        row_height=AREA_ROW_HEIGHT,
    )
    description = _("Deliverables by status in each focus area. %(areas)s.") % {"areas": "; ".join(described)}
    return _chart("figure-1", rows, legend, description, row_height=AREA_ROW_HEIGHT)


def target_charts(rows: list[DeliverableRow]) -> tuple[Chart, ...]:
    """Figure 2: for each deliverable with a numeric target, the target (the full
    bar) and the progress reported (the filled part, green once reached), with
    the unit of the target under the bar."""
    note_width = 110
    bar_area = CHART_WIDTH - LABEL_WIDTH - note_width
    charts = []
    for start in range(0, len(rows), TARGET_ROWS_PER_CHART):
        chart_rows, described = [], []
        for index, row in enumerate(rows[start : start + TARGET_ROWS_PER_CHART]):
            y = index * TARGET_ROW_HEIGHT
            width = bar_area * row.progress_percent / 100
            fill = STATUS_FILL[Status.ACHIEVED][0] if row.target_reached else PROGRESS_FILL
            values = {"value": row.progress_value or 0, "target": row.target_value, "unit": row.target_unit}
            described.append(_("%(code)s: %(value)s of %(target)s %(unit)s") % (values | {"code": row.code}))
            chart_rows.append(
                ChartRow(
                    y=y,
                    text_y=y + TEXT_BASELINE,
                    label=row.code,
                    bars=(
                        Bar(
                            x=LABEL_WIDTH,
                            width=bar_area,
                            fill=TARGET_FILL,
                            title=_("Target: %(target)s %(unit)s") % values,
                        ),
                        Bar(
                            x=LABEL_WIDTH,
                            width=round(width, 2),
                            fill=fill,
                            title=_("Achieved: %(value)s %(unit)s") % values,
                            pattern=REACHED_PATTERN if row.target_reached else "",
                        ),
                    ),
                    note=_("%(value)s of %(target)s") % values,
                    note_x=LABEL_WIDTH + bar_area + 8,
                    caption=_truncate(
                        _("Target: %(target)s %(unit)s") % values, bar_area + note_width, CAPTION_CHAR_WIDTH
                    ),
                    caption_x=LABEL_WIDTH,
                    caption_y=y + BAR_HEIGHT + 11,
                )
            )
        legend = _legend(
            [
                (TARGET_FILL, _("Target"), ""),
                (PROGRESS_FILL, _("Achieved so far"), ""),
                (STATUS_FILL[Status.ACHIEVED][0], _("Target reached"), REACHED_PATTERN),
            ],
            len(chart_rows),
            row_height=TARGET_ROW_HEIGHT,
        )
        description = _("Progress reported against each numeric target. %(targets)s.") % {
            "targets": "; ".join(described)
        }
        charts.append(
            _chart(f"figure-2-{len(charts) + 1}", chart_rows, legend, description, TARGET_ROW_HEIGHT)
        )
    return tuple(charts)


def _truncate(text: str, width: float, char_width: float = CHAR_WIDTH) -> str:
    most = int(width // char_width)
    return text if len(text) <= most else text[: most - 1] + "…"


def _wrap(text: str, width: float, *, lines: int) -> list[str]:
    """`text` in at most `lines` lines of `width` units, the last one truncated if need be."""
    most = int(width // CHAR_WIDTH)
    result, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > most:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    result.append(current)
    if len(result) > lines:
        result = result[: lines - 1] + [_truncate(" ".join(result[lines - 1 :]), width)]
    return [_truncate(line, width) for line in result]


def _legend(
    entries: list[tuple[str, str, str]], row_count: int, row_height: int = ROW_HEIGHT
) -> tuple[LegendItem, ...]:
    items, x, y = [], 0.0, row_count * row_height + 10
    for fill, label, pattern in entries:
        width = 19 + CHAR_WIDTH * len(label) + 18
        if x and x + width > CHART_WIDTH:
            x, y = 0.0, y + LEGEND_LINE
        items.append(LegendItem(x=round(x, 2), y=y, fill=fill, label=label, pattern=pattern))
        x += width
    return tuple(items)


def _chart(
    chart_id: str,
    rows: list[ChartRow],
    legend: tuple[LegendItem, ...],
    description: str,
    row_height: int = ROW_HEIGHT,
) -> Chart:
    bottom = max((item.y for item in legend), default=len(rows) * row_height)
    return Chart(
        id=chart_id,
        width=CHART_WIDTH,
        height=int(bottom + LEGEND_LINE),
        bar_height=BAR_HEIGHT,
        rows=tuple(rows),
        legend=legend,
        description=description,
    )
