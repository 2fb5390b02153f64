"""The workflow services own their side effects: whoever calls them (a page, the
spreadsheet import, the admin, the shell), the people concerned are told, and
only once the change is committed."""

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from examples import services
from examples.models import ProgressExample
from tests.examples.example_data import make_example, media  # noqa: F401
from tests.factories import PASSWORD, make_user
from tests.spreadsheets.spreadsheet_data import csv_upload

State = ProgressExample.State
pytestmark = pytest.mark.django_db


def test_submitting_from_the_shell_tells_the_reviewers_after_commit(
    users, django_capture_on_commit_callbacks
):
    example = make_example(users["focal_a"])
    with django_capture_on_commit_callbacks(execute=True):
        services.example_submit(example=example, user=users["focal_a"])
    assert [m.to for m in mail.outbox] == [["hq@example.org"]]
    # No request: the link is the path, absolute only when the caller gives a base.
    assert f"/examples/{example.pk}/" in mail.outbox[0].body


def test_the_link_in_the_mail_is_absolute_when_a_base_is_given(users, django_capture_on_commit_callbacks):
    example = make_example(users["focal_a"])
    with django_capture_on_commit_callbacks(execute=True):
        services.example_submit(
            example=example, user=users["focal_a"], link_base="https://dcplan.example.org/"
        )
    assert f"https://dcplan.example.org/examples/{example.pk}/" in mail.outbox[0].body


def test_nobody_is_told_of_a_submission_that_was_rolled_back(users, django_capture_on_commit_callbacks):
    example = make_example(users["focal_a"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.example_submit(example=example, user=users["focal_a"])
            raise RuntimeError("the caller's transaction fails after the submission")
    assert callbacks == [] and mail.outbox == []
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT


@pytest.mark.parametrize(
    ("decision", "comment", "state", "subject"),
    [
        ("approve", "", State.APPROVED, "approved"),
        ("return", "Please add the number of workers.", State.RETURNED, "returned"),
        ("reject", "Out of scope.", State.REJECTED, "rejected"),
    ],
)
def test_a_review_decision_tells_the_submitter(
    users, decision, comment, state, subject, django_capture_on_commit_callbacks
):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        transition = services.example_review(
            example=example, user=users["hq"], decision=decision, comment=comment
        )
    assert transition.to_state == state == ProgressExample.objects.get(pk=example.pk).state
    assert [m.to for m in mail.outbox] == [["focal_a@example.org"]]
    assert subject in mail.outbox[0].subject


def test_a_refused_decision_changes_nothing_and_tells_nobody(users, django_capture_on_commit_callbacks):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ProgressExample.TransitionNotAllowed):
            services.example_review(example=example, user=users["hq"], decision="reject", comment=" ")
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED
    assert mail.outbox == []


def test_examples_imported_by_headquarters_notify_the_reviewers(
    client, users, django_capture_on_commit_callbacks
):
    from tests.spreadsheets.test_imports import EXAMPLE_HEADER, example_row

    client.login(username="hq", password=PASSWORD)
    response = client.post(
        reverse("spreadsheets:import_examples"), {"file": csv_upload([EXAMPLE_HEADER, example_row()])}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("spreadsheets:import_examples_confirm"), {"token": token})
    assert response.status_code == 302
    example = ProgressExample.objects.get()
    assert example.state == State.SUBMITTED
    assert [m.to for m in mail.outbox] == [["hq@example.org"]]
    assert f"/examples/{example.pk}/" in mail.outbox[0].body


def test_an_admin_edit_goes_through_the_service_and_is_recorded_after_review(users):
    example = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    seen = example.version
    admin = site._registry[ProgressExample]
    request = RequestFactory().post("/admin/")
    request.user = users["superuser"]
    form_class = admin.get_form(request, example)
    data = {
        "title": "Corrected title",
        "countries": ["NG"],
        "started_on": "2022-03-01",
        "ended_on": "2022-11-30",
        "what_was_done": example.what_was_done,
        "results": example.results,
        "involves_government": "on",
        "partners": "",
        "deliverables": [d.pk for d in example.deliverables.all()],
        "may_be_cited": "on",
    }
    form = form_class(data, instance=example)
    assert form.is_valid(), form.errors
    admin.save_model(request, form.save(commit=False), form, change=True)
    example.refresh_from_db()
    assert example.title == "Corrected title" and example.version == seen + 1
    last = example.transitions.order_by("-at", "-pk").first()
    assert (last.from_state, last.to_state, last.actor) == (
        State.APPROVED,
        State.APPROVED,
        users["superuser"],
    )
    assert "superuser" in last.comment


def test_a_french_focal_point_is_told_in_french_when_an_english_reviewer_returns_the_example(
    client, users, django_capture_on_commit_callbacks
):
    users["focal_a"].profile.language = "fr"
    users["focal_a"].profile.save(update_fields=["language"])
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    client.force_login(users["hq"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("examples:review", args=[example.pk]),
            {"decision": "return", "comment": "Please add the number of workers."},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 302
    assert response.wsgi_request.LANGUAGE_CODE == "en"  # the reviewer works in English
    [message] = mail.outbox
    assert message.to == ["focal_a@example.org"]
    assert message.subject.startswith("Exemple de progrès renvoyé pour modification\u00a0:")
    assert "Le siège a renvoyé votre exemple de progrès pour modification" in message.body
    assert "Commentaire\u00a0:" in message.body and "returned" not in message.body


def test_each_reviewer_is_told_of_a_submission_in_their_own_language(
    users, django_capture_on_commit_callbacks
):
    spanish = make_user("hq_es", role="hq", office="PARDEV")
    spanish.profile.language = "es"
    spanish.profile.save(update_fields=["language"])
    example = make_example(users["focal_a"])
    with translation.override("fr"):  # whatever language the submitter's request is in
        with django_capture_on_commit_callbacks(execute=True):
            services.example_submit(example=example, user=users["focal_a"])
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert subjects["hq@example.org"].startswith("Progress example to review:")
    assert subjects["hq_es@example.org"].startswith("Ejemplo de avances por examinar:")
