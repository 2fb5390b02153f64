"""Recording a status update: validation, history, current fields, no lost updates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deliverables.models import Deliverable, Status, StatusUpdate
from deliverables.services import StaleVersion, StatusInput, status_update_record
from tests.factories import PASSWORD, record


@pytest.fixture
def hq_client(client, users):
    client.login(username="hq", password=PASSWORD)
    return client


def post_update(client, code="1.4.1", **fields):
    data = {
        "version": str(Deliverable.objects.get(code=code).version),
        "status": "on_track",
        "progress_value": "",
        "narrative": "",
        "evidence_links": "",
        "as_of": "2022-05-01",
    }
    data.update({k: str(v) for k, v in fields.items()})
    return client.post(reverse("deliverables:update", args=[code]), data)


def test_an_update_is_recorded_and_moves_the_current_fields(hq_client, users):
    response = post_update(
        hq_client,
        status="on_track",
        progress_value=7,
        narrative="Seven concluded.",
        evidence_links="https://example.org/a\nhttp://example.org/b",
    )
    assert response.status_code == 302
    d = Deliverable.objects.select_related("last_update").get(code="1.4.1")
    assert (d.status, d.progress_value, d.version) == ("on_track", 7, 1)
    assert d.last_update.author == users["hq"]
    assert d.last_update.evidence_links == ["https://example.org/a", "http://example.org/b"]
    assert d.last_update.as_of == datetime.date(2022, 5, 1)
    page = hq_client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    assert "Seven concluded." in page
    assert "7 of 10 partnerships" in page


def test_the_history_keeps_every_update_newest_first(hq_client, users):
    post_update(hq_client, status="on_track", progress_value=2, as_of="2021-06-01", narrative="first")
    post_update(hq_client, status="achieved", progress_value=11, as_of="2023-06-01", narrative="second")
    d = Deliverable.objects.get(code="1.4.1")
    assert list(d.updates.values_list("narrative", flat=True)) == ["second", "first"]
    assert d.progress_value == 11  # may exceed the target
    page = hq_client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    assert page.index("second") < page.index("first")


def test_a_back_dated_update_joins_the_history_without_replacing_a_newer_status(plan, users):
    d = Deliverable.objects.get(code="2.1.1")
    record(d, users["hq"], Status.ACHIEVED, as_of=datetime.date(2023, 1, 1))
    record(d, users["hq"], Status.ON_TRACK, as_of=datetime.date(2022, 1, 1))
    d.refresh_from_db()
    assert d.status == Status.ACHIEVED
    assert d.version == 2
    assert d.updates.count() == 2


BAD_INPUT = [
    (
        {"status": "finished"},
        "status",
        "“finished” is not one of the choices. Choose one of: Not started, On track,",
    ),
    ({"progress_value": -1}, "progress_value", "Give a whole number from 0 to 1,000,000."),
    ({"progress_value": "seven"}, "progress_value", "Give a whole number, such as 7."),
    ({"progress_value": "1e1000000"}, "progress_value", "Give a whole number, such as 7."),
    ({"as_of": "2099-01-01"}, "as_of", "cannot be in the future"),
    ({"as_of": "2020-12-31"}, "as_of", "before the plan starts"),
    ({"as_of": "01/05/2022"}, "as_of", "Give the date as YYYY-MM-DD"),
    ({"status": "at_risk", "narrative": "  "}, "narrative", "narrative is required"),
    ({"status": "delayed", "narrative": ""}, "narrative", "narrative is required"),
    ({"status": "discontinued", "narrative": ""}, "narrative", "narrative is required"),
    ({"evidence_links": "javascript:alert(1)"}, "evidence_links", "not a valid web address"),
    ({"evidence_links": "ftp://example.org/x"}, "evidence_links", "not a valid web address"),
    ({"evidence_links": "not a url"}, "evidence_links", "not a valid web address"),
    ({"narrative": "x" * 5001}, "narrative", "at most 5000 characters"),
    ({"evidence_links": "\n".join(f"https://e.org/{i}" for i in range(11))}, "evidence_links", "at most 10"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_form_error_and_nothing_written(hq_client, fields, field, message):
    typed = {"narrative": "kept text", **fields}
    response = post_update(hq_client, **typed)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in str(form.errors[field])
    assert StatusUpdate.objects.count() == 0
    assert Deliverable.objects.get(code="1.4.1").version == 0
    if field != "narrative" and "narrative" not in fields:
        assert "kept text" in response.content.decode()  # what was typed is kept


def test_a_progress_value_on_a_deliverable_without_target_is_refused(hq_client):
    response = post_update(hq_client, code="1.1.1", progress_value=3)
    assert response.status_code == 400
    assert "no numeric target" in str(response.context["form"].non_field_errors())
    assert StatusUpdate.objects.count() == 0


def test_moving_backwards_requires_a_narrative(hq_client, plan, users):
    d = Deliverable.objects.get(code="1.1.1")
    record(d, users["hq"], Status.ACHIEVED, as_of=datetime.date(2022, 1, 1))
    response = post_update(hq_client, code="1.1.1", status="on_track")
    assert response.status_code == 400
    assert "narrative" in response.context["form"].errors
    response = post_update(hq_client, code="1.1.1", status="on_track", narrative="Reopened after review.")
    assert response.status_code == 302


def test_a_lower_progress_value_requires_a_narrative(hq_client, plan, users):
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=5)
    assert post_update(hq_client, progress_value=4).status_code == 400
    assert (
        post_update(hq_client, progress_value=4, narrative="One partnership was cancelled.").status_code
        == 302
    )


def test_the_as_of_date_defaults_to_today(hq_client):
    page = hq_client.get(reverse("deliverables:detail", args=["1.4.1"]))
    assert page.context["form"]["as_of"].value() == timezone.localdate()


def test_html_typed_by_users_is_shown_escaped(hq_client):
    post_update(hq_client, status="at_risk", narrative='<script>alert("x")</script><b>bold</b>')
    for url in [
        reverse("deliverables:detail", args=["1.4.1"]),
        reverse("home"),
        reverse("deliverables:list") + "?q=bold",
    ]:
        page = hq_client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<b>bold</b>" not in page
    page = hq_client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_a_stale_update_is_refused_and_shows_the_other_update(hq_client, users):
    seen = Deliverable.objects.get(code="1.4.1").version
    record(
        Deliverable.objects.get(code="1.4.1"), users["superuser"], Status.AT_RISK, narrative="Their words."
    )
    response = hq_client.post(
        reverse("deliverables:update", args=["1.4.1"]),
        {
            "version": str(seen),
            "status": "on_track",
            "progress_value": "4",
            "as_of": "2022-05-01",
            "narrative": "My words.",
            "evidence_links": "",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their words." in page and "root" in page  # the other update and its author
    assert "My words." in page  # the user's input is kept
    assert StatusUpdate.objects.count() == 1
    d = Deliverable.objects.get(code="1.4.1")
    assert (d.status, d.version) == ("at_risk", 1)
    # Saving again, now that they have seen it, records the update after theirs.
    assert response.context["form"]["version"].value() == "1"


def test_the_service_refuses_a_stale_version(plan, users):
    d = Deliverable.objects.get(code="1.4.1")
    data = StatusInput(status=Status.ON_TRACK, as_of=datetime.date(2022, 1, 1))
    status_update_record(deliverable=d, user=users["hq"], data=data, seen_version=0)
    with pytest.raises(StaleVersion) as stale:
        status_update_record(
            deliverable=Deliverable.objects.get(pk=d.pk), user=users["hq"], data=data, seen_version=0
        )
    assert [u.version for u in stale.value.newer_updates()] == [1]
    assert StatusUpdate.objects.count() == 1


def test_the_database_refuses_an_unknown_status_and_a_duplicate_version(plan, users):
    from django.db import IntegrityError, transaction

    d = Deliverable.objects.get(code="1.1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            deliverable=d, version=1, status="bogus", author=users["hq"], as_of=datetime.date(2022, 1, 1)
        )
    StatusUpdate.objects.create(
        deliverable=d, version=1, status="on_track", author=users["hq"], as_of=datetime.date(2022, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            deliverable=d, version=1, status="on_track", author=users["hq"], as_of=datetime.date(2022, 1, 1)
        )
