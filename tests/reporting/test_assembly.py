"""The review's data as of a cut-off date, without rendering anything."""

import datetime

import pytest

from deliverables.models import Deliverable, Office, Status, StatusUpdate
from examples.models import ProgressExample
from reporting.assembly import assemble_review, citable_examples
from tests.factories import grow_plan, record

from .helpers import CUT_OFF, State, at, grow_examples, make_example

ASSEMBLY_QUERIES = 7


def d(code: str) -> Deliverable:
    return Deliverable.objects.get(code=code)


@pytest.fixture
def history(plan, users):
    """A small, known history around the cut-off of 31 December 2022."""
    hq = users["hq"]
    record(d("1.1.1"), hq, Status.ON_TRACK, as_of=datetime.date(2021, 6, 30), narrative="Drafting.")
    record(d("1.1.1"), hq, Status.ACHIEVED, as_of=datetime.date(2022, 11, 15), narrative="Published.")
    record(
        d("1.4.1"),
        hq,
        Status.ON_TRACK,
        as_of=datetime.date(2022, 3, 31),
        progress=4,
        narrative="Four signed.",
    )
    record(
        d("1.4.1"),
        hq,
        Status.ACHIEVED,
        as_of=datetime.date(2023, 6, 30),
        progress=10,
        narrative="Ten signed.",
    )
    record(
        d("3.1.1"), hq, Status.ACHIEVED, as_of=datetime.date(2022, 9, 30), progress=2, narrative="Both held."
    )
    record(d("2.2.2"), hq, Status.DELAYED, as_of=datetime.date(2022, 5, 1), narrative="Workshops postponed.")
    record(d("4.1.1"), hq, Status.AT_RISK, as_of=CUT_OFF, narrative="Funding gap on the last day.")
    record(d("4.2.1"), hq, Status.ON_TRACK, as_of=CUT_OFF + datetime.timedelta(days=1), narrative="Too late.")
    return plan


def row(review, code):
    return next(r for r in review.deliverables if r.code == code)


def test_a_deliverable_shows_its_latest_update_on_or_before_the_cut_off(history):
    review = assemble_review(history, CUT_OFF)
    achieved = row(review, "1.1.1")
    assert (achieved.status, achieved.narrative, achieved.reported_on) == (
        Status.ACHIEVED,
        "Published.",
        datetime.date(2022, 11, 15),
    )
    earlier = assemble_review(history, datetime.date(2022, 6, 30))
    assert (row(earlier, "1.1.1").status, row(earlier, "1.1.1").narrative) == (Status.ON_TRACK, "Drafting.")


def test_an_update_dated_on_the_cut_off_day_counts(history):
    assert row(assemble_review(history, CUT_OFF), "4.1.1").status == Status.AT_RISK


def test_updates_dated_after_the_cut_off_never_leak_in_even_when_they_are_current(history):
    # 1.4.1 is achieved today (its current fields say so) but was on track at the cut-off.
    assert d("1.4.1").status == Status.ACHIEVED
    review = assemble_review(history, CUT_OFF)
    late = row(review, "1.4.1")
    assert (late.status, late.progress_value, late.narrative) == (Status.ON_TRACK, 4, "Four signed.")
    assert "Ten signed." not in [r.narrative for r in review.deliverables]


def test_a_deliverable_without_an_update_by_the_cut_off_is_not_started(history):
    untouched = row(assemble_review(history, CUT_OFF), "4.2.1")
    assert (untouched.status, untouched.narrative, untouched.reported_on) == (Status.NOT_STARTED, "", None)


def test_on_the_same_day_the_update_recorded_last_wins_then_the_higher_version(plan, users):
    deliverable = d("2.1.1")
    day = datetime.date(2022, 4, 1)

    def update(version, status, recorded_hour):
        StatusUpdate.objects.create(
            deliverable=deliverable,
            version=version,
            status=status,
            author=users["hq"],
            as_of=day,
            recorded_at=at(day, recorded_hour),
            narrative=f"v{version}",
        )

    update(1, Status.DELAYED, 15)  # recorded last
    update(2, Status.ON_TRACK, 9)
    assert row(assemble_review(plan, CUT_OFF), "2.1.1").narrative == "v1"
    update(3, Status.AT_RISK, 15)  # recorded at the same moment as v1: the higher version wins
    assert row(assemble_review(plan, CUT_OFF), "2.1.1").narrative == "v3"


def test_the_key_figures_match_the_history(history):
    figures = assemble_review(history, CUT_OFF).key_figures
    counts = {item.status: item.count for item in figures.status_counts}
    assert figures.total == 32
    assert counts == {
        Status.ACHIEVED: 2,  # 1.1.1, 3.1.1
        Status.ON_TRACK: 1,  # 1.4.1 (achieved only in 2023)
        Status.AT_RISK: 1,  # 4.1.1
        Status.DELAYED: 1,  # 2.2.2
        Status.NOT_STARTED: 27,
        Status.DISCONTINUED: 0,
    }
    assert figures.reported == 5
    assert (figures.due_total, figures.due_achieved, figures.due_not_achieved) == (16, 2, 14)
    assert (figures.targets_total, figures.targets_reached) == (6, 1)  # 3.1.1: 2 of 2


def test_the_deliverables_due_by_the_mid_term_year_and_not_achieved_are_listed(history):
    review = assemble_review(history, CUT_OFF)
    missing = [r.code for r in review.due_not_achieved]
    assert "2.2.2" in missing and "4.1.1" in missing
    assert "1.1.1" not in missing and "3.1.1" not in missing
    assert "1.4.1" not in missing  # due in 2025
    assert len(missing) == 14


