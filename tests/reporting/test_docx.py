"""The review as a Word file, read back with python-docx."""

import datetime
import io
import re
import zipfile

import docx
import pytest
from django.urls import reverse

from deliverables.models import Deliverable, Status
from reporting import written as w
from reporting.assembly import assemble_review
from reporting.document import compose, default_cover
from reporting.docx import review_docx
from reporting.written import Block, Run, WrittenText
from tests.factories import PASSWORD, record

from .helpers import CUT_OFF, make_example
from .test_command import run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WRITTEN = WrittenText(
    {
        w.area_key(1, "lessons"): (
            Block(
                Block.PARAGRAPH,
                (
                    Run("Early consultation "),
                    Run("paid off", strong=True),
                    Run(".", footnote=(Run("See box 1."),)),
                ),
            ),
            Block(Block.BULLET, (Run("a listed point"),)),
        ),
    }
)


@pytest.fixture
def document(plan, users):
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.ON_TRACK,
        progress=7,
        as_of=datetime.date(2022, 6, 30),
        narrative="Seven partnerships signed.",
    )
    make_example(users["focal_a"], codes=["1.1.1"])
    return compose(assemble_review(plan, CUT_OFF), default_cover(plan), WRITTEN)


@pytest.fixture
def word(document):
    return docx.Document(io.BytesIO(review_docx(document)))


def numbered(word) -> list[tuple[int, str]]:
    found = []
    for paragraph in word.paragraphs:
        match = re.match(r"(\d+)\.\t(.*)", paragraph.text, re.S)
        if match:
            found.append((int(match.group(1)), match.group(2)))
    return found


def test_the_paragraphs_carry_the_numbers_of_the_pdf_as_text(document, word):
    paragraphs = numbered(word)
    assert [n for n, _text in paragraphs] == list(range(1, document.decision_number + 1))
    texts = dict(paragraphs)
    assert texts[1] == document.introduction[0].text
    (lesson,) = [n for n, text in paragraphs if text == "Early consultation paid off."]
    assert lesson == document.areas[0].written[0].content[0].number
    assert "a listed point" in [p.text for p in word.paragraphs]  # a list item, not numbered


def test_the_draft_decision_is_in_bold_under_its_heading(document, word):
    texts = [p.text for p in word.paragraphs]
    heading = texts.index("Draft decision")
    decision = word.paragraphs[heading + 1]
    assert decision.text == f"{document.decision_number}.\t{document.cover.decision}"
    assert all(run.bold for run in decision.runs if run.text.strip())


def test_the_cover_block_comes_first_with_its_facts(word):
    texts = [p.text for p in word.paragraphs[:25]]
    assert texts[0] == "Governing Body\tGB.347/POL/3"
    assert "Date: 27 January 2023" in texts
    assert "Related documents: GB.340/POL/6; GB.340/POL/PV; GB.341/POL/4" in texts
    assert any("www.ilo.org/gb" in text for text in texts)


def test_tables_repeat_their_header_row_on_every_page(document, word):
    assert len(word.tables) >= 4 + len([t for a in document.areas for t in a.tables])
    for table in word.tables:
        header = table.rows[0]._tr
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row._tr.find(f"{W}trPr/{W}tblHeader") is None for row in table.rows[1:])
    action = next(t for t in word.tables if t.rows[0].cells[0].text == "Code" and len(t.columns) == 5)
    assert [c.text for c in action.rows[0].cells][:2] == ["Code", "Deliverable"]


def test_the_figures_are_given_as_the_tables_behind_them(document, word):
    figure = next(t for t in word.tables if t.rows[0].cells[0].text == "Focus area")
    assert len(figure.rows) == 1 + len(document.review.focus_areas)
    first = [c.text for c in figure.rows[1].cells]
    assert first[0] == "1. Services to constituents" and first[-1] == str(
        document.review.focus_areas[0].total
    )
    targets = next(t for t in word.tables if t.rows[0].cells[1].text == "What the target counts")
    assert ["1.4.1", "partnerships", "10", "7"] in [[c.text for c in row.cells] for row in targets.rows]


def test_footnotes_are_real_word_footnotes(document, word, plan):
    data = review_docx(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/footnotes.xml" in archive.namelist()
        types = archive.read("[Content_Types].xml").decode()
        notes = archive.read("word/footnotes.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert 'PartName="/word/footnotes.xml"' in types
    assert "GB.340/POL/PV, para. 156." in notes and "See box 1." in notes
    assert re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body) == ["1", "2"]
    rels = word.part.rels.values()
    assert any(rel.reltype.endswith("/footnotes") for rel in rels)


def test_a_draft_has_the_mark_in_its_header_and_an_issued_copy_does_not(document, word):
    assert word.sections[0].header.paragraphs[0].text.startswith("DRAFT")
    issued = docx.Document(io.BytesIO(review_docx(compose(document.review, document.cover, draft=False))))
    assert "DRAFT" not in issued.sections[0].header.paragraphs[0].text
    assert "GB.347/POL/3" in issued.sections[0].header.paragraphs[0].text


def test_the_same_document_gives_the_same_bytes(document):
    assert review_docx(document) == review_docx(document)
    word = docx.Document(io.BytesIO(review_docx(document)))
    assert word.core_properties.created == datetime.datetime(2023, 1, 27, tzinfo=datetime.UTC)


def test_the_docx_downloads_from_the_preview_form(client, users, plan):
    client.login(username=users["manager"].username, password=PASSWORD)
    response = client.get(reverse("reporting:download"), {"as_of": "2022-12-31", "format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response["Content-Disposition"] == 'attachment; filename="GB.347-POL-3_as-of_2022-12-31.docx"'
    word = docx.Document(io.BytesIO(response.content))
    assert numbered(word)[0][0] == 1


def test_the_command_writes_the_docx(plan, tmp_path, capsys):
    output = tmp_path / "review.docx"
    code, _out, err = run("--as-of", "2022-12-31", "--format", "docx", "--output", str(output), capsys=capsys)
    assert code == 0, err
    word = docx.Document(str(output))
    assert any(p.text == "Draft decision" for p in word.paragraphs)


def test_column_widths_are_in_the_table_grid_that_libreoffice_reads(word):
    # Word reads each cell's width, LibreOffice the grid's: an even grid squeezes the texts.
    table = next(t for t in word.tables if t.rows[0].cells[1].text == "Deliverable")
    code, text, timeline = (table.columns[i].width for i in range(3))
    assert text > 2 * timeline > code
    assert all(cell.width == table.columns[1].width for cell in table.columns[1].cells)
