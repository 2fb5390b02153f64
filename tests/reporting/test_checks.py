"""Checks before issuing: each fires on data built to trigger it and is silent
on clean data; the preview lists them; issuing requires acknowledging each."""

import datetime

import pytest
from django.urls import reverse

from dcplan.once import new_nonce
from deliverables.models import Deliverable, Status
from reporting.checks import Check, months_before, normalised, review_checks
from reporting.models import IssuedReview
from reporting.services import UnacknowledgedWarnings, review_issue
from tests.factories import grow_plan, record

from .helpers import CUT_OFF, grow_examples, make_example

pytestmark = pytest.mark.django_db
RECENT = datetime.date(2022, 10, 1)
AREA_CODES = ("1.1.1", "2.1.1", "3.1.1", "4.1.1")


def deliverable(code: str) -> Deliverable:
    return Deliverable.objects.get(code=code)


@pytest.fixture
def clean(plan, users):
    """Recent, distinct updates and one citable example per focus area: no warning."""
    for n, code in enumerate(AREA_CODES):
        record(
            deliverable(code),
            users["hq"],
            Status.ON_TRACK,
            as_of=RECENT,
            narrative=f"Step {n} done as planned.",
        )
        make_example(users["focal_a"], title=f"Example for {code}", codes=(code,))
    return plan


def codes(plan, as_of=CUT_OFF) -> list[str]:
    return [check.code for check in review_checks(plan, as_of)]


def test_clean_data_gives_no_warning(clean):
    assert review_checks(clean, CUT_OFF) == []


def test_a_target_reached_while_at_risk_or_delayed_is_a_warning(clean, users):
    target = Deliverable.objects.filter(plan=clean, target_value__isnull=False).exclude(code__in=AREA_CODES)
    reached, below = target[0], target[1]
    record(reached, users["hq"], Status.AT_RISK, as_of=RECENT, progress=reached.target_value)
    record(below, users["hq"], Status.DELAYED, as_of=RECENT, progress=below.target_value - 1)
    (check,) = review_checks(clean, CUT_OFF)
    assert check.code == Check.TARGET_REACHED_BUT_LATE and check.objects == (reached.code,)
    assert "At risk" in check.message and check.link == reverse("deliverables:detail", args=[reached.code])
    record(reached, users["hq"], Status.ACHIEVED, as_of=RECENT, progress=reached.target_value)
    assert review_checks(clean, CUT_OFF) == []


def test_an_example_credited_to_a_deliverable_not_started_at_the_cut_off_is_a_warning(clean, users):
    example = make_example(users["focal_a"], title="Too early", codes=("1.2.1", "1.1.1"))
    record(
        deliverable("1.3.1"), users["hq"], Status.NOT_STARTED, as_of=RECENT, narrative="Not yet begun here."
    )
    make_example(users["focal_a"], title="Not started either", codes=("1.3.1",))
    checks = [c for c in review_checks(clean, CUT_OFF) if c.code == Check.EXAMPLE_BEFORE_START]
    assert [c.objects for c in checks] == [("Too early", "1.2.1"), ("Not started either", "1.3.1")] or [
        c.objects for c in checks
    ] == [("Not started either", "1.3.1"), ("Too early", "1.2.1")]
    assert reverse("examples:detail", args=[example.pk]) in {c.link for c in checks}
    # Started before the cut-off: no longer a warning (a later start does not count).
    record(
        deliverable("1.2.1"),
        users["hq"],
        Status.ON_TRACK,
        as_of=datetime.date(2022, 11, 1),
        narrative="Began.",
    )
    record(
        deliverable("1.3.1"), users["hq"], Status.ON_TRACK, as_of=datetime.date(2023, 2, 1), narrative="Now."
    )
    assert [c.objects for c in review_checks(clean, CUT_OFF)] == [("Not started either", "1.3.1")]


