"""The PDF as a Governing Body document: written sections, footnotes, the DRAFT
mark, the structure tree and language, bookmarks, and archival issued copies."""

import datetime
import io
import re

import pytest
from django.conf import settings
from pypdf import PdfReader

from deliverables.models import Deliverable, Status
from reporting import written as w
from reporting.document import default_cover
from reporting.rendering import review_pdf_html
from reporting.services import review_document, review_render
from reporting.written import Block, Run, WrittenText
from tests.factories import record

from .helpers import CUT_OFF
from .pdf import pdf_pages

WRITTEN = WrittenText(
    {
        w.INTRODUCTION: (Block(Block.PARAGRAPH, (Run("Constituents were consulted in every region."),)),),
        w.area_key(2, "challenges"): (
            Block(
                Block.PARAGRAPH,
                (
                    Run("Funding for coherence work remained "),
                    Run("scarce", emphasis=True),
                    Run(".", footnote=(Run("Programme implementation report 2022."),)),
                ),
            ),
            Block(Block.BULLET, (Run("fewer joint programmes"),)),
        ),
        w.WAY_FORWARD: (Block(Block.PARAGRAPH, (Run("The Office will concentrate on two pillars."),)),),
        w.DECISION: (
            Block(
                Block.PARAGRAPH, (Run("The Governing Body took note of document GB.347/POL/3 as written."),)
            ),
        ),
    }
)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def data(plan, users):
    record(
        Deliverable.objects.get(code="1.1.1"), users["hq"], Status.ACHIEVED, as_of=datetime.date(2022, 11, 15)
    )
    return plan


@pytest.fixture
def draft(data):
    return review_render(plan=data, as_of=CUT_OFF, cover=default_cover(data), written=WRITTEN)


@pytest.fixture
def issued(data):
    return review_render(plan=data, as_of=CUT_OFF, cover=default_cover(data), written=WRITTEN, issued=True)


def test_a_draft_carries_a_draft_mark_on_every_page_as_text(draft, tmp_path):
    pages = pdf_pages(draft.pdf)
    assert len(pages) > 8
    assert all("DRAFT" in page for page in pages)


def test_an_issued_copy_carries_no_draft_mark(issued):
    assert not any("DRAFT" in page for page in pdf_pages(issued.pdf))


def test_written_sections_are_printed_as_numbered_paragraphs_with_their_footnotes(draft):
    text = flat("\n".join(pdf_pages(draft.pdf)))
    number = int(re.search(r"(\d+)\. Constituents were consulted in every region\.", text).group(1))
    assert re.search(rf"{number + 1}\. As of 31 December 2022", text)  # the overview follows
    assert "Challenges" in text and "fewer joint programmes" in text
    assert re.search(r"\b2 Programme implementation report 2022\.", text)  # footnote 2, after GB.340/POL/PV
    assert re.search(r"IV\. Way forward \d+\. The Office will concentrate on two pillars\.", text)
    decision = re.search(
        r"Draft decision (\d+)\. The Governing Body took note of document GB\.347/POL/3", text
    )
    assert f"see the draft decision in paragraph {decision.group(1)})" in text


def test_the_draft_decision_is_set_in_bold(data):
    html = review_pdf_html(review_document(plan=data, as_of=CUT_OFF, cover=default_cover(data)))
    decision = html[html.index('id="decision"') :]
    assert '<p class="para">' in decision
    css = (settings.BASE_DIR / "static" / "reporting" / "review-print.css").read_text()
    assert ".decision .para, .decision .items { font-weight: bold; }" in css


def test_the_pdf_is_tagged_and_states_its_language(draft):
    root = PdfReader(io.BytesIO(draft.pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"


def test_bookmarks_are_the_headings_of_the_document_only(draft):
    def titles(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title

    outline = list(titles(PdfReader(io.BytesIO(draft.pdf)).outline))
    assert outline[0] == (
        0,
        "Mid-term review of the ILO Development Cooperation Strategy 2020–25 and its implementation plan",
    )
    assert [title for depth, title in outline if depth == 1] == [
        "I. Introduction",
        "II. Overview of progress",
        "III. Progress by focus area",
        "IV. Way forward",
        "Draft decision",
        "Appendix I Deliverables and their links to the Programme and Budget",
        "Appendix II Deliverables due by the end of 2023 and not achieved as of 31 December 2022",
    ]
    assert len([title for depth, title in outline if depth == 2]) == 4  # the focus areas
    assert not any(
        t.startswith(("Proposed action", "Box", "What happened", "Contents", "Purpose")) for _, t in outline
    )


def test_an_issued_copy_is_archival_pdf_a_and_still_tagged(issued):
    reader = PdfReader(io.BytesIO(issued.pdf))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", metadata) and re.search(r"pdfaid:conformance(>|=\")A", metadata)
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"
    assert "/OutputIntents" in root


def test_an_issued_copy_renders_to_the_same_bytes_again(data, issued):
    again = review_render(plan=data, as_of=CUT_OFF, cover=default_cover(data), written=WRITTEN, issued=True)
    assert again.pdf == issued.pdf


def test_the_figures_carry_their_alternative_text_in_the_structure_tree(draft):
    root = PdfReader(io.BytesIO(draft.pdf)).trailer["/Root"]
    alts = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get") and node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        if hasattr(node, "get") and "/K" in node:
            walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert any(alt.startswith("Deliverables by status in each focus area.") for alt in alts)
    assert any(alt.startswith("Progress reported against each numeric target.") for alt in alts)
    assert all(alts)
