"""Headquarters staff in a real Chromium: upload a spreadsheet, check the preview, confirm."""

import pytest

from deliverables.models import Deliverable
from tests.browser import browser_login
from tests.spreadsheets.spreadsheet_data import HEADER, csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_hq_staff_import_a_spreadsheet_after_checking_its_preview(
    browser_page, live_server, plan, users, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["1.4.1", "finished", "3", "", "", "2022-01-01"]]))
    good = tmp_path / "statuses.csv"
    good.write_bytes(
        csv_bytes(
            [
                HEADER,
                ["1.4.1", "at_risk", "3", "Funding is late.", "", "2022-06-30"],
                ["2.3.1", "achieved", "", "Published.", "", "2023-01-15"],
            ]
        )
    )
    page = browser_page
    browser_login(page, live_server, "hq")

    page.click("nav >> text=Import statuses")
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    errors = page.locator(".import-errors").inner_text()
    assert (
        "Nothing was imported." in errors
        and "“finished” is not one of the choices. Choose one of: Not started, On track" in errors
    )

    page.set_input_files("#id_file", str(good))
    page.click("text=Check the file")
    assert page.locator("h1").inner_text() == "Check the import"
    preview = page.locator("table.import-preview").inner_text()
    assert "Not started → At risk" in " ".join(preview.split())
    page.click("text=Record 2 status updates")

    assert "2 status updates recorded" in page.locator(".messages").inner_text()
    assert Deliverable.objects.get(code="1.4.1").status == "at_risk"
    assert not [m for m in page.console_messages if "Content Security Policy" in m]
