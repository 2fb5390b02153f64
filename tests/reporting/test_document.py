"""The review as a document: cover defaults, numbered paragraphs and chart geometry."""

import dataclasses
import datetime
import re

import pytest

from deliverables.models import Status
from reporting import written as w
from reporting.assembly import assemble_review
from reporting.charts import CHART_WIDTH, TARGET_ROWS_PER_CHART, status_chart, target_charts
from reporting.document import (
    Cover,
    ItemList,
    Para,
    Span,
    compose,
    cover_warnings,
    default_cover,
    session_opening,
)
from reporting.written import Block, Run, WrittenText
from tests.factories import grow_plan, record

from .helpers import CUT_OFF, make_example


@pytest.fixture
def document(plan, users):
    record(plan.deliverables.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=7)
    make_example(users["focal_a"], codes=["1.1.1"])
    return compose(assemble_review(plan, CUT_OFF), default_cover(plan))


def test_the_default_cover_is_that_of_the_2023_review(plan):
    cover = default_cover(plan)
    assert (cover.session, cover.place, cover.session_dates) == (
        "347th Session",
        "Geneva",
        "13–23 March 2023",
    )
    assert (cover.symbol, cover.section, cover.segment) == (
        "GB.347/POL/3",
        "Policy Development Section",
        "Development Cooperation Segment",
    )
    assert "PARDEV" in cover.author_unit
    assert cover.related == ["GB.340/POL/6", "GB.340/POL/PV", "GB.341/POL/4"]


def test_the_default_purpose_says_the_340th_session_requested_the_review(plan):
    purpose = default_cover(plan).purpose
    assert "which the Governing Body requested at its 340th Session (October–November 2020)" in purpose
    assert "341st" not in purpose


def test_the_default_decision_is_in_the_form_of_the_real_one_without_a_final_review(plan):
    decision = default_cover(plan).decision
    assert decision.startswith(
        "The Governing Body took note of the mid-term review of the ILO Development Cooperation Strategy "
        "2020–25 and its implementation plan contained in document GB.347/POL/3 and requested the "
        "Director-General to consider the Governing Body's guidance"
    )
    assert "final review" not in decision


def test_the_introduction_states_the_request_with_its_record_in_a_footnote(document):
    first = document.introduction[0]
    assert first.text.startswith("At its 340th Session (October–November 2020), the Governing Body endorsed")
    assert "which was invited to endorse it" in first.text
    (note,) = [span.footnote for span in first.spans if span.footnote]
    assert (note.number, note.text) == (1, "GB.340/POL/PV, para. 156.")
    assert document.footnotes == (note,)


def test_paragraphs_are_numbered_once_each_in_reading_order(document):
    numbers = [p.number for p in document.introduction + document.overview]
    numbers += [p.number for area in document.areas for p in area.paragraphs]
    numbers += [p.number for p in document.decision]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_purpose_names_the_paragraph_of_the_draft_decision(document):
    assert document.decision_text == document.cover.decision
    assert document.purpose_with_reference.endswith(
        f"(see the draft decision in paragraph {document.decision_number})."
    )


def test_the_document_date_is_a_friday_six_weeks_before_the_session_unless_one_is_given(document):
    # The 347th Session opened on Monday 13 March 2023.
    assert document.date == datetime.date(2023, 1, 27)
    assert document.date.weekday() == 4
    undated = compose(document.review, dataclasses.replace(document.cover, document_date=None))
    assert undated.date == datetime.date(2023, 1, 27) != CUT_OFF
    dated = compose(
        document.review, dataclasses.replace(document.cover, document_date=datetime.date(2023, 2, 10))
    )
    assert dated.date == datetime.date(2023, 2, 10)
    assert dated.metadata_date == "2023-02-10T00:00:00Z"


