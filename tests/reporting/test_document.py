"""The review as a document: cover defaults, numbered paragraphs and chart geometry."""

import dataclasses
import datetime

import pytest

from deliverables.models import Status
from reporting.assembly import assemble_review
from reporting.charts import CHART_WIDTH, TARGET_ROWS_PER_CHART, status_chart, target_charts
from reporting.document import Cover, compose, default_cover
from tests.factories import grow_plan, record

from .helpers import CUT_OFF, make_example


@pytest.fixture
def document(plan, users):
    record(plan.deliverables.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=7)
    make_example(users["focal_a"], codes=["1.1.1"])
    return compose(assemble_review(plan, CUT_OFF), default_cover(plan))


def test_the_default_cover_is_that_of_the_2023_review(plan):
    cover = default_cover(plan)
    assert (cover.session, cover.place, cover.session_dates) == ("347th Session", "Geneva", "March 2023")
    assert (cover.symbol, cover.section, cover.segment) == (
        "GB.347/POL/3",
        "Policy Development Section",
        "Development Cooperation Segment",
    )
    assert "PARDEV" in cover.author_unit
    assert cover.related == ["GB.341/POL/4"]
    assert cover.decision.startswith("The Governing Body took note of the mid-term review")
    assert "requested the Director-General to take into account its guidance" in cover.decision


def test_paragraphs_are_numbered_once_each_in_reading_order(document):
    numbers = [p.number for p in document.introduction + document.overview]
    numbers += [p.number for area in document.areas for p in area.paragraphs]
    numbers.append(document.decision.number)
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_purpose_names_the_paragraph_of_the_draft_decision(document):
    assert document.decision.text == document.cover.decision
    assert document.purpose_with_reference.endswith(
        f"(see the draft decision in paragraph {document.decision.number})."
    )


def test_the_document_is_dated_on_the_cut_off_unless_a_date_is_given(document):
    assert document.date == CUT_OFF
    assert document.metadata_date == "2022-12-31T00:00:00Z"
    dated = compose(
        document.review, dataclasses.replace(document.cover, document_date=datetime.date(2023, 2, 10))
    )
    assert dated.date == datetime.date(2023, 2, 10)
    assert dated.metadata_date == "2023-02-10T00:00:00Z"


def test_the_cover_survives_a_round_trip_through_json(plan):
    cover = dataclasses.replace(default_cover(plan), document_date=CUT_OFF)
    assert Cover.from_json(cover.as_json()) == cover


def test_every_bar_label_and_legend_entry_of_the_status_chart_stays_inside_it(document):
    chart = status_chart(document.review)
    assert [row.label for row in chart.rows] == [
        "Focus area 1",
        "Focus area 2",
        "Focus area 3",
        "Focus area 4",
    ]
    for row in chart.rows:
        assert all(bar.x + bar.width <= CHART_WIDTH for bar in row.bars)
        assert row.note_x + 30 <= CHART_WIDTH
    for item in chart.legend:
        assert item.text_x + 7 * len(item.label) <= CHART_WIDTH
    assert chart.height >= max(item.y for item in chart.legend) + 14


def test_the_stacked_bars_add_up_to_the_focus_area_on_a_common_scale(document):
    chart = status_chart(document.review)
    widths = [sum(bar.width for bar in row.bars) for row in chart.rows]
    totals = [section.total for section in document.review.focus_areas]
    largest = max(totals)
    for width, total in zip(widths, totals, strict=True):
        assert width == pytest.approx(widths[totals.index(largest)] * total / largest, abs=0.1)


def test_the_target_chart_shows_progress_against_each_target(document):
    (chart,) = document.target_charts
    first = chart.rows[0]
    assert (first.label, first.note) == ("1.4.1", "7 of 10")
    target, achieved = first.bars
    assert achieved.width == pytest.approx(target.width * 0.7, abs=0.1)
    assert first.caption == "partnerships"


def test_a_long_series_of_targets_is_split_so_that_no_chart_is_taller_than_a_page(plan, users):
    grow_plan(plan, users["hq"], factor=10)
    rows = assemble_review(plan, CUT_OFF).with_targets
    charts = target_charts(rows)
    assert len(charts) == -(-len(rows) // TARGET_ROWS_PER_CHART)
    assert sum(len(chart.rows) for chart in charts) == len(rows)
