"""The progress example's workflow, constraints and QuerySet verbs."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from deliverables.models import Office
from examples.models import ExampleTransition, ProgressExample
from tests.examples.example_data import COMPLETE, grow_examples, make_example, media  # noqa: F401

State = ProgressExample.State
pytestmark = pytest.mark.django_db


def test_a_new_example_is_a_draft_with_its_creation_in_the_history(users):
    example = make_example(users["focal_a"])
    assert example.state == State.DRAFT
    assert example.office.code == "CO-ABUJA"
    [created] = example.transitions.all()
    assert (created.from_state, created.to_state, created.actor) == ("", State.DRAFT, users["focal_a"])


def test_the_full_workflow_records_every_transition_with_who_when_and_comment(users):
    focal, hq = users["focal_a"], users["hq"]
    example = make_example(focal)
    example.submit(focal)
    example.return_for_changes(hq, "Add the figures.")
    example.submit(focal)
    example.approve(hq, "Fine now.")
    example.refresh_from_db()
    assert example.state == State.APPROVED
    assert example.approved_at is not None and example.submitted_at is not None
    steps = [(t.from_state, t.to_state, t.actor.username, t.comment) for t in example.transitions.all()]
    assert steps == [
        ("", "draft", "focal_a", ""),
        ("draft", "submitted", "focal_a", ""),
        ("submitted", "returned", "hq", "Add the figures."),
        ("returned", "submitted", "focal_a", ""),
        ("submitted", "approved", "hq", "Fine now."),
    ]


def test_every_transition_moves_the_version_on(users):
    example = make_example(users["focal_a"])
    before = example.version
    example.submit(users["focal_a"])
    assert ProgressExample.objects.get(pk=example.pk).version == before + 1


@pytest.mark.parametrize("verb", ["approve", "return_for_changes", "reject"])
def test_a_draft_cannot_be_reviewed(users, verb):
    example = make_example(users["focal_a"])
    with pytest.raises(ProgressExample.TransitionNotAllowed):
        getattr(example, verb)(users["hq"], "A comment")
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT
    assert example.transitions.count() == 1


@pytest.mark.parametrize("state", [State.SUBMITTED, State.APPROVED, State.REJECTED])
def test_only_drafts_and_returned_examples_can_be_submitted(users, state):
    example = make_example(users["focal_a"], state=state, reviewer=users["hq"])
    with pytest.raises(ProgressExample.TransitionNotAllowed):
        example.submit(users["focal_a"])


def test_an_approved_example_cannot_be_approved_again_or_rejected(users):
    example = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    for verb in ("approve", "reject", "return_for_changes"):
        with pytest.raises(ProgressExample.TransitionNotAllowed):
            getattr(example, verb)(users["hq"], "again")


def test_the_state_checked_is_the_saved_one_not_the_one_in_memory(users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    stale_copy = ProgressExample.objects.get(pk=example.pk)
    example.approve(users["hq"])
    with pytest.raises(ProgressExample.TransitionNotAllowed):
        stale_copy.reject(users["hq"], "Too late")
    assert ProgressExample.objects.get(pk=example.pk).state == State.APPROVED


def test_returning_needs_a_comment_and_rejecting_needs_a_reason(users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    with pytest.raises(ProgressExample.TransitionNotAllowed, match="comment is required"):
        example.return_for_changes(users["hq"], "   ")
    with pytest.raises(ProgressExample.TransitionNotAllowed, match="reason is required"):
        example.reject(users["hq"], "")
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED


def test_a_focal_point_can_never_approve_even_their_own_example(users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    for user in (users["focal_a"], users["manager"]):
        with pytest.raises(ProgressExample.TransitionNotAllowed, match="Only headquarters reviewers"):
            example.approve(user)
    assert ProgressExample.objects.get(pk=example.pk).state == State.SUBMITTED


def test_another_office_and_headquarters_cannot_submit_an_example(users):
    example = make_example(users["focal_a"])
    for user in (users["focal_b"], users["hq"], users["manager"]):
        with pytest.raises(ProgressExample.TransitionNotAllowed, match="Only the example's office"):
            example.submit(user)
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT


def test_submitting_an_incomplete_example_names_everything_missing(users):
    example = make_example(
        users["focal_a"],
        deliverables=(),
        title="",
        countries=[],
        started_on=None,
        ended_on=None,
        what_was_done="",
        results="",
        involves_government=False,
        involves_employers=False,
        involves_workers=False,
    )
    with pytest.raises(ProgressExample.Incomplete) as refused:
        example.submit(users["focal_a"])
    assert set(refused.value.message_dict) == {
        "title",
        "countries",
        "started_on",
        "what_was_done",
        "results",
        "involves_government",
        "deliverables",
    }
    assert ProgressExample.objects.get(pk=example.pk).state == State.DRAFT


def test_an_example_without_a_linked_deliverable_cannot_be_submitted(users):
    example = make_example(users["focal_a"], deliverables=())
    with pytest.raises(ProgressExample.Incomplete) as refused:
        example.submit(users["focal_a"])
    assert list(refused.value.message_dict) == ["deliverables"]


def test_the_database_refuses_a_period_that_ends_before_it_starts(users):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_example(
            users["focal_a"], started_on=datetime.date(2022, 5, 1), ended_on=datetime.date(2022, 4, 1)
        )


def test_the_database_refuses_a_submitted_example_without_title(users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressExample.objects.filter(pk=example.pk).update(title="")


def test_the_database_refuses_an_approval_date_on_an_example_not_approved(users):
    example = make_example(users["focal_a"], state=State.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressExample.objects.filter(pk=example.pk).update(approved_at=timezone.now())


def test_constituents_lists_the_translated_labels_of_those_involved(users):
    example = make_example(
        users["focal_a"], involves_government=True, involves_employers=False, involves_workers=True
    )
    assert example.constituents == ["Government", "Workers' organizations"]


def test_for_user_scopes_focal_points_to_their_office_and_shows_all_to_headquarters(users):
    mine = make_example(users["focal_a"])
    theirs = make_example(users["focal_b"])
    assert list(ProgressExample.objects.for_user(users["focal_a"])) == [mine]
    assert list(ProgressExample.objects.for_user(users["focal_b"])) == [theirs]
    for role in ("hq", "manager", "superuser"):
        assert set(ProgressExample.objects.for_user(users[role])) == {mine, theirs}


def test_for_user_shows_nothing_to_anonymous_users_or_a_focal_point_without_office(users):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import make_user

    make_example(users["focal_a"])
    assert not ProgressExample.objects.for_user(AnonymousUser()).exists()
    assert not ProgressExample.objects.for_user(make_user("nobody", role="focal")).exists()


def test_citable_as_of_counts_approved_cleared_examples_approved_by_the_date(users):
    cited = make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"])
    make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"], may_be_cited=False)
    make_example(users["focal_a"], state=State.SUBMITTED)
    today = timezone.localdate()
    assert list(ProgressExample.objects.citable_as_of(today)) == [cited]
    assert not ProgressExample.objects.citable_as_of(today - datetime.timedelta(days=1)).exists()
    assert list(ProgressExample.objects.approved().order_by("pk"))[0] == cited


def test_with_context_loads_office_region_and_deliverables_in_two_queries(
    users, plan, django_assert_num_queries
):
    grow_examples(plan, users["focal_a"], count=40)
    with django_assert_num_queries(2):
        rows = [
            (e.office.region.name, [d.action.focus_area.number for d in e.deliverables.all()])
            for e in ProgressExample.objects.with_context()
        ]
    assert len(rows) == 40 and all(len(areas) == 2 for _, areas in rows)


def test_demo_offices_have_a_region_so_every_example_can_be_counted_in_coverage(plan):
    assert not Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).filter(region__isnull=True).exists()


def test_an_example_without_title_reads_as_untitled(users):
    example = make_example(users["focal_a"], title="")
    assert str(example) == f"Untitled example {example.pk}"
    assert COMPLETE["title"] == str(make_example(users["focal_a"]))
    assert ExampleTransition.objects.filter(example=example).count() == 1


def test_headquarters_can_submit_a_draft_on_the_offices_behalf_and_a_focal_point_cannot(users):
    example = make_example(users["focal_a"])
    with pytest.raises(ProgressExample.TransitionNotAllowed):
        example.submit_on_behalf(users["focal_b"], "Received by e-mail.")
    example.submit_on_behalf(users["hq"], "Received by e-mail.")
    example.refresh_from_db()
    assert example.state == State.SUBMITTED
    last = example.transitions.order_by("-at", "-pk").first()
    assert (last.actor, last.comment) == (users["hq"], "Received by e-mail.")
