"""The staff deliverables list: filters from the URL, sorting, what a row shows."""

import datetime

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, PBOutput, Status, StatusUpdate
from tests.factories import PASSWORD, record


@pytest.fixture
def hq_client(client, users):
    client.login(username="hq", password=PASSWORD)
    return client


def codes(client, query: str = "") -> list[str]:
    response = client.get(reverse("deliverables:list") + query)
    assert response.status_code == 200
    return [d.code for d in response.context["page"]]


def test_it_lists_every_deliverable_in_code_order(hq_client):
    listed = codes(hq_client)
    assert len(listed) == 32
    assert listed[:3] == ["1.1.1", "1.1.2", "1.2.1"]
    assert listed[-1] == "4.4.2"


def test_it_filters_by_focus_area_action_status_and_due_year(hq_client, users):
    record(
        Deliverable.objects.get(code="2.2.1"), users["hq"], Status.DELAYED, narrative="Waiting for a bank."
    )
    fa3 = Deliverable.objects.get(code="3.1.1").action.focus_area_id
    assert all(c.startswith("3.") for c in codes(hq_client, f"?focus_area={fa3}"))
    assert codes(hq_client, "?action=1.4") == ["1.4.1", "1.4.2", "1.4.3", "1.4.4"]
    assert codes(hq_client, "?status=delayed") == ["2.2.1"]
    due_2023 = codes(hq_client, "?due_by=2023")
    assert "1.1.1" in due_2023 and "1.1.2" not in due_2023
    assert len(due_2023) == Deliverable.objects.filter(end_year__lte=2023).count()


def test_it_filters_by_pb_output_without_duplicates(hq_client):
    output = PBOutput.objects.get(biennium="2020–21", code="A.4")
    listed = codes(hq_client, f"?pb_output={output.pk}")
    assert len(listed) == len(set(listed))
    assert "1.4.1" in listed and "2.1.1" in listed and "1.1.1" not in listed


def test_overdue_means_end_year_passed_and_still_open(hq_client, users):
    record(Deliverable.objects.get(code="1.1.1"), users["hq"], Status.ACHIEVED)
    record(
        Deliverable.objects.get(code="1.2.1"),
        users["hq"],
        Status.DISCONTINUED,
        narrative="Merged into 1.1.1.",
    )
    listed = codes(hq_client, "?overdue=on")
    assert "1.1.1" not in listed and "1.2.1" not in listed
    assert "1.3.1" in listed  # 2021–25, passed in 2026, not achieved
    today = datetime.date(2024, 6, 1)
    assert set(Deliverable.objects.overdue(today).values_list("end_year", flat=True)) == {2023}


def test_free_text_search_looks_in_texts_and_narratives(hq_client, users):
    assert codes(hq_client, "?q=BAPA") == ["1.4.1"]
    record(
        Deliverable.objects.get(code="4.4.2"), users["hq"], Status.AT_RISK, narrative="Costing model stalled"
    )
    assert codes(hq_client, "?q=stalled") == ["4.4.2"]
    assert codes(hq_client, "?q=nothing-matches-this") == []


def test_columns_sort_both_ways(hq_client, users):
    record(
        Deliverable.objects.get(code="4.1.1"), users["hq"], Status.ON_TRACK, as_of=datetime.date(2021, 2, 1)
    )
    record(
        Deliverable.objects.get(code="2.3.1"), users["hq"], Status.ON_TRACK, as_of=datetime.date(2024, 2, 1)
    )
    assert codes(hq_client, "?sort=-updated")[:2] == ["2.3.1", "4.1.1"]
    timeline = codes(hq_client, "?sort=timeline")
    ends = [Deliverable.objects.get(code=c).end_year for c in timeline]
    assert ends == sorted(ends)
    assert codes(hq_client, "?sort=-code")[0] == "4.4.2"
    assert codes(hq_client, "?sort=bogus")[0] == "1.1.1"


def test_a_row_shows_status_progress_and_last_author(hq_client, users):
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=7)
    page = hq_client.get(reverse("deliverables:list")).content.decode()
    assert "7 of 10 partnerships" in page
    assert 'class="badge status-on_track"' in page
    assert ">hq<" in page


def test_the_dashboard_counts_statuses_and_midterm_achievement(hq_client, users):
    record(Deliverable.objects.get(code="1.1.1"), users["hq"], Status.ACHIEVED)  # 2021–23
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=4)
    response = hq_client.get(reverse("home"))
    context = response.context
    due_total = Deliverable.objects.filter(end_year__lte=2023).count()
    assert context["due"] == {"total": due_total, "achieved": 1}
    assert context["grand_total"] == 32
    fa1 = context["rows"][0]
    statuses = [s.value for s in context["statuses"]]
    assert fa1.counts[statuses.index("achieved")] == 1
    assert fa1.counts[statuses.index("on_track")] == 1
    page = response.content.decode()
    assert "4 of 10 partnerships" in page
    assert f"1 of {due_total} achieved" in page


def test_status_updates_cannot_be_changed_or_deleted_in_the_admin(client, users):
    d = Deliverable.objects.get(code="1.1.1")
    record(d, users["hq"], Status.ON_TRACK)
    update = StatusUpdate.objects.get()
    client.login(username="root", password=PASSWORD)
    assert client.get(reverse("admin:deliverables_statusupdate_changelist")).status_code == 200
    assert (
        client.post(
            reverse("admin:deliverables_statusupdate_delete", args=[update.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    client.post(reverse("admin:deliverables_statusupdate_change", args=[update.pk]), {"status": "achieved"})
    assert StatusUpdate.objects.get().status == Status.ON_TRACK
    assert client.get(reverse("admin:deliverables_statusupdate_add")).status_code == 403
