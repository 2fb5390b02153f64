"""The deliverable page shows the latest updates and examples, not lists that grow every quarter."""

import datetime

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from deliverables.views import HISTORY_SHOWN
from examples.models import ProgressExample
from examples.selectors import EXAMPLES_SHOWN
from tests.examples.example_data import make_example
from tests.factories import PASSWORD, record


@pytest.fixture
def hq_client(client, users):
    client.login(username="hq", password=PASSWORD)
    return client


def test_the_page_shows_the_latest_updates_and_points_to_the_full_history(hq_client, users):
    d = Deliverable.objects.get(code="1.4.1")
    for n in range(HISTORY_SHOWN + 3):
        record(
            d,
            users["hq"],
            Status.ON_TRACK,
            as_of=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
            progress=n,
            narrative=f"Update number {n}.",
        )
    page = hq_client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    shown = [n for n in range(HISTORY_SHOWN + 3) if f"Update number {n}." in page]
    assert shown == list(range(3, HISTORY_SHOWN + 3))  # the latest, the three oldest left out
    assert f"The {HISTORY_SHOWN} latest of {HISTORY_SHOWN + 3} updates are shown." in page
    assert reverse("spreadsheets:export_history") in page


def test_a_short_history_is_shown_whole_without_the_note(hq_client, users):
    d = Deliverable.objects.get(code="1.4.1")
    for n in range(2):
        record(
            d,
            users["hq"],
            Status.ON_TRACK,
            as_of=datetime.date(2021, 1, 1 + n),
            narrative=f"Update number {n}.",
        )
    page = hq_client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    assert "Update number 0." in page and "Update number 1." in page
    assert "latest of" not in page


def test_the_page_shows_the_latest_approved_examples_and_links_to_the_queue_for_the_rest(hq_client, users):
    for n in range(EXAMPLES_SHOWN + 2):
        make_example(
            users["focal_a"],
            state=ProgressExample.State.APPROVED,
            reviewer=users["hq"],
            title=f"Field example {n}.",
        )
    page = hq_client.get(reverse("deliverables:detail", args=["1.1.1"])).content.decode()
    shown = [n for n in range(EXAMPLES_SHOWN + 2) if f"Field example {n}." in page]
    assert shown == list(range(2, EXAMPLES_SHOWN + 2))  # the latest approved
    assert f"The {EXAMPLES_SHOWN} latest approved examples are shown." in page
    assert reverse("examples:queue") + "?state=approved&amp;deliverable=1.1.1" in page


def test_a_focal_point_sees_the_latest_examples_without_a_link_to_the_queue(client, users):
    for _ in range(EXAMPLES_SHOWN + 1):
        make_example(users["focal_a"], state=ProgressExample.State.APPROVED, reviewer=users["hq"])
    client.force_login(users["focal_b"])
    page = client.get(reverse("deliverables:detail", args=["1.1.1"])).content.decode()
    assert "latest approved examples are shown" in page
    assert reverse("examples:queue") not in page
