"""A progress example's whole life in a real Chromium: the focal point drafts it with
an attachment and submits, headquarters returns it with a comment, the focal point
edits and resubmits, headquarters approves, and the example shows on the
deliverable's page."""

import pytest

from examples.models import ExampleAttachment, ProgressExample
from tests.browser import browser_login
from tests.examples.example_data import media, pdf_bytes  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Tripartite validation of Nigeria's employment policy"
COMMENT = "Please say how many workers the policy covers."


def sign_out(page) -> None:
    page.click("header >> text=Log out")
    page.wait_for_load_state()


def test_an_example_goes_from_draft_to_the_deliverable_page(browser_page, live_server, plan, users, tmp_path):
    page = browser_page
    report = tmp_path / "validation report.pdf"
    report.write_bytes(pdf_bytes())

    # The focal point starts from their office's examples and saves a draft with only a title and a file.
    browser_login(page, live_server, "focal_a")
    assert page.locator("h1").inner_text() == "My office's examples"
    page.click("text=New example")
    page.fill("#id_title", TITLE)
    page.fill("#id_what_was_done", "Two tripartite validation workshops in Abuja and Lagos.")
    page.set_input_files("#id_new_attachments", str(report))
    page.click("button:has-text('Save draft')")
    assert "Saved." in page.locator(".messages").inner_text()
    assert "Draft" in page.locator("h1").inner_text()
    assert "Before you can submit, add:" in page.inner_text("main")
    assert "validation report.pdf" in page.locator("ul.attachments").inner_text()

    # Completes it and submits.
    page.click("main >> text=Edit")
    # The office's four countries came ticked; this example concerns two of them.
    page.uncheck("#id_countries input[value=LR]")
    page.uncheck("#id_countries input[value=SL]")
    page.fill("#id_started_on", "2022-03-01")
    page.fill("#id_results", "The revised policy was adopted.")
    page.check("#id_involves_government")
    page.check("#id_involves_workers")
    page.check("label:has-text('1.1.1 ') input")
    page.click("button:has-text('Save and submit for review')")
    assert "Submitted." in page.locator(".messages").inner_text()
    assert "Submitted" in page.locator("h1").inner_text()
    example = ProgressExample.objects.get(title=TITLE)
    assert example.state == ProgressExample.State.SUBMITTED
    assert sorted(country.code for country in example.countries) == ["GH", "NG"]
    assert ExampleAttachment.objects.get(example=example).original_name == "validation report.pdf"
    sign_out(page)

    # Headquarters finds it in the review queue and returns it with a comment.
    browser_login(page, live_server, "hq")
    page.click("nav >> text=Review queue")
    page.click(f"tbody >> text={TITLE}")
    page.check("input[name=decision][value=return]")
    page.fill("#id_comment", COMMENT)
    page.click("text=Record decision")
    assert "Returned to the office" in page.locator(".messages").inner_text()
    sign_out(page)

    # The focal point sees the comment, edits and resubmits.
    browser_login(page, live_server, "focal_a")
    assert COMMENT in page.locator("tbody").inner_text()
    page.click(f"tbody >> text={TITLE}")
    assert COMMENT in page.locator(".review-note").inner_text()
    page.click("main >> text=Edit")
    assert COMMENT in page.locator(".review-note").inner_text()  # still in view while editing
    page.fill("#id_results", "The revised policy was adopted; it covers 1.2 million workers.")
    page.click("button:has-text('Save and submit for review')")
    assert "Submitted" in page.locator("h1").inner_text()
    sign_out(page)

    # Headquarters approves.
    browser_login(page, live_server, "hq")
    page.click("nav >> text=Review queue")
    page.click(f"tbody >> text={TITLE}")
    page.check("input[name=decision][value=approve]")
    page.click("text=Record decision")
    assert "Approved" in page.locator("h1").inner_text()
    history = page.locator("#history + .table-scroll").inner_text()
    assert COMMENT in history and history.count("Submitted") >= 2

    # And the example shows on the deliverable's page.
    page.click("main >> a:has-text('1.1.1')")
    assert page.locator("h1").inner_text().startswith("1.1.1")
    card = page.locator(".example-card").inner_text()
    assert TITLE in card and "1.2 million workers" in card
    assert not [m for m in page.console_messages if "Content Security Policy" in m]
