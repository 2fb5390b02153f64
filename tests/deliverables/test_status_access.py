"""Status tracking beyond the status codes of tests/dcplan/test_access_matrix.py:
a refused update writes nothing, the form shows only to those who may record."""

from django.urls import reverse

from tests.factories import PASSWORD

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
