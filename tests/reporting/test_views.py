"""The preview page, the downloads and issuing; who may reach them is in
tests/dcplan/test_access_matrix.py."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from reporting.checks import review_checks
from reporting.document import Cover
from reporting.models import IssuedReview
from reporting.services import review_render
from tests.factories import PASSWORD, grow_plan, record

from .helpers import CUT_OFF, grow_examples, make_example, make_issued_review
from .pdf import pdf_text


def client_for(client, users, role):
    if role != "anonymous":
        client.login(username=users[role].username, password=PASSWORD)
    return client


def acknowledge_all(plan, as_of=CUT_OFF) -> dict:
    """The issue form's acknowledgement of every warning the checks give at `as_of`."""
    return {"acknowledge": [check.key for check in review_checks(plan, as_of)]}


@pytest.fixture
def issued(plan, users):
    return make_issued_review(plan, users["manager"])


def test_the_preview_shows_the_review_as_of_the_default_cut_off(client, users, plan):
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.ON_TRACK,
        progress=4,
        as_of=datetime.date(2022, 3, 31),
        narrative="Four partnerships signed.",
    )
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.ACHIEVED,
        progress=10,
        as_of=datetime.date(2023, 3, 31),
        narrative="All ten signed.",
    )
    page = client_for(client, users, "manager").get(reverse("reporting:preview")).content.decode()
    assert 'value="2022-12-31"' in page
    assert "Four partnerships signed." in page and "All ten signed." not in page
    for code in Deliverable.objects.values_list("code", flat=True):
        assert f'<td class="code"><span class="nohyphen">{code}</span></td>' in page
    assert "Issue this review" in page


def test_the_preview_follows_the_chosen_cut_off_and_cover_values(client, users, plan):
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.ACHIEVED,
        progress=10,
        as_of=datetime.date(2023, 3, 31),
        narrative="All ten signed.",
    )
    page = (
        client_for(client, users, "hq")
        .get(reverse("reporting:preview"), {"as_of": "2023-06-30", "symbol": "GB.349/POL/2"})
        .content.decode()
    )
    assert "All ten signed." in page
    assert '<p class="symbol running-symbol">GB.349/POL/2</p>' in page
    assert "Issue this review" not in page  # headquarters staff do not issue


def test_the_issue_form_carries_exactly_the_previewed_values(client, users, plan):
    page = (
        client_for(client, users, "manager")
        .get(reverse("reporting:preview"), {"as_of": "2022-06-30", "title": "A <b>bold</b> title"})
        .content.decode()
    )
    form = page[page.index('action="/reports/midterm/issue/"') :]
    assert '<input type="hidden" name="as_of" value="2022-06-30">' in form
    assert '<input type="hidden" name="title" value="A &lt;b&gt;bold&lt;/b&gt; title">' in form


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2022-13-01", "Give the date as YYYY-MM-DD, for example 2023-01-31."),
        ("31/12/2022", "Give the date as YYYY-MM-DD, for example 2023-01-31."),
        ("", "This field is required."),
        ("2099-01-01", "2099-01-01 is in the future: a review can only report what is known today"),
        ("2020-12-31", "2020-12-31 is before the plan starts (1 January 2021)."),
    ],
)
@pytest.mark.parametrize("name", ["reporting:preview", "reporting:download"])
def test_a_bad_cut_off_gives_a_clear_message_and_no_pdf(client, users, plan, name, as_of, message):
    response = client_for(client, users, "manager").get(reverse(name), {"as_of": as_of})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert message in page
    assert 'class="review-doc"' not in page
    assert f'value="{as_of}"' in page or not as_of  # what was typed is kept


def test_a_bad_cut_off_issues_nothing(client, users, plan):
    response = client_for(client, users, "manager").post(reverse("reporting:issue"), {"as_of": "2099-01-01"})
    assert response.status_code == 400
    assert "is in the future" in response.content.decode()
    assert not IssuedReview.objects.exists()


