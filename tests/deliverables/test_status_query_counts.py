"""The list, deliverable and dashboard pages run a fixed number of SQL queries,
with the real plan and with 100 times as many deliverables and updates."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliverables.models import Deliverable, Status
from tests.factories import PASSWORD, grow_plan, record

URLS = [
    ("home", {}, ""),
    ("deliverables:list", {}, ""),
    ("deliverables:list", {}, "?status=on_track&sort=-updated&q=ILO&due_by=2025&overdue=on"),
    ("deliverables:list", {}, "?pb_output=1&sort=progress&page=2"),
    ("deliverables:detail", {"code": "1.4.1"}, ""),
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
def test_pages_run_the_same_number_of_queries_at_1x_and_100x(client, plan, users):
    for d in Deliverable.objects.all():
        record(
            d,
            users["hq"],
            Status.ON_TRACK,
            as_of=datetime.date(2022, 1, 1),
            progress=1 if d.has_target else None,
        )
    client.login(username="hq", password=PASSWORD)
    urls = [reverse(name, kwargs=kwargs) + query for name, kwargs, query in URLS]
    small = {url: count_queries(client, url) for url in urls}

    grow_plan(plan, users["hq"], factor=100, updates_per_deliverable=3)
    assert Deliverable.objects.count() == 3200
    large = {url: count_queries(client, url) for url in urls}

    assert small == large
    # The numbers themselves, so that a new query per page is a conscious change.
    assert small == {
        urls[0]: 13,  # session, user, 2 × permissions, profile, office + 7 for the dashboard
        urls[1]: 13,  # + the offices of the unit filter
        urls[2]: 13,
        urls[3]: 14,  # + the P&B output join needs DISTINCT counting
        urls[4]: 16,  # + the approved field examples, contributing units, milestones, 3 × office choices
    }
