"""The deliverable page shows the latest updates, not a history that grows every quarter."""

import datetime

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from deliverables.views import HISTORY_SHOWN
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