def test_an_emptied_required_cover_value_is_refused(client, users, plan):
    response = client_for(client, users, "manager").get(reverse("reporting:preview"), {"symbol": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_download_gives_the_pdf_of_the_chosen_cut_off(client, users, plan):
    record(
        Deliverable.objects.get(code="2.2.2"),
        users["hq"],
        Status.DELAYED,
        as_of=datetime.date(2022, 5, 1),
        narrative="Workshops postponed.",
    )
    response = client_for(client, users, "hq").get(reverse("reporting:download"), {"as_of": "2022-06-30"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="GB.347-POL-3_as-of_2022-06-30.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Workshops postponed." in text
    assert "as of 30 June 2022" in " ".join(text.split())


def test_issuing_keeps_the_pdf_and_it_downloads_byte_for_byte(client, users, plan):
    client = client_for(client, users, "manager")
    data = {
        "as_of": "2022-12-31",
        "symbol": "GB.347/POL/3",
        "once": "test-issue-form-once",
        **acknowledge_all(plan),
    }
    response = client.post(reverse("reporting:issue"), data)
    assert response.status_code == 302 and response["Location"] == reverse("reporting:issued")
    issued = IssuedReview.objects.get()
    pdf = bytes(issued.pdf)
    assert (issued.as_of, issued.issued_by, issued.symbol) == (
        datetime.date(2022, 12, 31),
        users["manager"],
        "GB.347/POL/3",
    )
    assert issued.sha256 == hashlib.sha256(pdf).hexdigest() and issued.size == len(pdf)
    assert issued.cover["symbol"] == "GB.347/POL/3" and issued.cover["decision"].startswith(
        "The Governing Body"
    )
    listing = client.get(reverse("reporting:issued")).content.decode()
    assert issued.sha256 in listing and "manager" in listing
    download = client.get(reverse("reporting:issued_download", args=[issued.pk]))
    assert download.content == pdf
    assert download["ETag"] == f'"{issued.sha256}"'
    # Rendering the issued version again gives the same bytes: the issued file is the review, reproducibly.
    again = review_render(plan=plan, as_of=issued.as_of, cover=Cover.from_json(issued.cover), issued=True)
    assert again.pdf == pdf
    # A download of the same review is a draft: marked, so not the same bytes.
    draft = client.get(reverse("reporting:download"), {"as_of": "2022-12-31"}).content
    assert "DRAFT" in pdf_text(draft) and "DRAFT" not in pdf_text(pdf)


def test_the_success_message_names_the_checksum(client, users, plan):
    once = {"once": "test-issue-form-once", **acknowledge_all(plan)}
    response = client_for(client, users, "manager").post(reverse("reporting:issue"), once, follow=True)
    issued = IssuedReview.objects.get()
    assert f"Its SHA-256 is {issued.sha256}" in response.content.decode()


def test_a_render_that_fails_gives_a_clear_message_and_stores_nothing(client, users, plan, settings):
    settings.REPORT_RENDER_TIMEOUT = 0.01
    client = client_for(client, users, "manager")
    issue = client.post(reverse("reporting:issue"), {"once": "test-issue-form-once", **acknowledge_all(plan)})
    for response in (client.get(reverse("reporting:download")), issue):
        assert response.status_code == 503
        assert "took longer than 0.01 seconds to produce and was stopped" in response.content.decode()
    assert not IssuedReview.objects.exists()


def test_an_unknown_issued_review_answers_404(client, users, plan):
    assert (
        client_for(client, users, "hq").get(reverse("reporting:issued_download", args=[999])).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["reporting:preview", "reporting:issued"])
def test_the_pages_have_no_inline_style_or_script(client, users, plan, issued, name):
    make_example(users["focal_a"])
    page = client_for(client, users, "manager").get(reverse(name)).content.decode()
    assert not re.search(r"<style|\sstyle=|<script|\son[a-z]+=", page, re.IGNORECASE)
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)[-1].startswith("/static/")


def test_the_preview_escapes_hostile_text(client, users, plan):
    record(
        Deliverable.objects.get(code="1.1.1"),
        users["hq"],
        Status.AT_RISK,
        narrative="<script>alert(1)</script><img src=file:///etc/passwd>",
    )
    page = client_for(client, users, "manager").get(reverse("reporting:preview")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=file:///etc/passwd&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(("role", "shown"), [("manager", True), ("hq", True), ("focal_a", False)])
def test_the_nav_links_to_the_review_for_those_who_may_see_it(client, users, plan, role, shown):
    page = client_for(client, users, role).get(reverse("deliverables:list")).content.decode()
    assert (f'href="{reverse("reporting:preview")}"' in page) is shown


# 6 for any page (session, user, permissions, profile; the session is saved at most every few minutes)
# + plan + 7 assembly + the written sections; the checks read the assembled review and add none;
# + 6 for the languages the review exists in (cited offices, focus areas, actions, deliverables,
# P&B outputs, written sections: reporting.selectors.review_languages).
PREVIEW_QUERIES = 6 + 1 + 7 + 1 + 6
ISSUED_QUERIES = 6 + 1  # + the list


def test_the_preview_runs_a_fixed_number_of_queries_at_ten_times_the_size(
    client, users, plan, django_assert_num_queries
):
    client = client_for(client, users, "manager")
    make_example(users["focal_a"])
    with django_assert_num_queries(PREVIEW_QUERIES):
        small = client.get(reverse("reporting:preview"))
    grow_plan(plan, users["hq"], factor=10)
    grow_examples(plan, users["focal_a"], count=200)
    with django_assert_num_queries(PREVIEW_QUERIES):
        big = client.get(reverse("reporting:preview"))
    assert small.status_code == big.status_code == 200
    assert big.content.decode().count('<td class="code">') > 10 * 32


def test_the_issued_list_runs_a_fixed_number_of_queries(
    client, users, plan, issued, django_assert_num_queries
):
    client = client_for(client, users, "hq")
    with django_assert_num_queries(ISSUED_QUERIES):
        client.get(reverse("reporting:issued"))
    for _ in range(20):
        issued.pk = None
        issued.save()
    with django_assert_num_queries(ISSUED_QUERIES):
        page = client.get(reverse("reporting:issued")).content.decode()
    assert page.count("Download GB.347-POL-3_as-of_2022-12-31.pdf") == 21


def test_the_reports_address_leads_to_the_review_preview(client, users):
    client.force_login(users["manager"])
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:preview")