@pytest.mark.parametrize(
    "dates, opens",
    [
        ("13–23 March 2023", datetime.date(2023, 3, 13)),
        ("30 October–13 November 2020", datetime.date(2020, 10, 30)),
        ("March 2023", datetime.date(2023, 3, 1)),
        ("sometime soon", None),
    ],
)
def test_the_opening_day_is_read_from_the_session_dates(dates, opens):
    assert session_opening(dates) == opens


def test_a_cover_dated_after_the_session_opens_or_before_the_cut_off_is_warned_about(plan):
    cover = default_cover(plan)
    assert cover_warnings(cover, CUT_OFF) == []
    late = dataclasses.replace(cover, document_date=datetime.date(2023, 3, 14))
    (warning,) = cover_warnings(late, CUT_OFF)
    assert warning == "The document date, 14 March 2023, is after the session opens (13 March 2023)."
    early = dataclasses.replace(cover, document_date=datetime.date(2022, 12, 1))
    (warning,) = cover_warnings(early, CUT_OFF)
    assert "is before the cut-off date of the review (31 December 2022)" in warning
    unreadable = dataclasses.replace(cover, session_dates="spring", symbol="GB.347/POL/9")
    assert len(cover_warnings(unreadable, CUT_OFF)) == 2  # no opening day; the decision names GB.347/POL/3


def test_the_cover_survives_a_round_trip_through_json(plan):
    cover = dataclasses.replace(default_cover(plan), document_date=CUT_OFF)
    assert Cover.from_json(cover.as_json()) == cover


def test_generated_sentences_spell_out_one_to_nine_and_leave_out_empty_statuses(document):
    text = " ".join(p.text for p in document.overview + document.areas[0].paragraphs)
    assert "one on track" in text  # 1.4.1, recorded by the fixture
    assert re.search(r"\b[1-9] (on track|at risk|delayed|not started|of the)\b", text) is None
    assert "none of the 32 deliverables had been achieved" in text and "Annex" not in text and "%" not in text


# ---------------------------------------------------------------------------
# Written sections, placed and numbered with the generated paragraphs
# ---------------------------------------------------------------------------


def para(text: str, *runs: Run) -> Block:
    return Block(Block.PARAGRAPH, (Run(text), *runs))


WRITTEN = WrittenText(
    {
        w.INTRODUCTION: (para("The context changed."),),
        w.STRATEGY: (para("The Strategy held.", Run(" Mostly", emphasis=True)),),
        w.area_key(1, "challenges"): (
            para("Funding was short.", Run("", footnote=(Run("See GB.346/POL/5."),))),
            Block(Block.BULLET, (Run("first"),)),
            Block(Block.BULLET, (Run("second", strong=True),)),
            para("It improved."),
        ),
        w.area_key(3, "lessons"): (para("Start early.", Run("", footnote=(Run("ILO, 2022."),))),),
        w.WAY_FORWARD: (para("Keep going."),),
        w.GUIDANCE: (Block(Block.NUMBERED, (Run("Which priorities?"),)),),
    }
)


@pytest.fixture
def drafted(document):
    return compose(document.review, document.cover, WRITTEN)


def test_written_paragraphs_follow_the_generated_ones_of_their_part(document, drafted):
    generated = len(document.introduction)
    assert [p.text for p in drafted.introduction[generated:]] == ["The context changed."]
    assert drafted.introduction[generated].number == generated + 1
    assert drafted.overview[0].number == generated + 2
    (strategy,) = drafted.strategy
    assert strategy.number == drafted.overview[-1].number + 1
    assert strategy.spans[1] == Span(" Mostly", emphasis=True)


def test_written_focus_area_sections_come_after_its_status_text_with_their_headings(drafted):
    first, second, third, _fourth = drafted.areas
    assert [(part.key, part.heading) for part in first.written] == [("area1_challenges", "Challenges")]
    assert second.written == ()
    assert [part.heading for part in third.written] == ["Lessons learned"]
    paragraph, items, last = first.written[0].content
    assert paragraph.number == first.paragraphs[-1].number + 1
    assert isinstance(items, ItemList) and not items.ordered
    assert [(item.number, item.text) for item in items.items] == [(None, "first"), (None, "second")]
    assert items.items[1].spans[0].strong
    assert last.number == paragraph.number + 1  # list items take no number
    assert second.paragraphs[0].number == last.number + 1


