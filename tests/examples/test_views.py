"""The office's pages and headquarters' review, through the web: drafts that keep
everything, submission that says what is missing, returns with comments shown,
refused transitions, lost-edit protection, escaping, e-mails."""

import pytest
from django.core import mail
from django.urls import reverse

from deliverables.models import Deliverable
from examples.models import ProgressExample
from tests.examples.example_data import COMPLETE, make_example, media  # noqa: F401

State = ProgressExample.State
pytestmark = pytest.mark.django_db


def form_data(example=None, **changes) -> dict:
    """What the office's form posts for a complete example, with `changes`."""
    data = {
        "title": COMPLETE["title"],
        "countries": ["NG", "GH"],
        "started_on": "2022-03-01",
        "ended_on": "2022-11-30",
        "what_was_done": COMPLETE["what_was_done"],
        "results": COMPLETE["results"],
        "involves_government": "on",
        "partners": "UNDP",
        "deliverables": [str(Deliverable.objects.get(code="1.1.1").pk)],
        "may_be_cited": "on",
        "action": "save",
    }
    if example is not None:
        data["version"] = str(example.version)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def focal(client, users):
    client.force_login(users["focal_a"])
    return client


@pytest.fixture
def hq(client, users):
    client.force_login(users["hq"])
    return client


def text(response) -> str:
    return response.content.decode()


# Drafts and submission


def test_a_focal_point_lands_on_their_offices_examples(focal):
    response = focal.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("examples:list")


def test_a_draft_can_be_saved_with_nothing_but_a_title(focal, users):
    response = focal.post(reverse("examples:new"), {"title": "Just an idea", "action": "save"})
    example = ProgressExample.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("examples:detail", args=[example.pk])
    assert (example.title, example.state, example.office.code) == ("Just an idea", State.DRAFT, "CO-ABUJA")
    assert example.created_by == users["focal_a"]


def test_a_draft_can_even_be_saved_empty(focal):
    response = focal.post(reverse("examples:new"), {"action": "save"})
    assert response.status_code == 302
    assert ProgressExample.objects.get().state == State.DRAFT


def test_the_draft_page_lists_what_is_still_missing_before_submission(focal, users):
    example = make_example(users["focal_a"], results="", deliverables=())
    page = text(focal.get(reverse("examples:detail", args=[example.pk])))
    assert "Before you can submit, add:" in page
    assert "the results achieved" in page and "at least one deliverable it gives evidence for" in page


def test_save_and_submit_of_an_incomplete_example_keeps_the_draft_and_lists_what_is_missing(focal):
    data = form_data(action="submit", results="", deliverables=None, countries=None)
    response = focal.post(reverse("examples:new"), data)
    assert response.status_code == 400
    example = ProgressExample.objects.get()
    # Everything typed is saved; nothing is submitted.
    assert example.state == State.DRAFT
    assert example.title == COMPLETE["title"] and example.what_was_done == COMPLETE["what_was_done"]
    page = text(response)
    assert "Your changes are saved, but the example cannot be submitted yet" in page
    assert "Required to submit: the results achieved." in page
    assert "Required to submit: at least one country." in page
    assert "Required to submit: at least one deliverable it gives evidence for." in page
    # The form now edits the saved draft (no second draft on the next save), at its new version.
    assert f'action="{reverse("examples:edit", args=[example.pk])}"' in page
    assert f'name="version" value="{example.version}"' in page
    assert COMPLETE["what_was_done"] in page


