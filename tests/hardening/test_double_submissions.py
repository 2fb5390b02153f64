"""The same one-time POST sent twice at the same moment (a double click, two
tabs) acts once; the second sender is told it was done already.

Real transactions and one database connection per thread, on SQLite and on
PostgreSQL alike. Each action is slowed down inside its transaction so that
the two requests truly overlap."""

import datetime
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from dcplan.once import new_nonce
from examples.models import ExampleTransition, ProgressExample
from reporting.checks import review_checks
from reporting.models import IssuedReview
from spreadsheets import views as spreadsheet_views
from tests.dcplan.test_access_matrix import PREVIEWS
from tests.examples.example_data import make_example
from tests.spreadsheets.spreadsheet_data import csv_upload

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAUSE = 0.6  # seconds each action holds its transaction open


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def twice_at_once(post) -> list:
    """Run `post()` in two threads released together; their responses (or exceptions)."""
    start = threading.Barrier(2)
    results: list = [None, None]

    def run(index):
        try:
            start.wait(10)
            results[index] = post()
        except Exception as exc:  # noqa: BLE001 - the test inspects what happened
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return results


def slowed(function):
    """`function`, pausing after it has acted and before its transaction commits."""

    def slow(*args, **kwargs):
        result = function(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    return slow


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def upload_preview(client: Client, preview_name: str) -> str:
    upload_page, row = PREVIEWS[preview_name]
    response = client.post(reverse(upload_page), {"file": csv_upload([list(row), list(row.values())])})
    assert response.status_code == 302, response.content.decode()[:2000]
    return resolve(response["Location"]).kwargs["token"]


def test_confirming_an_examples_import_twice_at_once_creates_the_examples_once(plan, users, monkeypatch):
    monkeypatch.setattr(
        spreadsheet_views, "examples_import_apply", slowed(spreadsheet_views.examples_import_apply)
    )
    client = signed_in(users["hq"])
    token = upload_preview(client, "spreadsheets:import_examples_preview")
    before = ProgressExample.objects.count()

    responses = twice_at_once(
        lambda: signed_in(users["hq"]).post(reverse("spreadsheets:import_examples_confirm"), {"token": token})
    )

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302], responses
    assert ProgressExample.objects.count() == before + 1
    created = ProgressExample.objects.latest("pk")
    assert created.transitions.count() == 2  # created, submitted: once each
    told = sorted(messages_of(r) for r in responses)
    assert "imported already" in told[1] or "imported already" in told[0], told
    assert sum("created and submitted" in text for text in told) == 1, told


def test_confirming_a_status_import_twice_at_once_records_the_updates_once(plan, users, monkeypatch):
    monkeypatch.setattr(
        spreadsheet_views, "status_import_apply", slowed(spreadsheet_views.status_import_apply)
    )
    client = signed_in(users["hq"])
    token = upload_preview(client, "spreadsheets:import_status_preview")

    responses = twice_at_once(
        lambda: signed_in(users["hq"]).post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    )

    from deliverables.models import StatusUpdate

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302], responses
    assert StatusUpdate.objects.filter(deliverable__code="1.4.1").count() == 1
    told = [messages_of(r) for r in responses]
    assert sum("imported already" in text for text in told) == 1, told
    assert sum("status update recorded" in text for text in told) == 1, told


def test_a_confirmation_sent_again_later_says_the_file_was_imported_already(plan, users):
    client = signed_in(users["hq"])
    token = upload_preview(client, "spreadsheets:import_examples_preview")
    url = reverse("spreadsheets:import_examples_confirm")
    assert client.post(url, {"token": token}).status_code == 302
    again = client.post(url, {"token": token}, follow=True)
    assert "imported already" in again.content.decode()
    assert ProgressExample.objects.count() == 1


def test_issuing_a_review_twice_at_once_from_one_form_issues_it_once(plan, users):
    once = new_nonce()
    warnings = [check.key for check in review_checks(plan, datetime.date(2022, 12, 31))]
    data = {"as_of": "2022-12-31", "symbol": "GB.347/POL/3", "once": once, "acknowledge": warnings}

    responses = twice_at_once(lambda: signed_in(users["manager"]).post(reverse("reporting:issue"), data))

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302], responses
    assert IssuedReview.objects.count() == 1
    told = [messages_of(r) for r in responses]
    assert sum("issued already" in text for text in told) == 1, told
    # A new visit of the preview page carries a new token: issuing again is a new decision.
    page = signed_in(users["manager"]).get(reverse("reporting:preview"), {"as_of": "2022-12-31"})
    assert f'name="once" value="{once}"' not in page.content.decode()
    assert 'name="once" value="' in page.content.decode()


def test_submitting_an_example_twice_at_once_submits_it_once_and_tells_the_second(plan, users, monkeypatch):
    from examples import services

    monkeypatch.setattr(services.notifications, "example_submitted", slowed(lambda *a, **k: None))
    example = make_example(users["focal_a"])
    url = reverse("examples:submit", args=[example.pk])

    responses = twice_at_once(lambda: signed_in(users["focal_a"]).post(url))

    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 409], responses
    refused = next(r for r in responses if r.status_code == 409)
    assert "cannot become" in refused.content.decode()
    assert ExampleTransition.objects.filter(example=example, to_state="submitted").count() == 1


def test_a_review_decision_sent_twice_at_once_is_taken_once(plan, users, monkeypatch):
    from examples import services

    monkeypatch.setattr(services.notifications, "example_reviewed", slowed(lambda *a, **k: None))
    example = make_example(users["focal_a"], state="submitted")
    url = reverse("examples:review", args=[example.pk])

    responses = twice_at_once(lambda: signed_in(users["hq"]).post(url, {"decision": "approve"}))

    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 409], responses
    assert ExampleTransition.objects.filter(example=example, to_state="approved").count() == 1


def test_save_and_submit_of_an_edited_example_sent_twice_at_once_submits_once(plan, users):
    example = make_example(users["focal_a"])
    url = reverse("examples:edit", args=[example.pk])
    data = {
        "version": example.version,
        "action": "submit",
        "title": "Twice",
        "countries": ["NG"],
        "started_on": "2022-01-01",
        "what_was_done": "Done",
        "results": "Achieved",
        "involves_workers": "on",
        "deliverables": [d.pk for d in example.deliverables.all()],
    }

    responses = twice_at_once(lambda: signed_in(users["focal_a"]).post(url, data))

    assert sorted(getattr(r, "status_code", r) for r in responses) == [302, 409], responses
    refused = next(r for r in responses if r.status_code == 409).content.decode()
    # Depending on the moment: the edit found saved already, or the example submitted already.
    assert "someone else changed this example" in refused or "can no longer be edited" in refused
    assert ExampleTransition.objects.filter(example=example, to_state="submitted").count() == 1


def test_a_new_example_saved_twice_at_once_from_one_form_is_created_once(plan, users, monkeypatch):
    from examples import services

    monkeypatch.setattr(services, "_store_files", slowed(services._store_files))
    once = new_nonce()
    data = {
        "once": once,
        "action": "save",
        "title": "Only once",
        "countries": ["NG"],
        "started_on": "2022-01-01",
        "what_was_done": "Done",
        "results": "Achieved",
        "involves_workers": "on",
        "deliverables": [plan.deliverables.get(code="1.1.1").pk],
    }

    responses = twice_at_once(lambda: signed_in(users["focal_a"]).post(reverse("examples:new"), data))

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302], responses
    assert ProgressExample.objects.filter(title="Only once").count() == 1
    told = [messages_of(r) for r in responses]
    assert sum("saved already" in text for text in told) == 1, told
