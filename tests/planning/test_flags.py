"""The stale flag and overdue milestones, around their boundaries, as QuerySet
verbs, model methods and on the pages."""

import datetime

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from deliverables.models.plan import months_before
from planning.models import Milestone
from tests.factories import PASSWORD, record

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 7, 15), 6, D(2023, 1, 15)),
        (D(2023, 8, 31), 6, D(2023, 2, 28)),  # no 31 February: the month's last day
        (D(2024, 8, 31), 6, D(2024, 2, 29)),
        (D(2023, 3, 10), 6, D(2022, 9, 10)),  # across a year
        (D(2023, 1, 1), 12, D(2022, 1, 1)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


def test_a_deliverable_is_stale_the_day_after_its_update_turns_six_months_old(plan, users):
    d = Deliverable.objects.get(code="1.4.1")
    record(d, users["hq"], Status.ON_TRACK, as_of=D(2023, 1, 15), progress=1)
    d.refresh_from_db()
    on_the_day, day_after = D(2023, 7, 15), D(2023, 7, 16)
    assert not d.is_stale(on_the_day)
    assert d.is_stale(day_after)
    assert not Deliverable.objects.stale(on_the_day).filter(pk=d.pk).exists()
    assert Deliverable.objects.stale(day_after).filter(pk=d.pk).exists()
    flags = Deliverable.objects.with_flags(day_after).get(pk=d.pk)
    assert flags.stale is True


def test_the_stale_limit_is_a_setting(plan, users, settings):
    d = Deliverable.objects.get(code="1.4.1")
    record(d, users["hq"], Status.ON_TRACK, as_of=D(2023, 1, 15), progress=1)
    settings.DCPLAN_STALE_MONTHS = 12
    assert not Deliverable.objects.stale(D(2023, 7, 16)).filter(pk=d.pk).exists()
    assert Deliverable.objects.stale(D(2024, 1, 16)).filter(pk=d.pk).exists()


def test_closed_and_never_updated_deliverables_are_not_stale(plan, users):
    achieved = Deliverable.objects.get(code="1.1.1")
    record(achieved, users["hq"], Status.ACHIEVED, as_of=D(2021, 6, 1))
    stale = Deliverable.objects.stale(D(2025, 1, 1))
    assert not stale.filter(code="1.1.1").exists()
    assert not stale.filter(code="1.2.1").exists()  # no update at all: "no update yet"
    assert stale.count() == 0


def test_a_milestone_is_overdue_from_the_day_after_its_due_date_until_done(plan, users):
    d = Deliverable.objects.get(code="2.2.1")
    m = Milestone.objects.create(deliverable=d, title="Draft", due_on=D(2023, 3, 1), updated_by=users["hq"])
    assert not m.is_overdue(D(2023, 3, 1))
    assert m.is_overdue(D(2023, 3, 2))
    assert not Deliverable.objects.with_overdue_milestones(D(2023, 3, 1)).exists()
    assert list(Deliverable.objects.with_overdue_milestones(D(2023, 3, 2))) == [d]
    assert Deliverable.objects.with_flags(D(2023, 3, 2)).get(pk=d.pk).overdue_milestones == 1
    m.done_on = D(2023, 3, 5)
    m.save()
    assert not Deliverable.objects.with_overdue_milestones(D(2023, 4, 1)).exists()
    assert Deliverable.objects.with_flags(D(2023, 4, 1)).get(pk=d.pk).overdue_milestones == 0


def test_the_list_the_page_and_the_dashboard_show_the_flags(client, plan, users):
    d = Deliverable.objects.get(code="2.2.1")
    record(d, users["hq"], Status.ON_TRACK, as_of=D(2021, 2, 1), progress=1)
    Milestone.objects.create(deliverable=d, title="First draft", due_on=D(2021, 3, 1), updated_by=users["hq"])
    client.login(username="hq", password=PASSWORD)
    listing = client.get(reverse("deliverables:list") + "?stale=on").content.decode()
    assert "2.2.1" in listing and "Stale" in listing and "1 overdue milestone" in listing
    assert "1.4.1" not in listing
    late = client.get(reverse("deliverables:list") + "?late_milestones=on").content.decode()
    assert "2.2.1" in late and "1.4.1" not in late
    page = client.get(reverse("deliverables:detail", args=["2.2.1"])).content.decode()
    assert "Stale" in page and "First draft" in page and "1 overdue milestone" in page
    board = client.get(reverse("deliverables:dashboard"))
    follow_up = board.context["follow_up"]
    assert (follow_up.stale, follow_up.late_milestones, follow_up.no_lead_unit) == (1, 1, 32)
    assert "32 deliverables with no lead unit yet" in board.content.decode()
