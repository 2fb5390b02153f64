"""Sessions expire after inactivity without being written on every request."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from dcplan.middleware import SessionRefreshMiddleware

pytestmark = pytest.mark.django_db


def session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_view_soon_after_the_last_write_does_not_write_the_session(client, users):
    client.force_login(users["hq"])
    before = session_expiry(client)
    assert client.get(reverse("deliverables:list")).status_code == 200
    assert session_expiry(client) == before
    assert "sessionid" not in client.get(reverse("deliverables:list")).cookies


def test_a_page_view_after_the_refresh_interval_moves_the_expiry_on(client, users, settings):
    client.force_login(users["hq"])
    session = client.session
    session[SessionRefreshMiddleware.KEY] = int(time.time()) - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    before = session_expiry(client)
    time.sleep(1.1)

    response = client.get(reverse("deliverables:list"))

    assert response.status_code == 200
    assert session_expiry(client) > before
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_idle_longer_than_its_age_is_signed_out(client, users, settings):
    settings.SESSION_COOKIE_AGE = 1
    client.force_login(users["hq"])
    time.sleep(1.5)
    response = client.get(reverse("deliverables:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
