"""The example pages run a fixed number of SQL queries: with the demo examples,
and with 100 times as many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliverables.models import Deliverable, FocusArea, Office, Region
from demo.examples import seed_examples
from examples.models import ProgressExample
from tests.examples.example_data import grow_examples, media  # noqa: F401
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pages(plan) -> dict[str, list[str]]:
    region = Region.objects.get(code="AFRICA")
    office = Office.objects.get(code="DWT-PRETORIA")
    area = FocusArea.objects.get(plan=plan, number=2)
    deliverable = Deliverable.objects.get(code="2.1.2")
    example = ProgressExample.objects.filter(office__code="CO-ABUJA").order_by("pk").first()
    queue = reverse("examples:queue")
    return {
        "focal_a": [
            reverse("examples:list"),
            reverse("examples:list") + "?state=returned",
            reverse("examples:list") + "?page=2",
            reverse("examples:detail", args=[example.pk]),
        ],
        "hq": [
            queue,
            queue + "?state=",
            queue + f"?state=approved&region={region.pk}&office={office.code}&focus_area={area.pk}"
            f"&deliverable={deliverable.code}&south_south=on&q=green",
            queue + "?state=&page=3",
            reverse("examples:coverage"),
            reverse("examples:coverage") + "?region=AFRICA",
            reverse("deliverables:detail", args=["2.1.1"]),
            reverse("examples:detail", args=[example.pk]),
        ],
    }


def measure(client, users, urls: dict) -> dict:
    counts = {}
    for role, role_urls in urls.items():
        client.login(username=users[role].username, password=PASSWORD)
        counts.update({(role, url): count_queries(client, url) for url in role_urls})
    return counts


def test_example_pages_run_the_same_number_of_queries_with_100_times_the_demo_examples(client, plan, users):
    demo = seed_examples(plan=plan, users={"pardev": users["hq"], "focal": users["focal_a"]})
    urls = pages(plan)
    small = measure(client, users, urls)

    grow_examples(plan, users["focal_a"], count=demo * 100)
    assert ProgressExample.objects.count() == demo * 101
    large = measure(client, users, urls)

    assert small == large
    # The numbers themselves, so that a new query per page is a conscious change.
    # Every page: session, user, 2 × permissions, profile + office for the header: 6
    # (the session is saved at most every few minutes, not on every page).
    assert list(small.values()) == [
        11,  # my examples: + state counts, page count, page, deliverables, review notes
        11,
        11,
        10,  # example detail: + example, transitions, deliverables, attachments
        14,  # queue: + plan, count, page, deliverables, 2 choice lists, 2 code suggestion lists
        14,
        16,  # filtered queue: + the 2 chosen choice values looked up
        14,
        11,  # coverage: + plan, focus areas, regions, 1 aggregation, offices by region
        11,  # drill-down: + plan, region, offices, focus areas, 1 aggregation
        16,  # deliverable page: + its approved examples, contributing units, milestones, 3 office choice lists
        10,
    ]
