"""Milestones under the no-lost-edit rule; lead units assigned on the page; the
timeline as server-rendered SVG (and PDF) without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Office
from planning.models import Milestone
from tests.browser import browser_login
from tests.factories import PASSWORD

D = datetime.date


@pytest.fixture
def milestone(plan, users):
    return Milestone.objects.create(
        deliverable=Deliverable.objects.get(code="1.4.1"), title="Draft", due_on=D(2023, 3, 1), updated_by=users["hq"]
    )


def test_adding_a_milestone_and_a_refused_one_keeps_what_was_typed(client, plan, users):
    client.login(username="hq", password=PASSWORD)
    url = reverse("planning:milestone_new", args=["1.4.1"])
    bad = client.post(url, {"new-title": "Consult the regions", "new-due_on": "1/3/2023"})
    assert bad.status_code == 400
    assert 'value="Consult the regions"' in bad.content.decode()
    assert client.post(url, {"new-title": "Consult the regions", "new-due_on": "2023-03-01"}).status_code == 302
    m = Milestone.objects.get()
    assert (m.title, m.due_on, m.version, m.updated_by) == ("Consult the regions", D(2023, 3, 1), 0, users["hq"])


def test_an_edit_from_an_outdated_page_is_refused_with_the_input_kept(client, users, milestone):
    client.login(username="hq", password=PASSWORD)
    url = reverse("planning:milestone_edit", args=[milestone.pk])
    first = {"version": "0", "title": "Draft v2", "due_on": "2023-04-01", "done_on": "", "responsible_unit": ""}
    assert client.post(url, first).status_code == 302
    stale = first | {"title": "My own title", "done_on": "2023-03-15"}
    response = client.post(url, stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Draft v2" in page and 'value="My own title"' in page and 'value="2023-03-15"' in page
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Draft v2", 1)
    # Saving again, with the version now seen, wins.
    assert client.post(url, stale | {"version": "1"}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.done_on, milestone.version) == ("My own title", D(2023, 3, 15), 2)


def test_removing_needs_the_current_version(client, users, milestone):
    client.login(username="hq", password=PASSWORD)
    Milestone.objects.filter(pk=milestone.pk).update(version=3)
    url = reverse("planning:milestone_remove", args=[milestone.pk])
    assert client.post(url, {"version": "0"}).status_code == 409
    assert client.post(url, {"version": "3"}).status_code == 302
    assert not Milestone.objects.exists()


def test_headquarters_assign_a_lead_and_contributing_units(client, plan, users):
    client.login(username="hq", password=PASSWORD)
    program, itc = Office.objects.get(code="PROGRAM"), Office.objects.get(code="ITCILO")
    url = reverse("deliverables:units", args=["1.4.1"])
    both = client.post(url, {"lead_unit": program.pk, "contributing_units": [program.pk, itc.pk]})
    assert both.status_code == 400
    assert "The lead unit cannot also be a contributing unit." in both.content.decode()
    assert client.post(url, {"lead_unit": program.pk, "contributing_units": [itc.pk]}).status_code == 302
    d = Deliverable.objects.get(code="1.4.1")
    assert d.lead_unit == program and list(d.contributing_units.all()) == [itc]
    listing = client.get(reverse("deliverables:list") + f"?unit={itc.pk}").content.decode()
    assert "1.4.1" in listing and "1.4.2" not in listing
    gaps = client.get(reverse("deliverables:list") + "?no_lead_unit=on")
    assert gaps.context["page"].paginator.count == 31


def test_the_timeline_is_an_svg_without_javascript_filtered_by_unit(client, plan, users, milestone):
    Deliverable.objects.get(code="1.4.1").assign_units(lead_unit=Office.objects.get(code="PROGRAM"), contributing_units=[])
    client.login(username="focal_a", password=PASSWORD)
    page = client.get(reverse("planning:timeline")).content.decode()
    assert "<svg" in page and "<script" not in page and 'style="' not in page
    assert page.count('href="/deliverables/') >= 32
    assert "Draft — 2023-03-01" in page  # the milestone, with its tooltip
    assert "Cut-off" in page or "Mid-term review 2023" in page
    assert "Today (" in page
    program = Office.objects.get(code="PROGRAM").pk
    filtered = client.get(reverse("planning:timeline") + f"?unit={program}").content.decode()
    assert 'href="/deliverables/1.4.1/"' in filtered and 'href="/deliverables/1.4.2/"' not in filtered


def test_the_timeline_pdf_comes_from_the_reviews_renderer(client, plan, users, milestone):
    client.login(username="manager", password=PASSWORD)
    response = client.get(reverse("planning:timeline_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_timeline_renders_without_csp_violations(browser_page, live_server, plan, users, milestone, tmp_path):
    from tests.dcplan.test_csp_browser import violations, visit

    browser_login(browser_page, live_server, "hq")
    visit(browser_page, live_server, "/timeline/")
    assert violations(browser_page) == []
    assert browser_page.locator("svg.timeline rect").count() >= 32
    assert browser_page.evaluate("document.scripts.length") == 0
    browser_page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
    for path in ["/rounds/", "/reminders/", "/deliverables/1.4.1/", f"/milestones/{milestone.pk}/edit/"]:
        visit(browser_page, live_server, path)
        assert violations(browser_page) == [], path


def test_the_milestones_table_scrolls_in_its_own_region_so_a_phone_page_keeps_its_width(
    client, users, milestone
):
    client.login(username="hq", password=PASSWORD)
    page = client.get(reverse("deliverables:detail", args=[milestone.deliverable.code])).content.decode()
    region = page.index('<div class="table-scroll" role="region" aria-label="Milestones"')
    assert region < page.index(milestone.title) < page.index("</table>", region)
