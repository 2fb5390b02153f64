"""Every page type, for every role, in a real Chromium at a desktop (1366 × 768) and a
phone (390 × 844) width: axe-core finds no serious or critical violation, and no
page is wider than the phone's screen.

axe-core comes inside axe-playwright-python (nothing is downloaded at test time).
Each page is loaded once and checked at both widths (resizing re-applies the media
queries); one Chromium walks every role's pages, each role in a fresh context. (A
Chromium kept across tests would keep Playwright's event loop running in the test
thread, and transactional tests then no longer restore the serialized database.)
With DCPLAN_SCREENSHOTS=<folder> every page is also saved as a PNG at both widths,
to look at.
"""

import datetime
import os
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.utils import timezone

from deliverables.models import Deliverable, Status
from examples.models import ProgressExample
from planning.models import Milestone
from tests.browser import browser_login
from tests.examples.example_data import make_example, media  # noqa: F401
from tests.factories import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

State = ProgressExample.State
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}
BLOCKING = {"serious", "critical"}
# Every rule axe runs by default, plus the WCAG 2.2 tap-target size (2.5.8).
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
SCREENSHOTS = os.environ.get("DCPLAN_SCREENSHOTS")


@pytest.fixture
def site(plan, users):
    """A little of everything, so that no page is checked empty: statuses, an
    update history, examples of both offices in every state that shows."""
    hq, focal_a, focal_b = users["hq"], users["focal_a"], users["focal_b"]
    record(Deliverable.objects.get(code="1.4.1"), hq, Status.ON_TRACK, progress=7, narrative="Seven so far.")
    record(Deliverable.objects.get(code="1.1.1"), hq, Status.DELAYED, narrative="Funding came late.")
    record(Deliverable.objects.get(code="2.1.1"), hq, Status.AT_RISK, narrative="Staff shortage.")
    # A milestone with its actions column: a table whose hidden label once widened the phone page.
    Milestone.objects.create(
        deliverable=Deliverable.objects.get(code="1.4.1"),
        title="Concept note cleared by the department",
        due_on=datetime.date(2022, 3, 1),
        updated_by=hq,
    )
    make_example(focal_a, title="A draft from Abuja")
    make_example(focal_a, state=State.RETURNED, reviewer=hq, title="Returned to Abuja")
    make_example(focal_b, state=State.SUBMITTED, title="Submitted by Dhaka")
    make_example(focal_b, state=State.APPROVED, reviewer=hq, deliverables=("1.4.1",), title="Approved")
    return {
        "draft": ProgressExample.objects.get(title="A draft from Abuja"),
        "returned": ProgressExample.objects.get(title="Returned to Abuja"),
        "submitted": ProgressExample.objects.get(title="Submitted by Dhaka"),
    }


def pages_for(role: str, site: dict) -> list[str]:
    draft, submitted = site["draft"].pk, site["submitted"].pk
    common_reader = [
        "/deliverables/",
        "/deliverables/?status=delayed&status=at_risk&due_by=2023",
        "/deliverables/1.4.1/",
        "/no-such-page/",  # 404
    ]
    return {
        "anonymous": ["/login/", "/no-such-page/"],
        "hq": [
            "/dashboard/",
            *common_reader,
            "/review/",
            f"/examples/{submitted}/",  # with the review form
            "/coverage/",
            "/coverage/?region=AFRICA",
            "/imports/status/",
            "/imports/examples/",
            "/imports/plan-texts/",
            "/reports/midterm/?as_of=2022-12-31",
            "/reports/midterm/issued/",
            "/reports/midterm/draft/2022-12-31/",
            "/reports/midterm/draft/2022-12-31/area2_challenges/",
            "/reports/midterm/draft/2022-12-31/fr/",  # the translations, the English beside
            "/reports/midterm/draft/2022-12-31/es/area2_challenges/",
            "/timeline/",
            "/rounds/",
            "/reminders/",
            "/examples/new/",  # 403: headquarters do not write examples
        ],
        "manager": [
            "/dashboard/",
            *common_reader,
            "/review/",
            f"/examples/{submitted}/",
            "/coverage/",
            "/reports/midterm/?as_of=2022-12-31",
        ],
        "focal_a": [
            "/examples/",
            "/examples/new/",
            f"/examples/{draft}/",
            f"/examples/{draft}/edit/",
            *common_reader,
            "/dashboard/",  # 403
        ],
    }[role]


