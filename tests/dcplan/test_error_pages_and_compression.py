"""The 403 and 404 pages say what is needed and whom to ask; pages are compressed."""

import gzip

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_403_names_the_roles_that_may_and_whom_to_ask(users):
    response = signed_in("focal_a").get("/dashboard/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is for these roles: Headquarters staff or Managers." in page
    assert "You are signed in as focal_a" in page
    assert "PARDEV, the Partnerships and Field Support Department" in page


def test_a_403_gives_the_support_address_when_there_is_one(users, settings):
    settings.DCPLAN_SUPPORT_EMAIL = "dcplan@ilo.example"
    page = signed_in("manager").get("/imports/status/").content.decode()
    assert "This page is for the role Headquarters staff." in page
    assert 'href="mailto:dcplan@ilo.example"' in page


def test_a_404_says_an_office_sees_its_own_examples_and_whom_to_ask(users):
    response = signed_in("focal_a").get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "an office sees only its own progress examples" in page
    assert "PARDEV" in page


def test_pages_are_sent_compressed_to_browsers_that_accept_it(users):
    response = signed_in("hq").get("/deliverables/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "1.4.1" in html and len(response.content) < len(html.encode()) / 3
