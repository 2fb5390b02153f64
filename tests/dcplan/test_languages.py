"""A signed-in user's choice of language is kept for their e-mails; the
log-in page's language chooser stays out of the way of the log-in form."""

import re

import pytest
from django.urls import reverse

from deliverables.models import Profile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_chooser_keeps_a_signed_in_users_language_on_their_profile(client, users):
    client.force_login(users["focal_a"])
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/deliverables/"})
    assert response.status_code == 302 and response["Location"] == "/deliverables/"
    assert response.cookies["django_language"].value == "fr"
    assert Profile.objects.get(user=users["focal_a"]).language == "fr"
    assert Profile.objects.get(user=users["focal_b"]).language == ""


def test_an_unknown_language_changes_nothing_and_anonymous_choices_only_set_the_cookie(client, users):
    client.force_login(users["focal_a"])
    client.post(reverse("set_language"), {"language": "de"})
    assert Profile.objects.get(user=users["focal_a"]).language == ""
    client.logout()
    response = client.post(reverse("set_language"), {"language": "es"})
    assert response.cookies["django_language"].value == "es"
    assert set(Profile.objects.values_list("language", flat=True)) == {""}


def test_the_users_own_page_shows_and_changes_the_language_of_their_e_mails(client, users):
    client.force_login(users["focal_a"])
    page = client.get(reverse("planning:my_reminders")).content.decode()
    assert 'id="email-language-select"' in page
    assert re.search(r'<option value="en" lang="en" selected>', page)
    client.post(reverse("set_language"), {"language": "es", "next": reverse("planning:my_reminders")})
    page = client.get(reverse("planning:my_reminders")).content.decode()
    assert re.search(r'<option value="es" lang="es" selected>', page)
    assert '<html lang="es">' in page


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_log_in_page_declares_its_language_and_submits_the_log_in_form_first(client, db, language):
    client.cookies["django_language"] = language
    page = client.get(reverse("login")).content.decode()
    assert f'<html lang="{language}">' in page
    forms = re.findall(r"<form\b[^>]*>.*?</form>", page, re.S)
    first_with_a_button = next(f for f in forms if re.search(r'type="submit"', f))
    assert 'name="password"' in first_with_a_button  # Enter in the log-in form logs in
    assert 'action="/i18n/setlang/"' in forms[-1]


def test_signing_in_on_a_new_browser_brings_back_the_users_language(client, users):
    Profile.objects.filter(user=users["focal_a"]).update(language="fr")
    response = client.post(reverse("login"), {"username": "focal_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "fr"
    page = client.get(reverse("deliverables:list")).content.decode()
    assert '<html lang="fr">' in page


def test_a_language_chosen_on_the_log_in_page_wins_over_the_saved_one(client, users):
    Profile.objects.filter(user=users["focal_a"]).update(language="fr")
    client.cookies["django_language"] = "es"
    response = client.post(reverse("login"), {"username": "focal_a", "password": PASSWORD})
    assert response.status_code == 302 and "django_language" not in response.cookies
    assert '<html lang="es">' in client.get(reverse("deliverables:list")).content.decode()
