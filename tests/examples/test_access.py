"""Who may reach which progress-example page: every URL × every role, attachment
downloads included. Another office's example answers 404, not 403, so that its
existence is not revealed."""

import pytest
from django.urls import reverse

from deliverables.models import Deliverable
from examples.models import ExampleAttachment, ProgressExample
from tests.examples.example_data import make_example, media, pdf_bytes, upload  # noqa: F401
from tests.factories import PASSWORD

State = ProgressExample.State
ROLES = ["anonymous", "focal_a", "focal_b", "manager", "hq", "superuser"]
LOGIN = 302  # anonymous users are sent to the log-in page

# url name, which example (of office A, focal_a's), method, expected status per role.
# 302 for a signed-in role means the action succeeded and redirected.
MATRIX = [
    (
        "examples:list",
        None,
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 200, "manager": 403, "hq": 403, "superuser": 200},
    ),
    (
        "examples:new",
        None,
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 200, "manager": 403, "hq": 403, "superuser": 200},
    ),
    (
        "examples:new",
        None,
        "post",
        {"anonymous": LOGIN, "focal_a": 302, "focal_b": 302, "manager": 403, "hq": 403, "superuser": 302},
    ),
    (
        "examples:detail",
        "submitted",
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 404, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "examples:detail",
        "draft",
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 404, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "examples:edit",
        "draft",
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 404, "manager": 403, "hq": 403, "superuser": 200},
    ),
    (
        "examples:edit",
        "draft",
        "post",
        {"anonymous": LOGIN, "focal_a": 302, "focal_b": 404, "manager": 403, "hq": 403, "superuser": 302},
    ),
    (
        "examples:edit",
        "approved",
        "post",
        {"anonymous": LOGIN, "focal_a": 409, "focal_b": 404, "manager": 403, "hq": 403, "superuser": 302},
    ),
    (
        "examples:submit",
        "draft",
        "post",
        {"anonymous": LOGIN, "focal_a": 302, "focal_b": 404, "manager": 403, "hq": 403, "superuser": 302},
    ),
    (
        "examples:submit",
        "draft",
        "get",
        {"anonymous": 405, "focal_a": 405, "focal_b": 405, "manager": 405, "hq": 405, "superuser": 405},
    ),
    (
        "examples:review",
        "submitted",
        "post",
        {"anonymous": LOGIN, "focal_a": 403, "focal_b": 403, "manager": 403, "hq": 302, "superuser": 302},
    ),
    (
        "examples:review",
        "submitted",
        "get",
        {"anonymous": 405, "focal_a": 405, "focal_b": 405, "manager": 405, "hq": 405, "superuser": 405},
    ),
    (
        "examples:attachment",
        "submitted",
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 404, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "examples:attachment",
        "draft",
        "get",
        {"anonymous": LOGIN, "focal_a": 200, "focal_b": 404, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "examples:queue",
        None,
        "get",
        {"anonymous": LOGIN, "focal_a": 403, "focal_b": 403, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "examples:coverage",
        None,
        "get",
        {"anonymous": LOGIN, "focal_a": 403, "focal_b": 403, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "examples:coverage",
        "?region=AFRICA",
        "get",
        {"anonymous": LOGIN, "focal_a": 403, "focal_b": 403, "manager": 200, "hq": 200, "superuser": 200},
    ),
]


@pytest.fixture
def examples(users):
    """Office A's examples in three states, each with an attachment."""
    made = {
        "draft": make_example(users["focal_a"]),
        "submitted": make_example(users["focal_a"], state=State.SUBMITTED),
        "approved": make_example(users["focal_a"], state=State.APPROVED, reviewer=users["hq"]),
    }
    for example in made.values():
        attachment = ExampleAttachment(
            example=example,
            original_name="a.pdf",
            content_type="application/pdf",
            size=len(pdf_bytes()),
            sha256="0" * 64,
            uploaded_by=users["focal_a"],
        )
        attachment.file.save("upload", upload("a.pdf", pdf_bytes()), save=False)
        attachment.save()
        example.refresh_from_db()
    return made


def url_for(name: str, which: str | None, examples: dict) -> str:
    if which is None:
        return reverse(name)
    if which.startswith("?"):
        return reverse(name) + which
    example = examples[which]
    if name == "examples:attachment":
        return reverse(name, args=[example.pk, example.attachments.get().pk])
    return reverse(name, args=[example.pk])


def post_data(name: str, example: ProgressExample | None, role: str, users) -> dict:
    if name == "examples:review":
        return {"decision": "approve"}
    data = {
        "title": "Posted title",
        "action": "save",
        "countries": ["NG"],
        "started_on": "2022-01-01",
        "what_was_done": "Done",
        "results": "Achieved",
        "involves_workers": "on",
        "deliverables": [Deliverable.objects.get(code="1.1.1").pk],
    }
    if example is not None:
        data["version"] = example.version
    if role == "superuser" and name == "examples:new":
        data["office"] = users["focal_a"].profile.office_id
    return data


@pytest.mark.parametrize(("name", "which", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, users, examples, name, which, method, expected, role):
    if role != "anonymous":
        assert client.login(username=users[role].username, password=PASSWORD)
    url = url_for(name, which, examples)
    if method == "post":
        example = examples.get(which) if which and not which.startswith("?") else None
        response = client.post(url, post_data(name, example, role, users))
    else:
        response = client.get(url)
    assert response.status_code == expected[role], (role, method, url, response.status_code)
    if role == "anonymous" and expected[role] == LOGIN:
        assert response["Location"].startswith(reverse("login"))


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
