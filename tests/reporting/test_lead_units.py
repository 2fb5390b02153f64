"""The review names the lead unit of each deliverable once one is assigned (issue 12, item 8)."""

import io

import docx
import pytest

from deliverables.models import Deliverable, Office
from reporting.assembly import assemble_review
from reporting.document import compose, default_cover
from reporting.docx import review_docx
from reporting.services import review_render

from .helpers import CUT_OFF
from .pdf import pdf_text

pytestmark = pytest.mark.django_db


def header_rows(content: bytes) -> list[list[str]]:
    return [
        [cell.text for cell in table.rows[0].cells] for table in docx.Document(io.BytesIO(content)).tables
    ]


def test_without_lead_units_no_table_has_the_column(plan):
    review = assemble_review(plan, CUT_OFF)
    assert not review.has_lead_units
    assert all(
        "Lead unit" not in header for header in header_rows(review_docx(compose(review, default_cover(plan))))
    )


def test_a_lead_unit_shows_in_its_actions_table_and_the_appendix_in_both_formats(plan):
    Deliverable.objects.filter(code="1.4.1").update(lead_unit=Office.objects.get(code="PARDEV"))
    review = assemble_review(plan, CUT_OFF)
    row = next(row for row in review.deliverables if row.code == "1.4.1")
    assert row.lead_unit == "PARDEV" and review.has_lead_units
    blocks = {block.code: block for section in review.focus_areas for block in section.actions}
    assert blocks["1.4"].has_lead_units and not blocks["1.1"].has_lead_units

    headers = header_rows(review_docx(compose(review, default_cover(plan))))
    with_units = [header for header in headers if "Lead unit" in header]
    assert len(with_units) == 2  # proposed action 1.4 and Appendix I
    text = pdf_text(review_render(plan=plan, as_of=CUT_OFF, cover=default_cover(plan)).pdf)
    # The appendix's header row repeats on each of its pages.
    assert text.count("Lead unit") >= 2 and "PARDEV" in text