def test_an_open_deliverable_last_updated_more_than_six_months_before_the_cut_off_is_a_warning(clean, users):
    record(
        deliverable("2.2.1"),
        users["hq"],
        Status.ON_TRACK,
        as_of=datetime.date(2022, 6, 29),
        narrative="Old news.",
    )
    record(
        deliverable("2.2.2"),
        users["hq"],
        Status.ON_TRACK,
        as_of=datetime.date(2022, 6, 30),
        narrative="Just fresh.",
    )
    record(
        deliverable("2.3.1"),
        users["hq"],
        Status.ACHIEVED,
        as_of=datetime.date(2021, 5, 1),
        narrative="Done long ago.",
    )
    (check,) = review_checks(clean, CUT_OFF)
    assert check.code == Check.STALE_UPDATES and check.objects == ("2.2.1",)
    assert "before 30 June 2022" in check.message


def test_the_same_narrative_on_several_deliverables_is_a_warning_whatever_the_punctuation(clean, users):
    record(deliverable("3.2.1"), users["hq"], narrative="Work is progressing as planned.", as_of=RECENT)
    record(deliverable("3.2.2"), users["hq"], narrative="work is  progressing, as planned", as_of=RECENT)
    record(deliverable("4.2.1"), users["hq"], narrative="Work is progressing as planned!", as_of=RECENT)
    record(deliverable("4.2.2"), users["hq"], narrative="Done.", as_of=RECENT)
    record(deliverable("4.3.1"), users["hq"], narrative="Done.", as_of=RECENT)  # under three words: fine
    (check,) = review_checks(clean, CUT_OFF)
    assert check.code == Check.DUPLICATE_NARRATIVE and check.objects == ("3.2.1", "3.2.2", "4.2.1")
    assert "Work is progressing as planned." in check.message


def test_a_focus_area_without_a_citable_example_is_a_warning(plan, users):
    for n, code in enumerate(AREA_CODES):
        record(
            deliverable(code), users["hq"], Status.ON_TRACK, as_of=RECENT, narrative=f"Step {n} on its way."
        )
    make_example(users["focal_a"], title="One", codes=("1.1.1", "3.1.1"))
    make_example(users["focal_a"], title="Not citable", codes=("2.1.1",), may_be_cited=False)
    make_example(users["focal_a"], title="Later", codes=("4.1.1",), approved_on=datetime.date(2023, 1, 5))
    checks = review_checks(plan, CUT_OFF)
    assert [(c.code, c.objects) for c in checks] == [
        (Check.AREA_WITHOUT_EXAMPLE, ("2",)),
        (Check.AREA_WITHOUT_EXAMPLE, ("4",)),
    ]
    assert checks[0].link == reverse("examples:coverage")
    assert [c.objects for c in review_checks(plan, datetime.date(2023, 1, 31))] == [("2",)]


def test_a_warning_keeps_its_key_while_the_contradiction_stays_the_same(clean, users):
    record(deliverable("2.2.1"), users["hq"], as_of=datetime.date(2021, 6, 1), narrative="Old.")
    first = review_checks(clean, CUT_OFF)[0].key
    assert review_checks(clean, CUT_OFF)[0].key == first
    record(deliverable("2.2.2"), users["hq"], as_of=datetime.date(2021, 6, 1), narrative="Old too.")
    assert review_checks(clean, CUT_OFF)[0].key != first  # a new deliverable concerned: a new warning


def test_helpers():
    assert months_before(datetime.date(2022, 8, 31), 6) == datetime.date(2022, 2, 28)
    assert months_before(datetime.date(2024, 8, 31), 6) == datetime.date(2024, 2, 29)
    assert months_before(datetime.date(2023, 3, 15), 6) == datetime.date(2022, 9, 15)
    assert normalised(" Work  is\nprogressing, as PLANNED. ") == "work is progressing as planned"


def test_review_checks_runs_a_fixed_number_of_queries(clean, users, django_assert_num_queries):
    with django_assert_num_queries(7):
        review_checks(clean, CUT_OFF)
    grow_plan(clean, users["hq"], factor=5)
    grow_examples(clean, users["focal_a"], count=40)
    with django_assert_num_queries(7):
        review_checks(clean, CUT_OFF)


