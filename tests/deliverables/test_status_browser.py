"""Headquarters staff in a real Chromium: filter, open, record, see it everywhere."""

import pytest

from tests.browser import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_hq_staff_filter_open_a_deliverable_record_an_update_and_see_it(
    browser_page, live_server, plan, users
):
    page = browser_page
    browser_login(page, live_server, "hq")
    assert page.locator("h1").inner_text() == "Dashboard"

    page.click("nav >> text=Deliverables")
    page.click("details.filters-fold summary")  # the filters fold away until asked for
    page.select_option("#id_focus_area", label="Focus area 1 – Services to constituents")
    page.fill("#id_q", "partnerships")
    page.click("form.filters button[type=submit]")
    assert "focus_area=" in page.url and "q=partnerships" in page.url  # the filter lives in the URL
    codes = page.locator("tbody td.code").all_inner_texts()
    assert "1.4.1" in codes
    assert all(code.startswith("1.") for code in codes)

    page.click("tbody >> text=1.4.1")
    assert page.locator("h1").inner_text().startswith("1.4.1")
    page.select_option("#id_status", "on_track")
    page.fill("#id_progress_value", "7")
    page.fill("#id_narrative", "Seven partnerships concluded with southern partners.")
    page.fill("#id_evidence_links", "https://www.ilo.org/pardev/south-south")
    page.fill("#id_as_of", "2023-01-15")
    page.click("text=Record update")

    assert "was recorded" in page.locator(".messages").inner_text()
    history = page.locator("ol.history").inner_text()
    assert "Seven partnerships concluded" in history and "as of 15 January 2023" in history
    assert "7 of 10 partnerships" in page.locator("dl.facts").inner_text()

    page.click("nav >> text=Dashboard")
    assert "Seven partnerships concluded" in page.locator("#latest + .table-scroll").inner_text()
    assert "7 of 10 partnerships" in page.inner_text("main")
    assert not [m for m in page.console_messages if "Content Security Policy" in m]
