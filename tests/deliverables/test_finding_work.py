"""Finding work: several statuses at once, stale deliverables, saved links, offices' countries."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from deliverables.models import Deliverable, Office, Status
from tests.factories import PASSWORD, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq_client(users) -> Client:
    client = Client()
    assert client.login(username="hq", password=PASSWORD)
    return client


def codes(response) -> list[str]:
    return [d.code for d in response.context["page"]]


def test_the_list_takes_several_statuses_at_once(hq_client, users):
    record(Deliverable.objects.get(code="1.1.1"), users["hq"], Status.DELAYED, narrative="Late.")
    record(Deliverable.objects.get(code="2.1.1"), users["hq"], Status.AT_RISK, narrative="Thin.")
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK)
    response = hq_client.get("/deliverables/?status=delayed&status=at_risk")
    assert codes(response) == ["1.1.1", "2.1.1"]
    assert response.context["filter"].form["status"].value() == ["delayed", "at_risk"]  # both stay ticked
    assert codes(hq_client.get("/deliverables/?status=delayed")) == ["1.1.1"]


def test_an_unknown_status_is_refused_with_the_allowed_values(hq_client):
    page = hq_client.get("/deliverables/?status=finished").content.decode()
    assert "“finished” is not one of the choices. Choose one of: Not started, On track, At risk" in page


def test_stale_means_under_way_still_open_and_not_updated_for_six_months(hq_client, users):
    today = timezone.localdate()
    record(Deliverable.objects.get(code="1.1.1"), users["hq"], Status.ON_TRACK, as_of=today)
    record(
        Deliverable.objects.get(code="1.1.2"),
        users["hq"],
        Status.ON_TRACK,
        as_of=today - datetime.timedelta(days=200),
    )
    record(
        Deliverable.objects.get(code="1.2.1"), users["hq"], Status.ACHIEVED, as_of=datetime.date(2021, 6, 1)
    )
    stale = set(codes(hq_client.get("/deliverables/?stale=on")))
    assert "1.1.2" in stale  # last said something 200 days ago
    assert "1.1.1" not in stale  # updated today
    assert "1.2.1" not in stale  # achieved: nothing to chase
    # Never updated: "no update yet" (flagged as such), not stale (issue 12's definition).
    assert "3.1.1" not in stale


def test_the_saved_links_ask_the_common_questions(hq_client):
    page = hq_client.get("/deliverables/").content.decode()
    assert "?due_by=2023&amp;status=delayed&amp;status=at_risk" in page
    assert "?stale=on" in page
    assert "?no_lead_unit=on" in page


def test_field_offices_know_their_countries(plan):
    assert sorted(c.code for c in Office.objects.get(code="CO-ABUJA").countries) == ["GH", "LR", "NG", "SL"]
    assert [c.code for c in Office.objects.get(code="CO-BRASILIA").countries] == ["BR"]
    field = Office.objects.exclude(kind=Office.Kind.HEADQUARTERS)
    assert field.count() == 32 and all(office.countries for office in field)
    assert not Office.objects.get(code="PARDEV").countries
