"""The PDF: content, reproducibility, and what WeasyPrint may load."""

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from deliverables.models import Deliverable, Status
from reporting import pdf_worker
from reporting.document import default_cover
from reporting.pdf_worker import RefusedURL, resolve_static
from reporting.rendering import PDF_STATIC_PREFIX, RenderTimeout, render_pdf, static_roots
from reporting.services import review_document, review_render
from tests.factories import record

from .helpers import CUT_OFF, State, make_example
from .pdf import pdf_pages, pdf_text, squeezed

STYLESHEET = PDF_STATIC_PREFIX + "reporting/review-print.css"


def roots() -> list[Path]:
    return [Path(root) for root in static_roots()]


# ---------------------------------------------------------------------------
# The URL fetcher, without WeasyPrint
# ---------------------------------------------------------------------------


def test_the_fetcher_serves_the_apps_own_stylesheet_from_disk():
    path = resolve_static(STYLESHEET, PDF_STATIC_PREFIX, roots())
    assert path == (settings.BASE_DIR / "static" / "reporting" / "review-print.css").resolve()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/static/reporting/review-print.css",
        "http://example.org/evil.css",
        "https://example.org/static/reporting/review-print.css",
        "https://dcplan.invalid.example.org/static/reporting/review-print.css",
        "http://127.0.0.1:8000/static/reporting/review-print.css",
        "data:text/css,body{background:red}",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        PDF_STATIC_PREFIX + "../../dcplan/settings.py",
        PDF_STATIC_PREFIX + "reporting/%2e%2e/%2e%2e/manage.py",
        PDF_STATIC_PREFIX + "reporting/../css/dcplan.css",
        PDF_STATIC_PREFIX + "reporting/review-print.css?x=1",
        PDF_STATIC_PREFIX + "reporting/missing.css",
        PDF_STATIC_PREFIX + "reporting/",
        PDF_STATIC_PREFIX + "/etc/passwd.css",
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    with pytest.raises(RefusedURL):
        resolve_static(url, PDF_STATIC_PREFIX, roots())


def test_the_fetcher_refuses_files_of_other_kinds_inside_the_static_folders(tmp_path):
    (tmp_path / "notes.txt").write_text("secret")
    with pytest.raises(RefusedURL):
        resolve_static(PDF_STATIC_PREFIX + "notes.txt", PDF_STATIC_PREFIX, [tmp_path])


def test_the_fetcher_refuses_a_symlink_out_of_the_static_folders(tmp_path):
    outside = tmp_path / "outside.css"
    outside.write_text("body {}")
    root = tmp_path / "static"
    root.mkdir()
    (root / "link.css").symlink_to(outside)
    with pytest.raises(RefusedURL):
        resolve_static(PDF_STATIC_PREFIX + "link.css", PDF_STATIC_PREFIX, [root])


def test_the_fetcher_records_what_it_refused():
    fetcher = pdf_worker.make_fetcher(PDF_STATIC_PREFIX, static_roots())
    with pytest.raises(RefusedURL):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch(STYLESHEET)
    assert response.content_type == "text/css"
    assert (fetcher.fetched, fetcher.refused) == ([STYLESHEET], ["file:///etc/passwd"])


# ---------------------------------------------------------------------------
# Rendering in the child process
# ---------------------------------------------------------------------------


def test_markup_that_asks_for_outside_resources_gets_nothing_but_still_renders():
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/evil.css">'
        f'<link rel="stylesheet" href="{STYLESHEET}"></head>'
        '<body><p>Hello</p><img src="file:///etc/passwd"><img src="http://169.254.169.254/latest">'
        '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
    )
    result = render_pdf(html)
    assert result.pdf.startswith(b"%PDF-")
    assert result.fetched == (STYLESHEET,)
    assert set(result.refused) == {
        "https://example.org/evil.css",
        "file:///etc/passwd",
        "http://169.254.169.254/latest",
        "data:image/png;base64,iVBORw0KGgo=",
    }
    assert "Hello" in pdf_text(result.pdf)


def test_a_render_that_takes_too_long_is_stopped_with_a_clear_message():
    with pytest.raises(RenderTimeout, match="longer than 0.05 seconds to produce and was stopped"):
        render_pdf("<p>Anything</p>", timeout=0.05)


