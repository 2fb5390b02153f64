"""`seed_demo` adds realistic examples: several offices in all five regions, every
state, histories with returns; the demo focal point has examples in several states."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from deliverables.models import Region
from examples.models import ExampleTransition, ProgressExample
from tests.examples.example_data import media  # noqa: F401

State = ProgressExample.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(plan):
    call_command("seed_demo", stdout=io.StringIO())


def test_the_demo_has_examples_in_every_state_from_several_offices_in_every_region(seeded):
    assert set(ProgressExample.objects.values_list("state", flat=True)) == set(State.values)
    offices_by_region = dict(
        ProgressExample.objects.values_list("office__region__code").annotate(n=Count("office", distinct=True))
    )
    assert set(offices_by_region) == set(Region.objects.values_list("code", flat=True))
    assert sum(offices_by_region.values()) >= 10


def test_the_demo_focal_point_of_abuja_has_examples_in_several_states(seeded):
    states = set(ProgressExample.objects.filter(created_by__username="focal").values_list("state", flat=True))
    assert states == set(State.values)
    assert set(
        ProgressExample.objects.filter(created_by__username="focal").values_list("office__code", flat=True)
    ) == {"CO-ABUJA"}


def test_demo_histories_are_consistent_and_in_time_order(seeded):
    for example in ProgressExample.objects.prefetch_related("transitions"):
        history = list(example.transitions.all())
        assert history[0].from_state == "" and history[-1].to_state == example.state
        assert all(a.to_state == b.from_state for a, b in zip(history, history[1:], strict=False))
        assert [t.at for t in history] == sorted(t.at for t in history)
        if example.state != State.DRAFT:
            assert example.deliverables.exists() and example.submitted_at is not None
    assert ExampleTransition.objects.filter(to_state=State.RETURNED).exclude(comment="").count() >= 2


def test_seeding_twice_adds_nothing(seeded):
    before = (ProgressExample.objects.count(), ExampleTransition.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (ProgressExample.objects.count(), ExampleTransition.objects.count()) == before


def test_the_extra_demo_authors_cannot_sign_in(seeded):
    from django.contrib.auth.models import User

    extra = User.objects.filter(username__startswith="focal-")
    assert extra.exists() and not any(user.has_usable_password() for user in extra)
