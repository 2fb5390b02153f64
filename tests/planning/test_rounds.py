"""Reporting rounds: opening, what a round waits for (per lead unit, per field
office), closing; and every planning page in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables.models import Deliverable, Office, Status
from examples.models import ProgressExample
from planning.models import Milestone, Reminder, ReportingRound
from planning.selectors import round_progress
from tests.factories import PASSWORD, grow_plan, record

D = datetime.date


def make_round(plan, user, **kwargs) -> ReportingRound:
    fields = dict(
        name="Mid-term review 2023",
        opens_on=D(2022, 7, 1),
        cut_off=D(2022, 12, 31),
        updates_due=D(2023, 1, 31),
        examples_due=D(2023, 2, 15),
        opened_by=user,
    )
    return ReportingRound.objects.create(plan=plan, **(fields | kwargs))


def test_opening_a_round_and_a_refused_form_keeps_what_was_typed(client, plan, users):
    client.login(username="hq", password=PASSWORD)
    bad = {
        "name": "Mid-term review 2023",
        "opens_on": "2023-01-01",
        "cut_off": "2022-12-31",
        "updates_due": "2023-01-31",
        "examples_due": "2023-01-31",
    }
    response = client.post(reverse("planning:round_open"), bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The cut-off date cannot be before the period starts." in page
    assert 'value="Mid-term review 2023"' in page and 'value="2023-01-31"' in page
    assert not ReportingRound.objects.exists()
    response = client.post(reverse("planning:round_open"), bad | {"opens_on": "2022-07-01"})
    round = ReportingRound.objects.get()
    assert response["Location"] == reverse("planning:round", args=[round.pk])
    assert (round.opened_by, round.is_open) == (users["hq"], True)
    again = client.post(reverse("planning:round_open"), bad | {"opens_on": "2022-07-01"})
    assert again.status_code == 400 and "A round with this name exists already." in again.content.decode()


def test_the_round_lists_deliverables_without_an_update_per_lead_unit_and_silent_offices(plan, users):
    program, pardev = Office.objects.get(code="PROGRAM"), Office.objects.get(code="PARDEV")
    Deliverable.objects.get(code="1.4.1").assign_units(lead_unit=program, contributing_units=[])
    Deliverable.objects.get(code="2.2.1").assign_units(lead_unit=pardev, contributing_units=[])
    round = make_round(plan, users["hq"])
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], as_of=D(2022, 9, 1), progress=1)  # inside
    record(Deliverable.objects.get(code="2.2.1"), users["hq"], as_of=D(2022, 6, 30), progress=1)  # before
    record(Deliverable.objects.get(code="1.1.1"), users["hq"], Status.ACHIEVED, as_of=D(2022, 1, 1))  # closed
    abuja = Office.objects.get(code="CO-ABUJA")
    ProgressExample.objects.create(
        office=abuja,
        title="Submitted in the round",
        state=ProgressExample.State.SUBMITTED,
        started_on=D(2022, 8, 1),
        submitted_at=timezone.make_aware(datetime.datetime(2022, 10, 1, 12)),
        created_by=users["focal_a"],
    )
    ProgressExample.objects.create(  # a second one: still one line, "submitted"
        office=abuja,
        title="Another",
        state=ProgressExample.State.APPROVED,
        started_on=D(2022, 8, 1),
        submitted_at=timezone.make_aware(datetime.datetime(2022, 11, 1, 12)),
        approved_at=timezone.make_aware(datetime.datetime(2022, 11, 2, 12)),
        created_by=users["focal_a"],
    )
    dhaka = Office.objects.get(code="CO-DHAKA")
    for state, day in [  # neither counts: submitted before the round; back to draft
        (ProgressExample.State.SUBMITTED, datetime.datetime(2022, 6, 30, 12)),
        (ProgressExample.State.DRAFT, datetime.datetime(2022, 10, 1, 12)),
    ]:
        ProgressExample.objects.create(
            office=dhaka,
            title="Not in the round",
            state=state,
            started_on=D(2022, 5, 1),
            submitted_at=timezone.make_aware(day),
            created_by=users["focal_a"],
        )
    progress = round_progress(round, D(2023, 1, 10))
    codes = {d.code for d in progress.outstanding}
    assert "1.4.1" not in codes and "1.1.1" not in codes
    assert "2.2.1" in codes
    groups = {g.unit.code if g.unit else None: [d.code for d in g.deliverables] for g in progress.by_lead_unit}
    assert groups["PARDEV"] == ["2.2.1"]
    assert "PROGRAM" not in groups
    assert progress.by_lead_unit[0].unit is None  # "no lead unit yet" comes first
    assert progress.due_total == 31  # every deliverable but the achieved one
    offices = {line.office.code: line.submitted for line in progress.offices}
    assert offices["CO-ABUJA"] is True and offices["CO-DHAKA"] is False
    assert "PARDEV" not in offices  # headquarters submit no examples


def test_a_closed_round_stays_readable_and_frozen_at_its_closing_day(client, plan, users):
    round = make_round(plan, users["hq"])
    client.login(username="hq", password=PASSWORD)
    assert client.post(reverse("planning:round_close", args=[round.pk])).status_code == 302
    round.refresh_from_db()
    assert not round.is_open and round.closed_by == users["hq"]
    ReportingRound.objects.filter(pk=round.pk).update(
        closed_at=timezone.make_aware(datetime.datetime(2023, 2, 1, 12))
    )
    record(Deliverable.objects.get(code="2.2.1"), users["hq"], as_of=D(2023, 3, 1), progress=1)  # after closing
    client.logout()
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("planning:round", args=[round.pk]))
    assert response.status_code == 200
    assert "2.2.1" in {d.code for d in response.context["progress"].outstanding}
    assert "Close the round" not in response.content.decode()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_planning_data(plan, users):
    """Lead units, milestones (some overdue), and reminders for everything in the plan."""
    units = list(Office.objects.filter(kind=Office.Kind.HEADQUARTERS))
    deliverables = list(Deliverable.objects.filter(plan=plan, milestones__isnull=True).order_by("pk"))
    for n, d in enumerate(deliverables):
        d.lead_unit = units[n % len(units)] if n % 5 else None
    Deliverable.objects.bulk_update(deliverables, ["lead_unit"], batch_size=500)
    Deliverable.contributing_units.through.objects.bulk_create(
        [Deliverable.contributing_units.through(deliverable=d, office=units[0]) for d in deliverables[::3]]
    )
    Milestone.objects.bulk_create(
        [
            Milestone(deliverable=d, title=f"Step {k}", due_on=D(2022, 1 + k, 1), updated_by=users["hq"])
            for d in deliverables
            for k in range(2)
        ],
        batch_size=500,
    )


@pytest.mark.django_db
def test_planning_pages_run_the_same_number_of_queries_at_1x_and_10x(client, plan, users):
    round = make_round(plan, users["hq"])
    for d in Deliverable.objects.all():
        record(d, users["hq"], as_of=D(2021, 1, 1), progress=1 if d.has_target else None)
    add_planning_data(plan, users)
    client.login(username="hq", password=PASSWORD)
    urls = [
        reverse("planning:round", args=[round.pk]),
        reverse("planning:rounds"),
        reverse("planning:timeline"),
        reverse("planning:timeline") + f"?unit={Office.objects.get(code='PARDEV').pk}",
        reverse("planning:my_reminders"),
        reverse("deliverables:dashboard"),
        reverse("deliverables:list") + "?stale=on&late_milestones=on&no_lead_unit=",
        reverse("deliverables:list") + f"?unit={Office.objects.get(code='PARDEV').pk}",
        reverse("deliverables:detail", args=["1.4.1"]),
    ]

    def remind():
        Reminder.objects.bulk_create(
            [
                Reminder(round=round, recipient=users["hq"], topic="updates", slot=f"{k}d", deadline=D(2023, 1, 31))
                for k in range(Reminder.objects.count(), Reminder.objects.count() + 5)
            ]
        )

    remind()
    small = {url: count_queries(client, url) for url in urls}
    grow_plan(plan, users["hq"], factor=10, updates_per_deliverable=2)
    add_planning_data(plan, users)
    remind()
    assert Deliverable.objects.count() == 320
    large = {url: count_queries(client, url) for url in urls}
    assert small == large
    # The session, user and header (the session is no longer saved on every page), then the round,
    # its outstanding deliverables, the field offices and the count of expected deliverables.
    assert large[urls[0]] == 10
    # The round page really lists the larger plan.
    page = client.get(urls[0]).content.decode()
    assert page.count('href="/deliverables/1.100.') >= 20