# The preview panel and issuing


def test_the_preview_lists_the_warnings_with_links_to_fix_them(client, clean, users):
    record(deliverable("2.2.1"), users["hq"], as_of=datetime.date(2021, 6, 1), narrative="Old.")
    client.force_login(users["hq"])
    page = client.get(reverse("reporting:preview")).content.decode()
    panel = page[
        page.index('class="review-checks"') : page.index("</section>", page.index('class="review-checks"'))
    ]
    assert "1 warning: a contradiction" in panel
    assert "1 open deliverable was last updated before 30 June 2022" in panel
    assert f'href="{reverse("deliverables:list")}?sort=updated"' in panel
    assert 'name="acknowledge"' not in page  # headquarters staff do not issue


def test_a_clean_preview_says_so(client, clean, users):
    client.force_login(users["manager"])
    page = client.get(reverse("reporting:preview")).content.decode()
    assert "No contradiction found in the data this review prints." in page


def test_the_preview_with_its_panel_runs_a_fixed_number_of_queries(
    client, clean, users, django_assert_num_queries
):
    from .test_views import PREVIEW_QUERIES

    client.force_login(users["manager"])
    record(deliverable("2.2.1"), users["hq"], as_of=datetime.date(2021, 6, 1), narrative="Old.")
    with django_assert_num_queries(PREVIEW_QUERIES):
        small = client.get(reverse("reporting:preview")).content.decode()
    grow_plan(clean, users["hq"], factor=10)
    grow_examples(clean, users["focal_a"], count=100)
    with django_assert_num_queries(PREVIEW_QUERIES):
        big = client.get(reverse("reporting:preview")).content.decode()
    assert small.count('name="acknowledge"') == 1
    assert big.count('name="acknowledge"') >= 1 and "open deliverables were last updated" in big


def test_issuing_without_acknowledging_every_warning_is_refused_and_issues_nothing(client, clean, users):
    record(deliverable("2.2.1"), users["hq"], as_of=datetime.date(2021, 6, 1), narrative="Old.")
    make_example(users["focal_a"], title="Too early", codes=("1.2.1",))
    keys = [check.key for check in review_checks(clean, CUT_OFF)]
    assert len(keys) == 2
    client.force_login(users["manager"])
    response = client.post(reverse("reporting:issue"), {"acknowledge": keys[:1], "once": new_nonce()})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Acknowledge every warning before issuing." in page and "Too early" in page
    assert f'value="{keys[0]}" id="ack-1" checked' in page or f'value="{keys[0]}" id="ack-2" checked' in page
    assert not IssuedReview.objects.exists()
    with pytest.raises(UnacknowledgedWarnings):
        review_issue(plan=clean, as_of=CUT_OFF, cover=None, user=users["manager"], acknowledged=["made:up"])


def test_issuing_keeps_the_acknowledgements_and_the_written_text_and_lists_them(client, clean, users):
    from reporting.drafting import section_save
    from reporting.models import ReviewDraft

    section_save(
        draft=ReviewDraft.objects.for_cut_off(clean, CUT_OFF),
        key="introduction",
        text="By {cut_off}, {achieved} achieved.",
        user=users["hq"],
        seen_version=0,
    )
    record(deliverable("2.2.1"), users["hq"], as_of=datetime.date(2021, 6, 1), narrative="Old.")
    (check,) = review_checks(clean, CUT_OFF)
    client.force_login(users["manager"])
    response = client.post(reverse("reporting:issue"), {"acknowledge": [check.key], "once": new_nonce()})
    assert response.status_code == 302
    issued = IssuedReview.objects.get()
    assert issued.written == {"introduction": "By {cut_off}, {achieved} achieved."}
    (ack,) = issued.acknowledgements
    assert (ack["code"], ack["message"], ack["by"]) == (check.code, check.message, "manager")
    assert ack["at"].startswith(issued.issued_at.isoformat()[:16])
    listing = client.get(reverse("reporting:issued")).content.decode()
    assert "1 warning" in listing and check.message in listing and "acknowledged by manager" in listing