def test_every_deliverable_appears_once_in_code_order_under_its_focus_area_and_action(history):
    review = assemble_review(history, CUT_OFF)
    codes = [r.code for r in review.deliverables]
    assert codes == list(Deliverable.objects.in_plan(history).in_code_order().values_list("code", flat=True))
    first = review.focus_areas[0]
    assert (first.number, [a.code for a in first.actions]) == (1, ["1.1", "1.2", "1.3", "1.4"])
    assert [r.code for r in first.actions[3].deliverables] == ["1.4.1", "1.4.2", "1.4.3", "1.4.4"]
    assert first.total == 10


def test_p_and_b_links_come_from_the_deliverables_action(history):
    links = row(assemble_review(history, CUT_OFF), "1.4.1")
    assert links.all_policy_outcomes == ("2020–21", "2022–23")
    assert [(o.biennium, o.code) for o in links.pb_outputs] == [("2020–21", "A.4"), ("2022–23", "A.4")]


@pytest.mark.parametrize(
    ("state", "approved_on", "may_be_cited", "counted"),
    [
        (State.APPROVED, datetime.date(2022, 10, 3), True, True),
        (State.APPROVED, CUT_OFF, True, True),
        (State.APPROVED, CUT_OFF + datetime.timedelta(days=1), True, False),
        (State.APPROVED, datetime.date(2022, 10, 3), False, False),
        (State.SUBMITTED, None, True, False),
        (State.RETURNED, None, True, False),
        (State.REJECTED, None, True, False),
        (State.DRAFT, None, True, False),
    ],
)
def test_an_example_counts_only_when_approved_and_cleared_for_citation_by_the_cut_off(
    history, users, state, approved_on, may_be_cited, counted
):
    make_example(
        users["focal_a"], title="The example", state=state, approved_on=approved_on, may_be_cited=may_be_cited
    )
    review = assemble_review(history, CUT_OFF)
    assert [e.title for e in review.examples] == (["The example"] if counted else [])
    assert review.key_figures.examples == (1 if counted else 0)


def test_an_example_approved_late_in_the_evening_of_the_cut_off_day_counts(history, users):
    make_example(users["focal_a"], title="Late", approved_on=None)
    ProgressExample.objects.update(approved_at=at(CUT_OFF, 23))
    assert [e.title for e in assemble_review(history, CUT_OFF).examples] == ["Late"]


def test_an_example_carries_what_the_box_prints(history, users):
    make_example(
        users["focal_a"],
        codes=["1.4.1", "1.1.1"],
        countries=["NG", "GH"],
        involves_workers=True,
        south_south=True,
    )
    example = assemble_review(history, CUT_OFF).examples[0]
    assert example.office == Office.objects.get(code="CO-ABUJA").name
    assert example.region == "Africa"
    assert example.countries == ("Ghana", "Nigeria")
    assert example.constituents == ("Government", "Employers' organizations", "Workers' organizations")
    assert example.deliverable_codes == ("1.1.1", "1.4.1")
    assert (example.number, example.focus_areas, example.south_south) == (1, (1,), True)


def test_an_example_of_two_focus_areas_is_printed_under_the_first_and_referred_to_in_the_second(
    history, users
):
    make_example(users["focal_a"], title="Both", codes=["2.1.1", "3.1.1"])
    make_example(
        users["focal_b"],
        title="Only three",
        office="CO-DHAKA",
        codes=["3.2.1"],
        started_on=datetime.date(2021, 1, 1),
    )
    review = assemble_review(history, CUT_OFF)
    area2, area3 = review.focus_areas[1], review.focus_areas[2]
    assert [e.title for e in area2.examples] == ["Both"]
    assert [e.title for e in area3.examples] == ["Only three"]
    assert [e.title for e in area3.see_also] == ["Both"]
    # Boxes are numbered in the order they are printed.
    assert [(e.number, e.title) for e in review.examples] == [(1, "Both"), (2, "Only three")]


def test_the_assembled_review_is_unchanged_by_later_updates_and_examples(history, users):
    make_example(users["focal_a"], title="Before")
    before = assemble_review(history, CUT_OFF)
    hq = users["hq"]
    later = CUT_OFF + datetime.timedelta(days=10)
    for code in ("1.1.1", "2.2.2", "4.1.1", "4.2.1", "1.4.3"):
        record(d(code), hq, Status.DISCONTINUED, as_of=later, narrative="Changed after the cut-off.")
    make_example(users["focal_b"], title="After", office="CO-DHAKA", approved_on=later)
    make_example(users["focal_b"], title="Never cited", office="CO-DHAKA", may_be_cited=False)
    assert assemble_review(history, CUT_OFF) == before
    assert assemble_review(history, later) != before


def test_the_assembly_runs_the_same_number_of_queries_at_ten_times_the_size(
    history, users, django_assert_num_queries
):
    make_example(users["focal_a"])
    with django_assert_num_queries(ASSEMBLY_QUERIES):
        small = assemble_review(history, CUT_OFF)
    grow_plan(history, users["hq"], factor=10)
    grow_examples(history, users["focal_a"], count=300)
    with django_assert_num_queries(ASSEMBLY_QUERIES):
        big = assemble_review(history, CUT_OFF)
    assert len(big.deliverables) == 10 * len(small.deliverables)
    assert len(big.examples) == 301


def test_an_example_linked_to_several_deliverables_is_cited_once_and_one_linked_to_none_not_at_all(
    history, users
):
    make_example(users["focal_a"], title="Three links", codes=["1.1.1", "1.4.1", "2.1.1"])
    make_example(users["focal_a"], title="No link", codes=[])
    assert [e.title for e in citable_examples(history, CUT_OFF)] == ["Three links"]
