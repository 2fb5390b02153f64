"""Progress examples beyond the status codes of tests/dcplan/test_access_matrix.py:
a refused post changes nothing, and each role sees the links and forms it may use."""

import pytest
from django.urls import reverse

from examples.models import ProgressExample
from tests.examples.example_data import make_examples_with_attachments, media  # noqa: F401
from tests.factories import PASSWORD

State = ProgressExample.State


@pytest.fixture
def examples(users):
    """Office A's examples in three states, each with an attachment."""
    return make_examples_with_attachments(users["focal_a"], reviewer=users["hq"])


def test_a_refused_post_changes_nothing(client, users, examples):
    client.login(username="focal_b", password=PASSWORD)
    draft = examples["draft"]
    client.post(
        reverse("examples:edit", args=[draft.pk]),
        {"title": "Hijacked", "version": draft.version, "action": "save"},
    )
    client.post(reverse("examples:submit", args=[draft.pk]))
    client.login(username="manager", password=PASSWORD)
    client.post(reverse("examples:review", args=[examples["submitted"].pk]), {"decision": "approve"})
    assert ProgressExample.objects.get(pk=draft.pk).title == draft.title
    assert ProgressExample.objects.get(pk=draft.pk).state == State.DRAFT
    assert ProgressExample.objects.get(pk=examples["submitted"].pk).state == State.SUBMITTED


def test_an_unknown_example_answers_404(client, users):
    client.login(username="hq", password=PASSWORD)
    assert client.get(reverse("examples:detail", args=[999999])).status_code == 404


def test_a_focal_point_without_an_office_cannot_start_an_example(client, plan):
    from tests.factories import make_user

    make_user("homeless", role="focal")
    client.login(username="homeless", password=PASSWORD)
    assert client.get(reverse("examples:new")).status_code == 403


def test_the_navigation_shows_each_role_its_example_pages(client, users):
    links = {
        "focal_a": ({"My office's examples"}, {"Review queue", "Coverage", "Field examples"}),
        "hq": ({"Review queue", "Coverage"}, {"My office's examples", "Field examples"}),
        "manager": ({"Field examples", "Coverage"}, {"Review queue", "My office's examples"}),
    }
    for role, (shown, hidden) in links.items():
        client.login(username=users[role].username, password=PASSWORD)
        nav = client.get(reverse("deliverables:list")).content.decode().split("</nav>")[0]
        assert all(f">{label}</a>" in nav for label in shown), role
        assert not any(f">{label}</a>" in nav for label in hidden), role


def test_only_reviewers_see_the_review_form(client, users, examples):
    url = reverse("examples:detail", args=[examples["submitted"].pk])
    for role, shown in (("hq", True), ("manager", False), ("focal_a", False)):
        client.login(username=users[role].username, password=PASSWORD)
        assert ("Record decision" in client.get(url).content.decode()) is shown, role