def axe_problems(page, label: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{label}: {v['id']} ({v['impact']}) {v['help']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def check_page(page, label: str) -> list[str]:
    """axe at both widths, and the phone width's scroll width; the page stays at desktop width."""
    problems = []
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems += axe_problems(page, f"{label} @{name}")
        if name == "phone":
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{label} @phone: the page is {scroll_width} px wide")
        if SCREENSHOTS:
            slug = label.replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-")[:80]
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{slug}@{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    return problems


def test_every_page_type_passes_axe_and_fits_a_phone_for_every_role(browser_page, live_server, site):
    # One Chromium for the whole walk; each role in a context of its own (its own cookies).
    browser = browser_page.context.browser
    problems = []
    for role in ["anonymous", "hq", "manager", "focal_a"]:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        if role != "anonymous":
            browser_login(page, live_server, role)
        for path in pages_for(role, site):
            response = page.goto(live_server.url + path)
            assert response.status in (200, 403, 404), (path, response.status)
            problems += check_page(page, f"{role} {path}")
        context.close()
    assert not problems, "\n".join(problems)


def test_forms_with_errors_pass_axe_and_fit_a_phone(browser_page, live_server, site):
    page = browser_page
    browser_login(page, live_server, "hq")
    page.goto(live_server.url + "/deliverables/1.4.1/")
    page.fill("#id_as_of", "2099-01-01")
    page.click("text=Record update")
    problems = check_page(page, "hq status form with errors")
    page.goto(live_server.url + f"/examples/{site['submitted'].pk}/")
    page.check("input[name=decision][value=return]")
    page.click("text=Record decision")
    problems += check_page(page, "hq review form with errors")
    page.context.clear_cookies()
    browser_login(page, live_server, "focal_a")
    page.goto(live_server.url + "/examples/new/")
    page.fill("#id_title", "Only a title")
    page.click("text=Save and submit for review")
    problems += check_page(page, "focal example form with errors")
    assert not problems, "\n".join(problems)


def test_the_error_summary_takes_the_focus_names_the_problem_and_links_to_the_field(
    browser_page, live_server, site
):
    page = browser_page
    browser_login(page, live_server, "hq")
    page.goto(live_server.url + "/deliverables/1.4.1/")
    page.fill("#id_progress_value", "-3")
    page.fill("#id_as_of", "2099-01-01")
    page.click("text=Record update")

    assert page.title().startswith("Error: 1.4.1")
    summary = page.locator(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    text = summary.inner_text()
    assert "Give a whole number from 0 to 1,000,000." in text
    assert "cannot be in the future" in text
    assert "Ensure this value" not in page.inner_text("main")
    # A link in the summary takes the keyboard to the field.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_progress_value"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_progress_value"


def test_a_focal_point_sees_what_submission_needs_and_submits_a_complete_example(
    browser_page, live_server, site
):
    page = browser_page
    browser_login(page, live_server, "focal_a")
    page.click("text=New example")
    # Marked before anyone fails; the office's countries come ticked, in an open group.
    assert page.locator("label[for=id_title] .to-submit").inner_text() == "(needed to submit)"
    assert (
        page.locator("#id_countries details[open] summary")
        .first.inner_text()
        .startswith("Your office's countries")
    )
    ticked = page.locator("#id_countries input:checked").evaluate_all("boxes => boxes.map(b => b.value)")
    assert sorted(ticked) == ["GH", "LR", "NG", "SL"]
    # Deliverables by focus area, with their full texts.
    assert page.locator("#id_deliverables fieldset legend").count() == 4
    full_text = Deliverable.objects.get(code="3.3.1").text
    assert full_text in page.inner_text("#id_deliverables")

    page.fill("#id_title", "Social dialogue on the minimum wage")
    page.click("text=Save and submit for review")
    assert page.title().startswith("Error:")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary = page.locator(".error-summary").inner_text()
    assert "cannot be submitted yet" in summary
    assert "what was done" in summary and "at least one deliverable" in summary
    assert "['" not in page.inner_text("main")  # words, not a Python list
    assert page.locator(".error-summary a[href='#id_deliverables']").count() == 1
    # The constituents' error comes after the whole group, not between two boxes.
    group = page.locator("fieldset:has(> legend:has-text('Constituents involved'))")
    assert group.locator("> .errors").count() == 1

    page.fill("#id_started_on", "2022-03-01")
    page.fill("#id_what_was_done", "A tripartite round table.")
    page.fill("#id_results", "The wage board met again.")
    page.check("#id_involves_government")
    page.check("#id_involves_workers")
    page.check("label:has-text('1.1.1 ') input")
    page.click("text=Save and submit for review")
    assert "Submitted. Headquarters will review the example." in page.inner_text(".messages")
    example = ProgressExample.objects.get(title="Social dialogue on the minimum wage")
    assert example.state == State.SUBMITTED
    assert [c.code for c in example.countries] == ["GH", "LR", "NG", "SL"]


def test_an_incomplete_draft_offers_no_submit_button_but_says_what_is_missing(
    browser_page, live_server, site
):
    page = browser_page
    ProgressExample.objects.filter(pk=site["draft"].pk).update(results="")
    browser_login(page, live_server, "focal_a")
    page.goto(live_server.url + f"/examples/{site['draft'].pk}/")
    assert page.locator("text=Submit for review").count() == 0
    assert "the results achieved" in page.inner_text(".missing")


def test_an_example_can_be_started_from_a_deliverable(browser_page, live_server, site):
    page = browser_page
    browser_login(page, live_server, "focal_a")
    page.goto(live_server.url + "/deliverables/1.4.1/")
    page.click("text=Add an example for this deliverable")
    assert page.locator("label:has-text('1.4.1 ') input").is_checked()
    assert "1.4.1" in page.inner_text("#id_deliverables .chosen")


def test_the_list_filters_several_statuses_at_once_and_keeps_them_in_the_url(browser_page, live_server, site):
    page = browser_page
    browser_login(page, live_server, "manager")
    page.goto(live_server.url + "/deliverables/")
    page.click("details.filters-fold summary")
    page.check("#id_status input[value=delayed]")
    page.check("#id_status input[value=at_risk]")
    page.click("form.filters button[type=submit]")
    assert "status=at_risk" in page.url and "status=delayed" in page.url
    assert sorted(page.locator("tbody td.code").all_inner_texts()) == ["1.1.1", "2.1.1"]
    # The boxes stay ticked, and the saved link asks the same question for the mid-term.
    assert page.locator("#id_status input:checked").count() == 2
    page.click("text=Due by 2023, delayed or at risk")
    assert "due_by=2023" in page.url
    assert page.locator("tbody td.code").all_inner_texts() == ["1.1.1"]  # 2.1.1 is due later


def test_a_focal_point_is_told_which_examples_need_changes_first(browser_page, live_server, site):
    page = browser_page
    browser_login(page, live_server, "focal_a")
    assert page.locator("h1").inner_text() == "My office's examples"
    assert "1 example needs your changes" in page.inner_text(".banner")
    assert page.locator("tbody tr").first.locator("td").first.inner_text().startswith("Returned to Abuja")


def test_the_review_queue_shows_how_long_each_example_has_waited(browser_page, live_server, site):
    ProgressExample.objects.filter(pk=site["submitted"].pk).update(
        submitted_at=timezone.now() - timezone.timedelta(days=12)
    )
    page = browser_page
    browser_login(page, live_server, "hq")
    page.goto(live_server.url + "/review/")
    row = page.locator("tbody tr", has_text="Submitted by Dhaka")
    assert "12 days" in row.inner_text()


def test_a_deliverable_is_updated_with_the_keyboard_alone(browser_page, live_server, site):
    page = browser_page
    browser_login(page, live_server, "hq")
    page.goto(live_server.url + "/deliverables/1.4.1/")
    page.focus("#id_status")  # from here on, keys only
    page.keyboard.press("End")  # the last status: discontinued
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_progress_value"
    page.keyboard.press("Tab")
    page.keyboard.type("Dropped by the donors' decision of May 2022.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_as_of"
    for _ in range(4):  # Chromium's date input may hold the focus for its day, month and year parts
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") != "id_as_of":
            break
    assert page.evaluate("document.activeElement.textContent") == "Record update"
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "was recorded" in page.inner_text(".messages")
    assert Deliverable.objects.get(code="1.4.1").status == Status.DISCONTINUED
