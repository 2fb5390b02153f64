"""Production defaults: deploy checks, sign-in throttling, CSP, health check, audit log."""

import datetime
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3-8f!qz0Lw#rT5vN2pXy7Jm4Hc9Bd6Gs1Ae0Uo8Ri2Ek5Wn3Zt",
    "ALLOWED_HOSTS": "dcplan.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://dcplan.example.org",
}


def test_check_deploy_reports_no_warning_under_production_variables():
    # As a production server starts: without the variables the test run itself sets.
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def sign_in(client, username, password, ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_sixth_wrong_password_for_one_user_is_refused_even_with_the_right_one(client, users, throttled):
    for _ in range(4):
        response = sign_in(client, "hq", "wrong")
        assert response.status_code == 200  # the form again, with an error
        assert "Please enter a correct" in response.content.decode()
    assert sign_in(client, "hq", "wrong").status_code == 429  # the fifth failure locks
    response = sign_in(client, "hq", PASSWORD)  # the sixth attempt is refused, right password or not
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_user_at_the_same_address_still_signs_in(client, users, throttled):
    for _ in range(6):
        sign_in(client, "hq", "wrong")
    response = sign_in(client, "manager", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["manager"].pk)


def test_the_same_user_from_another_address_still_signs_in(client, users, throttled):
    for _ in range(6):
        sign_in(client, "hq", "wrong", ip="10.0.0.7")
    assert sign_in(client, "hq", PASSWORD, ip="10.9.9.9").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, users, throttled):
    for _ in range(6):
        sign_in(client, "hq", "wrong")
    assert sign_in(client, "hq", PASSWORD).status_code == 429
    # Sixteen minutes pass: move the recorded failures back instead of the clock.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert sign_in(client, "hq", PASSWORD).status_code == 302


PAGES = [
    ("login", {}, None),
    ("home", {}, "hq"),
    ("deliverables:list", {}, "hq"),
    ("deliverables:detail", {"code": "1.4.1"}, "hq"),
    ("deliverables:dashboard", {}, "focal_a"),  # a 403 page
    ("deliverables:detail", {"code": "0.0.0"}, "hq"),  # a 404 page
    ("admin:index", {}, "superuser"),
]


@pytest.mark.parametrize(("name", "kwargs", "role"), PAGES)
def test_every_page_type_sends_a_strict_content_security_policy(client, users, name, kwargs, role):
    if role:
        client.force_login(users[role])
    response = client.get(reverse(name, kwargs=kwargs))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_app_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "reporting" in path.parts and path.name.startswith("pdf"):
            continue  # rendered by WeasyPrint, never served to a browser
        text = path.read_text()
        if "<script>" in text or "<style" in text or 'style="' in text or " on" + "click=" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_healthz_answers_200_when_the_database_is_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "uploads": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("dcplan.views.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_sign_ins_failures_and_denials_are_logged(client, users, caplog, settings):
    settings.AXES_ENABLED = True
    with caplog.at_level(logging.INFO, logger="dcplan.audit"):
        sign_in(client, "hq", "wrong")
        sign_in(client, "focal_a", PASSWORD)
        client.get(reverse("deliverables:dashboard"))
    lines = [r.getMessage() for r in caplog.records if r.name == "dcplan.audit"]
    assert any(line.startswith("failed sign-in user=hq ip=10.0.0.7") for line in lines), lines
    assert any(line.startswith("sign-in user=focal_a ip=10.0.0.7") for line in lines), lines
    assert any("denied access status=403 user=focal_a" in line and "/dashboard/" in line for line in lines), (
        lines
    )


def test_sessions_expire_after_inactivity(settings):
    # Refreshed by dcplan.middleware.SessionRefreshMiddleware (tests/dcplan/test_sessions.py).
    assert "dcplan.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.SESSION_REFRESH_SECONDS < settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_password_validators_are_on(users):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("demo", users["hq"])


def test_livez_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"