def test_every_paragraph_number_is_used_once_in_reading_order(drafted):
    numbers = []
    for content in (drafted.introduction, drafted.overview, drafted.strategy):
        numbers += [p.number for p in content if isinstance(p, Para)]
    for area in drafted.areas:
        numbers += [p.number for p in area.paragraphs]
        numbers += [p.number for part in area.written for p in part.content if isinstance(p, Para)]
    for content in (drafted.way_forward, drafted.guidance, drafted.decision):
        numbers += [p.number for p in content if isinstance(p, Para)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert drafted.decision_number == numbers[-1]


def test_footnotes_are_numbered_through_the_document(drafted):
    assert [(note.number, note.text) for note in drafted.footnotes] == [
        (1, "GB.340/POL/PV, para. 156."),
        (2, "See GB.346/POL/5."),
        (3, "ILO, 2022."),
    ]


def test_way_forward_and_guidance_get_numbered_parts_only_when_written(document, drafted):
    assert list(document.headings.values()) == [
        "I. Introduction",
        "II. Overview of progress",
        "III. Progress by focus area",
    ]
    assert drafted.headings["way_forward"] == "IV. Way forward"
    assert drafted.headings["guidance"] == "V. Points for the Governing Body's guidance"
    (guidance,) = drafted.guidance
    assert guidance.ordered and guidance.items[0].number is None


def test_a_written_decision_replaces_the_cover_decision(document):
    decision = (para("The Governing Body took note of document GB.347/POL/3."),)
    drafted = compose(document.review, document.cover, WrittenText({w.DECISION: decision}))
    assert drafted.decision_text == "The Governing Body took note of document GB.347/POL/3."
    assert drafted.purpose_with_reference.endswith(f"paragraph {drafted.decision_number}).")


def test_empty_written_sections_print_nothing(document):
    empty = compose(document.review, document.cover, WrittenText({w.STRATEGY: (), w.WAY_FORWARD: ()}))
    assert empty.strategy == () and empty.way_forward == ()
    assert all(area.written == () for area in empty.areas)
    assert "way_forward" not in empty.headings


def test_every_bar_label_and_legend_entry_of_the_status_chart_stays_inside_it(document):
    chart = status_chart(document.review)
    assert [row.label for row in chart.rows] == [
        "1. Services to constituents",
        "2. Partnerships for Policy Coherence",
        "3. Partnerships for funding",
        "4. Decent work results, efficiency, transparency",
    ]
    assert all(len(row.lines) <= 2 for row in chart.rows)
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
    assert first.caption == "Target: 10 partnerships"  # what the target counts, under its bar


def test_each_figure_has_an_alternative_text_and_patterns_for_black_and_white(document):
    chart = status_chart(document.review)
    assert chart.description.startswith(
        "Deliverables by status in each focus area. 1. Services to constituents:"
    )
    patterns = {item.label: item.pattern for item in chart.legend}
    assert patterns["On track"] and patterns["At risk"] and patterns["Delayed"]
    assert len({patterns[label] for label in ("On track", "At risk", "Delayed", "Discontinued")}) == 4
    (targets,) = document.target_charts
    assert "1.4.1: 7 of 10 partnerships" in targets.description


def test_a_long_series_of_targets_is_split_so_that_no_chart_is_taller_than_a_page(plan, users):
    grow_plan(plan, users["hq"], factor=10)
    rows = assemble_review(plan, CUT_OFF).with_targets
    charts = target_charts(rows)
    assert len(charts) == -(-len(rows) // TARGET_ROWS_PER_CHART)
    assert sum(len(chart.rows) for chart in charts) == len(rows)
