"""Shared fixtures: the plan, the demo roles as named users, and small factories."""

import os

import pytest
from django.core.management import call_command
from django.db import connection

# Playwright runs an event loop in the test thread; Django must still allow
# its synchronous ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session):
    # The compiled catalogues are not in git; `make install` builds them, and this
    # rebuilds any older than its .po so that a test run never reads stale ones.
    from dcplan.catalogues import compile_catalogues

    compile_catalogues(only_if_stale=True)


def pytest_report_header(config):
    from django.conf import settings

    vendor = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    return f"dcplan database vendor: {vendor}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Sign-in throttling has its own tests; elsewhere the test client's
    # login() (which passes no request) must work.
    settings.AXES_ENABLED = False


@pytest.fixture
def plan(db):
    call_command("loaddata", "gb341_pol4", "offices", verbosity=0)
    from deliverables.models import Plan

    return Plan.objects.get(symbol="GB.341/POL/4")


@pytest.fixture
def users(plan):
    """The demo roles: hq (headquarters staff), manager, focal_a and focal_b
    (focal points of two field offices), superuser."""
    from tests.factories import make_user

    return {
        "hq": make_user("hq", role="hq", office="PARDEV"),
        "manager": make_user("manager", role="manager", office="PARDEV"),
        "focal_a": make_user("focal_a", role="focal", office="CO-ABUJA"),
        "focal_b": make_user("focal_b", role="focal", office="CO-DHAKA"),
        "superuser": make_user("root", role="superuser", office="PARDEV"),
    }


@pytest.fixture
def vendor():
    return connection.vendor


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's Chromium, with the console watched for CSP violations.

    Use with the `live_server` URL: browser_page.goto(live_server.url + "/").
    """
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM", CHROMIUM)
    if not shutil.which(executable):
        pytest.fail(
            f"Chromium not found at {executable}: `make browser` installs it (apt-get install chromium)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_messages = []
        page.on("console", lambda message: page.console_messages.append(message.text))
        page.set_default_timeout(15000)
        yield page
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def close_stray_connections(django_db_setup, django_db_blocker):
    """Live-server and worker threads may leave a PostgreSQL session open on the
    test database; end them so the database can be dropped after the run."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
