"""A manager in a real Chromium: choose a cut-off, preview, download, issue, re-download."""

import datetime
from pathlib import Path

import pytest

from deliverables.models import Deliverable, Status
from reporting.models import IssuedReview
from tests.browser import browser_login
from tests.factories import record

from .pdf import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_manager_previews_downloads_and_issues_the_review(browser_page, live_server, plan, users, tmp_path):
    record(
        Deliverable.objects.get(code="2.2.2"),
        users["hq"],
        Status.DELAYED,
        as_of=datetime.date(2022, 5, 1),
        narrative="Regional workshops postponed to 2023.",
    )
    page = browser_page
    browser_login(page, live_server, "manager")

    page.click("nav >> text=Mid-term review")
    assert page.locator("h1").first.inner_text() == "Mid-term review"
    page.fill("#id_as_of", "2022-06-30")
    page.click(".review-cutoff >> text=Preview")
    assert "as_of=2022-06-30" in page.url
    document = page.locator("article.review-doc")
    assert "Regional workshops postponed to 2023." in document.inner_text()
    assert "as of 30 June 2022" in document.inner_text()

    page.click(".review-cover-fields summary")
    page.fill("#id_symbol", "GB.347/POL/3/Rev.1")
    page.click(".review-cover-fields >> text=Preview")
    assert "GB.347/POL/3/Rev.1" in document.locator(".cover").inner_text()

    with page.expect_download() as download_info:
        page.click(".review-cutoff >> text=Download PDF")
    download = download_info.value
    assert download.suggested_filename == "GB.347-POL-3-Rev.1_as-of_2022-06-30.pdf"
    downloaded = Path(download.path()).read_bytes()
    assert downloaded.startswith(b"%PDF-")

    # The plan has no citable example yet: the checks warn, and each warning must be acknowledged.
    page.click("text=Issue this review")
    assert "Acknowledge every warning before issuing." in page.locator(".review-issue").inner_text()
    for box in page.locator("input[name=acknowledge]").all():
        box.check()
    page.click("text=Issue this review")
    assert "was issued" in page.locator(".messages").inner_text()
    issued = IssuedReview.objects.get()
    assert (issued.as_of, issued.symbol) == (datetime.date(2022, 6, 30), "GB.347/POL/3/Rev.1")
    assert issued.sha256 in page.locator("main table").inner_text()
    with page.expect_download() as again_info:
        page.click(f"text=Download {issued.filename}")
    again = Path(again_info.value.path()).read_bytes()
    assert again == bytes(issued.pdf)
    # The download before issuing was a draft: marked on every page; the issued copy is not.
    assert "DRAFT" in pdf_text(downloaded) and "DRAFT" not in pdf_text(again)

    assert not [m for m in page.console_messages if "Content Security Policy" in m or "Refused" in m]


def test_a_bad_cut_off_is_explained_on_the_page(browser_page, live_server, plan, users):
    page = browser_page
    browser_login(page, live_server, "hq")
    page.goto(live_server.url + "/reports/midterm/?as_of=2099-01-01")
    assert "2099-01-01 is in the future" in page.locator(".review-cutoff").inner_text()
    assert page.locator("article.review-doc").count() == 0
    assert page.locator("text=Issue this review").count() == 0