# ---------------------------------------------------------------------------
# The review as PDF
# ---------------------------------------------------------------------------


@pytest.fixture
def history(plan, users):
    hq = users["hq"]
    record(
        Deliverable.objects.get(code="1.1.1"),
        hq,
        Status.ACHIEVED,
        as_of=datetime.date(2022, 11, 15),
        narrative="Guidance tools published in three languages.",
    )
    record(
        Deliverable.objects.get(code="1.4.1"),
        hq,
        Status.ON_TRACK,
        as_of=datetime.date(2022, 3, 31),
        progress=4,
        narrative="Four partnerships signed.",
    )
    record(
        Deliverable.objects.get(code="2.2.2"),
        hq,
        Status.DELAYED,
        as_of=datetime.date(2022, 5, 1),
        narrative="Workshops postponed.",
    )
    make_example(users["focal_a"], title="Cited example from Abuja", codes=["1.1.1"])
    make_example(users["focal_a"], title="Example kept confidential", codes=["1.2.1"], may_be_cited=False)
    make_example(
        users["focal_b"],
        title="Example still under review",
        office="CO-DHAKA",
        codes=["1.3.1"],
        state=State.SUBMITTED,
    )
    return plan


def render(plan, as_of=CUT_OFF, **cover_changes):
    cover = dataclasses.replace(default_cover(plan), **cover_changes)
    return review_render(plan=plan, as_of=as_of, cover=cover)


@pytest.fixture
def rendered(history):
    return render(history)


def test_every_deliverable_code_appears_in_the_pdf(history, rendered):
    text = pdf_text(rendered.pdf)
    for code in Deliverable.objects.in_plan(history).values_list("code", flat=True):
        assert re.search(rf"(?<![\d.]){re.escape(code)}(?![\d])", text), code


def test_the_pdf_states_the_key_figures_of_the_data(rendered):
    text = " ".join(pdf_text(rendered.pdf).split())
    assert (
        "one of the 32 deliverables had been achieved; one on track, one delayed and 29 not started." in text
    )
    assert (
        "Of the 16 deliverables due by the end of 2023, the mid-term year of the plan, one had been achieved."
        in text
    )
    assert "A numeric target was set for six deliverables; none of these targets had been reached." in text
    assert "It includes one concrete example from the field" in text


def test_the_pdf_has_the_cover_contents_running_header_and_page_numbers(rendered):
    pages = pdf_pages(rendered.pdf)
    cover = " ".join(pages[0].split())
    for expected in (
        "Governing Body",
        "347th Session, Geneva, 13–23 March 2023",
        "GB.347/POL/3",
        "Policy Development Section",
        "Development Cooperation Segment",
        "Date: 27 January 2023",
        "Original: English",
        "Third item on the agenda",
        "Purpose of the document",
        "Relevant strategic objective",
        "Main relevant outcome",
        "Author unit",
        "Related documents: GB.340/POL/6; GB.340/POL/PV; GB.341/POL/4",
        "All GB documents are available on the Internet at www.ilo.org/gb.",
    ):
        assert expected in cover, expected
    count = len(pages)
    assert count > 8
    for number, page in enumerate(pages, start=1):
        assert " of " not in page.splitlines()[-1]
        if number > 1:
            assert "GB.347/POL/3" in page  # the running header
            assert page.rstrip().endswith(str(number))  # the page number, plain
    contents = " ".join(pages[1].split())
    assert "Contents" in contents
    assert re.search(r"Draft decision \.+ \d+", contents)
    assert re.search(
        r"Appendix I\. Deliverables and their links to the Programme and Budget \.+ \d+", contents
    )


def test_the_purpose_paragraph_points_to_the_draft_decision(history, rendered):
    text = " ".join(pdf_text(rendered.pdf).split())
    number = re.search(r"see the draft decision in paragraph (\d+)\)", text).group(1)
    assert re.search(rf"Draft decision {number}\. ?The Governing Body took note of the mid-term review", text)