def test_save_and_submit_of_a_complete_example_submits_it_and_tells_the_reviewers(
    focal, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = focal.post(reverse("examples:new"), form_data(action="submit"))
    example = ProgressExample.objects.get()
    assert response.status_code == 302
    assert example.state == State.SUBMITTED and example.submitted_at is not None
    assert sorted(country.code for country in example.countries) == ["GH", "NG"]
    assert [m.to for m in mail.outbox] == [["hq@example.org"]]
    assert "CO-ABUJA" in mail.outbox[0].subject
    assert f"/examples/{example.pk}/" in mail.outbox[0].body


def test_invalid_input_is_refused_with_the_typed_text_kept_and_nothing_saved(focal):
    data = form_data(
        started_on="2022-05-01", ended_on="2022-04-01", what_was_done="Typed with care", countries=["XX"]
    )
    response = focal.post(reverse("examples:new"), data)
    assert response.status_code == 400
    assert not ProgressExample.objects.exists()
    page = text(response)
    assert "The end of the period cannot be before its start." in page
    assert "“XX” is not one of the choices: choose from the list." in page
    assert "Typed with care" in page


def test_a_date_in_the_future_or_not_iso_is_refused(focal):
    response = focal.post(reverse("examples:new"), form_data(started_on="2999-01-01"))
    assert response.status_code == 400 and "cannot be in the future" in text(response)
    response = focal.post(reverse("examples:new"), form_data(started_on="01/03/2022"))
    assert response.status_code == 400 and "Give the date as YYYY-MM-DD, for example 2023-01-31." in text(
        response
    )


def test_what_was_done_is_limited_to_5000_characters(focal):
    response = focal.post(reverse("examples:new"), form_data(what_was_done="x" * 5001))
    assert response.status_code == 400
    assert "Write at most 5000 characters: this has 5001." in text(response)
    assert not ProgressExample.objects.exists()


def test_a_deliverable_of_another_plan_or_unknown_is_refused(focal):
    response = focal.post(reverse("examples:new"), form_data(deliverables=["999999"]))
    assert response.status_code == 400 and not ProgressExample.objects.exists()


def test_the_focal_point_edits_a_draft_and_the_version_moves_on(focal, users):
    example = make_example(users["focal_a"])
    response = focal.post(
        reverse("examples:edit", args=[example.pk]), form_data(example, title="A better title")
    )
    assert response.status_code == 302
    saved = ProgressExample.objects.get(pk=example.pk)
    assert saved.title == "A better title" and saved.version == example.version + 1


def test_a_second_edit_from_the_same_version_is_refused_and_keeps_its_input(focal, users):
    example = make_example(users["focal_a"])
    first = focal.post(reverse("examples:edit", args=[example.pk]), form_data(example, title="First"))
    assert first.status_code == 302
    second = focal.post(
        reverse("examples:edit", args=[example.pk]),
        form_data(example, title="Second, from an old tab"),
    )
    assert second.status_code == 409
    assert ProgressExample.objects.get(pk=example.pk).title == "First"
    page = text(second)
    assert "Not saved: someone else changed this example" in page
    assert "Second, from an old tab" in page
    # Saving again, now knowingly, succeeds.
    saved = ProgressExample.objects.get(pk=example.pk)
    third = focal.post(
        reverse("examples:edit", args=[example.pk]),
        form_data(saved, title="Second, from an old tab"),
    )
    assert third.status_code == 302
    assert ProgressExample.objects.get(pk=example.pk).title == "Second, from an old tab"


def test_submitting_from_the_example_page(focal, users):
    example = make_example(users["focal_a"])
    response = focal.post(reverse("examples:submit", args=[example.pk]))
    assert response.status_code == 302
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED


def test_submitting_an_incomplete_example_from_its_page_lists_what_is_missing(focal, users):
    example = make_example(users["focal_a"], deliverables=())
    response = focal.post(reverse("examples:submit", args=[example.pk]))
    assert response.status_code == 400
    assert "Not submitted: complete the example first." in text(response)
    assert "at least one deliverable it gives evidence for" in text(response)
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT


# Review


def test_returning_needs_a_comment_and_shows_it_prominently_to_the_office(
    client, users, django_capture_on_commit_callbacks
):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    client.force_login(users["hq"])
    url = reverse("examples:review", args=[example.pk])
    refused = client.post(url, {"decision": "return", "comment": "  "})
    assert refused.status_code == 400 and "a comment is required" in text(refused)
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "return", "comment": "Please give the number of workers."})
    assert response.status_code == 302
    assert ProgressExample.objects.get(pk=example.pk).state == State.RETURNED
    assert [m.to for m in mail.outbox] == [["focal_a@example.org"]]
    assert "Please give the number of workers." in mail.outbox[0].body

    client.force_login(users["focal_a"])
    for page in (
        reverse("examples:detail", args=[example.pk]),
        reverse("examples:edit", args=[example.pk]),
        reverse("examples:list"),
    ):
        body = text(client.get(page))
        assert "Please give the number of workers." in body, page
    detail = text(client.get(reverse("examples:detail", args=[example.pk])))
    assert 'class="review-note review-note-returned"' in detail


