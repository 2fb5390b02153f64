"""Who may reach which status-tracking page: every URL × every role."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

ROLES = ["anonymous", "focal_a", "manager", "hq", "superuser"]

# url name, kwargs, method, expected status per role (302 = sent to log-in).
MATRIX = [
    ("home", {}, "get", {"anonymous": 302, "focal_a": 302, "manager": 200, "hq": 200, "superuser": 200}),
    (
        "deliverables:dashboard",
        {},
        "get",
        {"anonymous": 302, "focal_a": 403, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "deliverables:list",
        {},
        "get",
        {"anonymous": 302, "focal_a": 200, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "deliverables:detail",
        {"code": "1.4.1"},
        "get",
        {"anonymous": 302, "focal_a": 200, "manager": 200, "hq": 200, "superuser": 200},
    ),
    (
        "deliverables:update",
        {"code": "1.4.1"},
        "post",
        {"anonymous": 302, "focal_a": 403, "manager": 403, "hq": 302, "superuser": 302},
    ),
    (
        "deliverables:update",
        {"code": "1.4.1"},
        "get",
        {"anonymous": 405, "focal_a": 405, "manager": 405, "hq": 405, "superuser": 405},
    ),
]

VALID_UPDATE = {
    "version": "0",
    "status": "on_track",
    "progress_value": "3",
    "as_of": "2022-05-01",
    "narrative": "",
    "evidence_links": "",
}


def client_for(client, users, role):
    if role != "anonymous":
        client.login(username=users[role].username, password=PASSWORD)
    return client


@pytest.mark.parametrize(("name", "kwargs", "method", "expected"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, users, name, kwargs, method, expected, role):
    client = client_for(client, users, role)
    url = reverse(name, kwargs=kwargs)
    response = client.post(url, VALID_UPDATE) if method == "post" else client.get(url)
    assert response.status_code == expected[role], (role, url, response.status_code)
    if expected[role] == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_a_refused_update_writes_nothing(client, users):
    from deliverables.models import Deliverable, StatusUpdate

    client_for(client, users, "manager").post(reverse("deliverables:update", args=["1.4.1"]), VALID_UPDATE)
    assert StatusUpdate.objects.count() == 0
    assert Deliverable.objects.get(code="1.4.1").version == 0


def test_an_unknown_deliverable_answers_404(client, users):
    client_for(client, users, "hq")
    assert client.get(reverse("deliverables:detail", args=["9.9.9"])).status_code == 404


def test_the_update_form_is_shown_only_to_those_who_may_record(client, users):
    client_for(client, users, "manager")
    page = client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    assert "Record a status update" not in page
    client.logout()
    client_for(client, users, "hq")
    page = client.get(reverse("deliverables:detail", args=["1.4.1"])).content.decode()
    assert "Record a status update" in page


def test_logging_out_needs_a_post(client, users):
    client_for(client, users, "hq")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("deliverables:list")).status_code == 302
