"""The pages still work under the Content Security Policy in a real Chromium:
no CSP violation in the console on the list, the deliverable page, the forms
and the review preview."""

import pytest

from tests.browser import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HQ_PAGES = [
    "/dashboard/",
    "/deliverables/?status=on_track&sort=-updated",
    "/deliverables/1.4.1/",  # with the status update form
    "/review/",
    "/coverage/",
    "/imports/status/",
    "/reports/midterm/?as_of=2022-12-31",  # the review preview
]
FOCAL_PAGES = ["/examples/", "/examples/new/"]


def violations(page) -> list[str]:
    return [m for m in page.console_messages if "Content Security Policy" in m or "Refused to" in m]


def visit(page, live_server, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def test_headquarters_pages_and_forms_run_without_csp_violations(browser_page, live_server, plan, users):
    browser_login(browser_page, live_server, "hq")
    for path in HQ_PAGES:
        visit(browser_page, live_server, path)
        assert violations(browser_page) == [], path
    # The stylesheet really applied (a blocked stylesheet would leave the default look).
    header = browser_page.locator("header.site")
    assert header.evaluate("e => getComputedStyle(e).display") == "flex"


def test_focal_point_forms_run_without_csp_violations(browser_page, live_server, plan, users):
    browser_login(browser_page, live_server, "focal_a")
    for path in FOCAL_PAGES:
        visit(browser_page, live_server, path)
        assert violations(browser_page) == [], path


def test_an_inline_style_would_be_reported(browser_page, live_server, plan, users):
    # The check above can fail: the same policy refuses an injected inline style.
    browser_login(browser_page, live_server, "hq")
    visit(browser_page, live_server, "/deliverables/")
    browser_page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')")
    browser_page.wait_for_timeout(300)
    assert violations(browser_page)