def test_the_returned_example_is_edited_and_resubmitted_and_the_first_comment_is_kept(focal, users):
    example = make_example(users["focal_a"], state=State.RETURNED, reviewer=users["hq"])
    example.refresh_from_db()
    response = focal.post(
        reverse("examples:edit", args=[example.pk]),
        form_data(example, results="Adopted; 1,200 workers covered.", action="submit"),
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.state == State.SUBMITTED and example.results == "Adopted; 1,200 workers covered."
    history = text(focal.get(reverse("examples:detail", args=[example.pk])))
    assert "Please add figures." in history  # the return's reason is never lost


def test_approving_shows_the_example_on_its_deliverables_pages(hq, users, django_capture_on_commit_callbacks):
    example = make_example(users["focal_a"], state=State.SUBMITTED, deliverables=("1.1.1", "2.1.1"))
    with django_capture_on_commit_callbacks(execute=True):
        response = hq.post(reverse("examples:review", args=[example.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert ProgressExample.objects.get(pk=example.pk).state == State.APPROVED
    assert "approved" in mail.outbox[0].subject
    for code in ("1.1.1", "2.1.1"):
        assert COMPLETE["title"] in text(hq.get(reverse("deliverables:detail", args=[code])))
    assert COMPLETE["title"] not in text(hq.get(reverse("deliverables:detail", args=["3.1.1"])))


def test_examples_not_approved_do_not_show_on_the_deliverable_page(hq, users):
    for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.REJECTED):
        make_example(users["focal_a"], state=state, reviewer=users["hq"], title=f"Example {state}")
    page = text(hq.get(reverse("deliverables:detail", args=["1.1.1"])))
    assert "Example " not in page
    assert "No approved example from the field offices" in page


def test_another_offices_focal_point_reads_the_approved_summary_without_a_link(client, users):
    example = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    client.force_login(users["focal_b"])
    page = text(client.get(reverse("deliverables:detail", args=["1.1.1"])))
    assert COMPLETE["title"] in page
    assert reverse("examples:detail", args=[example.pk]) not in page
    client.force_login(users["focal_a"])
    assert reverse("examples:detail", args=[example.pk]) in text(
        client.get(reverse("deliverables:detail", args=["1.1.1"]))
    )


def test_rejecting_needs_a_reason_which_the_office_sees(client, users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    client.force_login(users["hq"])
    url = reverse("examples:review", args=[example.pk])
    assert client.post(url, {"decision": "reject"}).status_code == 400
    assert client.post(url, {"decision": "reject", "comment": "Duplicate of #12."}).status_code == 302
    client.force_login(users["focal_a"])
    page = text(client.get(reverse("examples:detail", args=[example.pk])))
    assert "Duplicate of #12." in page and "review-note-rejected" in page


def test_an_unknown_decision_is_refused(hq, users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    response = hq.post(reverse("examples:review", args=[example.pk]), {"decision": "publish"})
    assert response.status_code == 400
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED


# Transitions refused whatever the form sends


def test_approving_a_draft_is_refused_with_a_message(hq, users):
    example = make_example(users["focal_a"])
    response = hq.post(reverse("examples:review", args=[example.pk]), {"decision": "approve"})
    assert response.status_code == 409
    assert "An example that is “Draft” cannot become “Approved”." in text(response)
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT


def test_approving_twice_is_refused(hq, users):
    example = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    response = hq.post(
        reverse("examples:review", args=[example.pk]),
        {"decision": "reject", "comment": "changed my mind"},
    )
    assert response.status_code == 409
    assert ProgressExample.objects.get(pk=example.pk).state == State.APPROVED


@pytest.mark.parametrize("state", [State.SUBMITTED, State.APPROVED, State.REJECTED])
def test_the_office_cannot_edit_an_example_it_no_longer_holds(focal, users, state):
    example = make_example(users["focal_a"], state=state, reviewer=users["hq"])
    example.refresh_from_db()
    url = reverse("examples:edit", args=[example.pk])
    assert focal.get(url).status_code == 302  # back to the example's page, with a message
    response = focal.post(url, form_data(example, title="Sneaky change"))
    assert response.status_code == 409
    assert "it can no longer be edited" in text(response)
    assert ProgressExample.objects.get(pk=example.pk).title == COMPLETE["title"]


def test_a_focal_point_cannot_submit_another_offices_example(client, users):
    example = make_example(users["focal_a"])
    client.force_login(users["focal_b"])
    assert client.post(reverse("examples:submit", args=[example.pk])).status_code == 404
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT


def test_a_focal_point_cannot_review_even_by_posting_the_form(focal, users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    response = focal.post(reverse("examples:review", args=[example.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED


def test_the_office_field_posted_by_a_focal_point_is_ignored(focal):
    from deliverables.models import Office

    dhaka = Office.objects.get(code="CO-DHAKA")
    focal.post(reverse("examples:new"), form_data(office=str(dhaka.pk)))
    assert ProgressExample.objects.get().office.code == "CO-ABUJA"


def test_a_superuser_may_edit_an_approved_example_and_the_history_says_so(client, users):
    example = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    example.refresh_from_db()
    client.force_login(users["superuser"])
    response = client.post(
        reverse("examples:edit", args=[example.pk]), form_data(example, title="Corrected title")
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert example.title == "Corrected title" and example.state == State.APPROVED
    assert example.transitions.last().comment == "Edited by a superuser after review."


def test_a_superuser_creates_an_example_for_a_chosen_field_office(client, users):
    from deliverables.models import Office

    client.force_login(users["superuser"])
    lima = Office.objects.get(code="DWT-LIMA")
    response = client.post(reverse("examples:new"), form_data(office=str(lima.pk)))
    assert response.status_code == 302
    assert ProgressExample.objects.get().office == lima


# Escaping


SCRIPT = '<script>alert("x")</script><b>bold</b>'


def test_text_with_html_is_shown_escaped_everywhere(client, users, django_capture_on_commit_callbacks):
    example = make_example(
        users["focal_a"], title=SCRIPT, what_was_done=SCRIPT, results=SCRIPT, partners=SCRIPT
    )
    example.submit(users["focal_a"])
    example.return_for_changes(users["hq"], SCRIPT)
    example.submit(users["focal_a"])
    example.approve(users["hq"], SCRIPT)
    pages = [
        (users["focal_a"], reverse("examples:list")),
        (users["focal_a"], reverse("examples:detail", args=[example.pk])),
        (users["hq"], reverse("examples:queue") + "?state="),
        (users["hq"], reverse("deliverables:detail", args=["1.1.1"])),
    ]
    for user, url in pages:
        client.force_login(user)
        body = text(client.get(url))
        assert "<script>alert" not in body and "<b>bold</b>" not in body, url
        assert "&lt;script&gt;alert" in body, url


def test_e_mail_subjects_never_carry_a_line_break_from_the_title(
    focal, users, django_capture_on_commit_callbacks
):
    example = make_example(users["focal_a"], title="Line one\r\nBcc: someone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        focal.post(reverse("examples:submit", args=[example.pk]))
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and mail.outbox[0].bcc == []


def test_reviewers_without_an_address_or_inactive_are_not_mailed(
    focal, users, django_capture_on_commit_callbacks
):
    from tests.factories import make_user

    make_user("hq2", role="hq").__class__.objects.filter(username="hq2").update(email="")
    make_user("hq3", role="hq").__class__.objects.filter(username="hq3").update(is_active=False)
    example = make_example(users["focal_a"])
    with django_capture_on_commit_callbacks(execute=True):
        focal.post(reverse("examples:submit", args=[example.pk]))
    assert [m.to for m in mail.outbox] == [["hq@example.org"]]


def test_a_mail_server_failure_does_not_undo_the_transition(
    focal, users, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import examples.notifications as notifications

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("no SMTP")

    monkeypatch.setattr(notifications, "send_mass_mail", broken)
    example = make_example(users["focal_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = focal.post(reverse("examples:submit", args=[example.pk]))
    assert response.status_code == 302
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED


# Lists


def test_my_examples_shows_only_my_office_with_states_and_counts(focal, users):
    make_example(users["focal_a"], title="Ours, draft")
    make_example(users["focal_a"], title="Ours, submitted", state=State.SUBMITTED)
    make_example(users["focal_b"], title="Dhaka's")
    page = text(focal.get(reverse("examples:list")))
    assert "Ours, draft" in page and "Ours, submitted" in page and "Dhaka&#x27;s" not in page
    assert "All (2)" in page and "Draft (1)" in page and "Submitted (1)" in page
    only_drafts = text(focal.get(reverse("examples:list") + "?state=draft"))
    assert "Ours, draft" in only_drafts and "Ours, submitted" not in only_drafts


def test_a_returned_example_keeps_its_title_and_date_when_saved(focal, users):
    example = make_example(users["focal_a"], state=State.RETURNED, reviewer=users["hq"])
    example.refresh_from_db()
    response = focal.post(
        reverse("examples:edit", args=[example.pk]),
        form_data(example, title="", started_on="", ended_on="", results=""),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Required once submitted: a title." in page and "Required once submitted: the date" in page
    # Other fields may be incomplete while the office works on the return.
    assert "Required once submitted: the results" not in page
    assert ProgressExample.objects.get(pk=example.pk).title == COMPLETE["title"]


def test_a_superuser_cannot_make_an_approved_example_incomplete(client, users):
    example = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    example.refresh_from_db()
    client.force_login(users["superuser"])
    response = client.post(
        reverse("examples:edit", args=[example.pk]),
        form_data(example, results="", deliverables=None),
    )
    assert response.status_code == 400
    assert "Required once submitted: the results achieved." in text(response)
    assert ProgressExample.objects.get(pk=example.pk).results == COMPLETE["results"]