def test_only_cited_examples_appear_with_their_details(rendered):
    text = " ".join(pdf_text(rendered.pdf).split())
    assert "Box 1. Cited example from Abuja" in text
    assert "Example kept confidential" not in text
    assert "Example still under review" not in text
    assert "Government, Employers' organizations" in text or "Government, Employers’ organizations" in text


def test_an_example_approved_after_the_cut_off_is_absent(history, users):
    make_example(
        users["focal_a"], title="Approved in January", approved_on=CUT_OFF + datetime.timedelta(days=5)
    )
    text = pdf_text(render(history).pdf)
    assert "Approved in January" not in text


def test_the_same_cut_off_gives_the_same_pdf_after_later_updates_and_examples(history, users, rendered):
    later = CUT_OFF + datetime.timedelta(days=20)
    for code in ("1.1.1", "1.4.1", "2.2.2", "3.1.1"):
        record(
            Deliverable.objects.get(code=code),
            users["hq"],
            Status.DISCONTINUED,
            as_of=later,
            progress=1 if code in ("1.4.1", "3.1.1") else None,
            narrative="Written after the cut-off.",
        )
    make_example(users["focal_b"], title="Approved after the cut-off", office="CO-DHAKA", approved_on=later)
    again = render(history)
    assert pdf_text(again.pdf) == pdf_text(rendered.pdf)
    assert "Written after the cut-off" not in pdf_text(again.pdf)
    # The bytes too: the PDF's dates come from the document date, not the clock.
    assert again.pdf == rendered.pdf
    assert "Written after the cut-off" in pdf_text(render(history, as_of=later).pdf)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        "<img src=file:///etc/passwd>",
        '<link rel="stylesheet" href="https://example.org/x.css">',
        "<style>@import url(file:///etc/shadow);</style>",
    ],
)
def test_user_text_renders_as_harmless_text_and_nothing_is_fetched(history, users, hostile):
    record(
        Deliverable.objects.get(code="4.1.1"),
        users["hq"],
        Status.AT_RISK,
        as_of=datetime.date(2022, 6, 1),
        narrative=f"Narrative {hostile} end.",
    )
    make_example(
        users["focal_a"],
        title=f"Title {hostile}",
        codes=["4.1.1"],
        what_was_done=f"Done {hostile} end.",
        results=f"Results {hostile} end.",
    )
    result = render(
        history, symbol="GB.347/POL/3", purpose=f"Purpose {hostile}", decision=f"Decision {hostile}."
    )
    assert result.fetched == (STYLESHEET,)
    assert result.refused == ()
    text = squeezed(pdf_text(result.pdf))
    # Printed as typed, once per place it was typed into (the title appears twice: box title and its mention).
    assert text.count(squeezed(hostile)) >= 6


def test_cover_values_are_printed_as_typed_and_the_running_header_follows_the_symbol(history):
    pages = pdf_pages(
        render(
            history,
            session="348th Session",
            symbol="GB.348/POL/9",
            related_documents="GB.341/POL/4; GB.347/POL/3",
        ).pdf
    )
    cover = " ".join(pages[0].split())
    assert "348th Session, Geneva, 13–23 March 2023" in cover
    assert "Related documents: GB.341/POL/4; GB.347/POL/3" in cover
    assert all("GB.348/POL/9" in page for page in pages)


def test_the_html_of_the_pdf_links_only_the_local_stylesheet(history):
    from reporting.rendering import review_pdf_html

    html = review_pdf_html(review_document(plan=history, as_of=CUT_OFF, cover=default_cover(history)))
    assert re.findall(r'(?:href|src)="([^"#]+)"', html) == [STYLESHEET]


def test_a_render_that_fails_gives_a_message_for_the_user_and_the_cause_for_the_log(monkeypatch):
    import subprocess

    from reporting import rendering
    from reporting.rendering import RenderError

    failed = subprocess.CompletedProcess(
        args=[], returncode=1, stdout=b"", stderr=b"MemoryError: out of memory"
    )
    monkeypatch.setattr(rendering.subprocess, "run", lambda *args, **kwargs: failed)
    with pytest.raises(RenderError) as error:
        render_pdf("<p>Anything</p>")
    assert str(error.value) == "The PDF could not be produced. The error was logged for the administrator."
    assert error.value.detail == "PDF rendering failed (1): MemoryError: out of memory"
