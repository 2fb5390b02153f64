"""The review as a Word file, for ILO editing and translation: the same document as
the PDF (cover block, headings, the same numbered paragraphs, tables, footnotes,
the draft decision), drawn with python-docx from a composed ReviewDocument.

- Paragraph numbers are text ("12." and a tab, hanging), as in GB documents,
  so that they survive any editing and match the PDF's.
- Figures are given as the tables behind them: they stay editable and translatable.
- Footnotes: python-docx has no footnote API. This module writes the footnotes
  part itself (/word/footnotes.xml, with its relationship from the main document
  and its content type) and marks each note with a w:footnoteReference run. Word
  numbers footnotes by their order in the text, which is the order of
  ReviewDocument.footnotes, so the numbers are the PDF's.
- The same document gives the same bytes: the core properties carry the
  document date, and every zip entry a fixed timestamp.
"""

import datetime
import io
import zipfile
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .assembly import DeliverableRow
from .document import Content, ItemList, Para, ReviewDocument, Span
from .house_style import typography
from .style import long_date, month_year

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HANG = Mm(9)
TABLE_TEXT = Pt(9)
FONT = "Arial"


def review_docx(document: ReviewDocument) -> bytes:
    """The .docx file of `document`, byte for byte the same for the same document,
    in the document's language whatever the interface's."""
    word = Document()
    with translation.override(document.language):
        _set_up(word, document)
        _cover(word, document)
        _body(word, document)
        _appendices(word, document)
        _typeset(word, document.language)
        _add_footnotes_part(word, document)
    out = io.BytesIO()
    word.save(out)
    return _fixed_zip(out.getvalue())


# ---------------------------------------------------------------------------
# Page, styles, header and footer
# ---------------------------------------------------------------------------


def _set_up(word, document: ReviewDocument) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    normal.paragraph_format.space_after = Pt(6)
    # The language of the text, for spelling, hyphenation and screen readers.
    language = document.language
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    normal.element.get_or_add_rPr().append(lang)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        word.styles[name].font.name = FONT
        word.styles[name].font.color.rgb = RGBColor(0x1E, 0x2D, 0xBE)
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin, section.right_margin = Mm(22), Mm(20)

    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(Mm(168), alignment=2)  # right
    if document.draft:
        mark = header.add_run(_("DRAFT"))
        mark.bold = True
        mark.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    symbol = header.add_run("\t" + document.cover.symbol)
    symbol.bold = True

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)

    core = word.core_properties
    moment = datetime.datetime.combine(document.date, datetime.time(0, 0), tzinfo=datetime.UTC)
    core.title = f"{document.cover.symbol} – {document.cover.title}"
    core.author = document.cover.author_unit
    core.last_modified_by = document.cover.author_unit
    core.subject = _("Mid-term review as of %(date)s") % {"date": long_date(document.review.as_of)}
    core.created = core.modified = core.last_printed = moment
    core.revision = 1
    core.language = language
    core.comments = ""
    core.keywords = ""


# ---------------------------------------------------------------------------
# Cover
# ---------------------------------------------------------------------------


def _cover(word, document: ReviewDocument) -> None:
    cover = document.cover
    line = word.add_paragraph()
    _run(line, _("Governing Body"), bold=True, size=20)
    _run(line, "\t" + cover.symbol, bold=True, size=16)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(168), alignment=2)
    word.add_paragraph(f"{cover.session}, {cover.place}, {cover.session_dates}")
    for text, bold in ((cover.section, False), (cover.section_code, True), (cover.segment, False)):
        if text:
            _run(word.add_paragraph(), text, bold=bold)
    _run(word.add_paragraph(), _("Date: %(date)s") % {"date": long_date(document.date)})
    _run(word.add_paragraph(), _("Original: %(language)s") % {"language": cover.original_language})
    _run(word.add_paragraph(), cover.agenda_item, bold=True)
    word.add_paragraph(cover.title, style="Title")
    word.add_heading(_("Purpose of the document"), level=3)
    word.add_paragraph(document.purpose_with_reference)
    facts = [
        (_("Relevant strategic objective"), cover.strategic_objective),
        (_("Main relevant outcome"), cover.main_outcome),
        (_("Policy implications"), cover.policy_implications),
        (_("Legal implications"), cover.legal_implications),
        (_("Financial implications"), cover.financial_implications),
        (_("Follow-up action required"), cover.follow_up),
        (_("Author unit"), cover.author_unit),
        (_("Related documents"), "; ".join(cover.related)),
    ]
    for label, value in facts:
        if value:
            paragraph = word.add_paragraph()
            _run(paragraph, f"{label}: ", bold=True)
            _run(paragraph, value)
    note = word.add_paragraph()
    _run(
        note,
        _(
            "This GB document is printed in a limited number of copies to minimize the environmental "
            "impact of the ILO's activities and processes, contribute to climate neutrality and improve "
            "efficiency. GB members and observers are kindly requested to bring their copies to meetings "
            "and to avoid asking for additional ones. All GB documents are available on the Internet at "
            "www.ilo.org/gb."
        ),
        italic=True,
        size=8.5,
    )
    note.runs[-1].add_break(WD_BREAK.PAGE)


# ---------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------


def _body(word, document: ReviewDocument) -> None:
    review = document.review
    figures = review.key_figures
    date = long_date(review.as_of)
    word.add_heading(document.headings["introduction"], level=1)
    _content(word, document.introduction)

    word.add_heading(document.headings["overview"], level=1)
    _content(word, document.overview[:1])
    rows = [[_("Deliverables in the plan"), str(figures.total)]]
    rows += [["    " + item.label, str(item.count)] for item in figures.status_counts]
    rows += [
        [_("Due by the end of %(year)s") % {"year": review.midterm_year}, str(figures.due_total)],
        ["    " + _("of which achieved"), str(figures.due_achieved)],
        ["    " + _("of which not achieved (Appendix II)"), str(figures.due_not_achieved)],
        [_("Deliverables with a numeric target"), str(figures.targets_total)],
        ["    " + _("of which target reached"), str(figures.targets_reached)],
        [_("Concrete examples from the field"), str(figures.examples)],
    ]
    _caption(word, _("Table %(number)s. Key figures as of %(date)s") % {"number": 1, "date": date})
    _table(word, [_("Key figure"), _("Number")], rows, [110, 25])
    _source(word, document)

    _caption(word, _("Figure 1. Status of the deliverables by focus area, as of %(date)s") % {"date": date})
    statuses = [item.label for item in figures.status_counts]
    _table(
        word,
        [_("Focus area"), *statuses, _("Total")],
        [
            [
                _("%(number)s. %(title)s") % {"number": s.number, "title": s.title},
                *[str(item.count) for item in s.status_counts],
                str(s.total),
            ]
            for s in review.focus_areas
        ],
        [48] + [15] * len(statuses) + [15],
    )
    _source(word, document)
    _content(word, document.overview[1:])
    if review.with_targets:
        _caption(word, _("Figure 2. Numeric targets and progress reported, as of %(date)s") % {"date": date})
        _table(
            word,
            [_("Code"), _("What the target counts"), _("Target"), _("Achieved so far")],
            [
                [row.code, row.target_unit, str(row.target_value), str(row.progress_value or 0)]
                for row in review.with_targets
            ],
            [18, 90, 25, 30],
        )
        _source(word, document)
    _content(word, document.strategy)

    word.add_heading(document.headings["progress"], level=1)
    for area in document.areas:
        section = area.section
        word.add_heading(
            _("Focus area %(number)s – %(title)s") % {"number": section.number, "title": section.title},
            level=2,
        )
        _content(word, area.paragraphs)
        for part in area.written:
            word.add_heading(part.heading, level=3)
            _content(word, part.content)
        for table in area.tables:
            action = table.action
            _run(word.add_paragraph(), _("Proposed action %(code)s") % {"code": action.code}, bold=True)
            _run(word.add_paragraph(), action.text, italic=True)
            _caption(
                word,
                _("Table %(number)s. Deliverables of proposed action %(code)s as of %(date)s")
                % {"number": table.number, "code": action.code, "date": date},
            )
            units = action.has_lead_units
            _table(
                word,
                [
                    _("Code"),
                    _("Deliverable"),
                    _("Timeline"),
                    *([_("Lead unit")] if units else []),
                    _("Status and progress against target"),
                    _("Latest narrative"),
                ],
                [
                    [
                        r.code,
                        r.text,
                        r.timeline,
                        *([r.lead_unit or "—"] if units else []),
                        _status_and_progress(r),
                        _narrative(r),
                    ]
                    for r in action.deliverables
                ],
                [13, 39, 18, 25, 28, 47] if units else [13, 55, 18, 28, 56],
            )
            _source(word, document)
        if section.examples:
            word.add_heading(
                _("Concrete examples from the field: focus area %(number)s") % {"number": section.number},
                level=3,
            )
        for example in section.examples:
            _run(
                word.add_paragraph(),
                _("Box %(number)s. %(title)s") % {"number": example.number, "title": example.title},
                bold=True,
            )
            period = month_year(example.started_on)
            if example.ended_on and example.ended_on != example.started_on:
                period += " – " + month_year(example.ended_on)
            for label, value in (
                (_("Office"), example.office),
                (_("Countries"), ", ".join(example.countries)),
                (_("Region"), example.region),
                (_("Period"), period),
                (_("Constituents"), ", ".join(example.constituents)),
                (_("Partners"), example.partners),
                (_("Deliverables"), ", ".join(example.deliverable_codes)),
            ):
                if value:
                    paragraph = word.add_paragraph()
                    _run(paragraph, f"{label}: ", bold=True, size=9)
                    _run(paragraph, value, size=9)
            for label, value in (
                (_("What happened"), example.what_was_done),
                (_("Results"), example.results),
            ):
                _run(word.add_paragraph(), label, bold=True)
                word.add_paragraph(value)
        for example in section.see_also:
            _run(
                word.add_paragraph(),
                _("See also box %(number)s, “%(title)s”, under focus area %(area)s.")
                % {"number": example.number, "title": example.title, "area": example.home_focus_area},
                italic=True,
            )
    for key, content in (("way_forward", document.way_forward), ("guidance", document.guidance)):
        if content:
            word.add_heading(document.headings[key], level=1)
            _content(word, content)
    word.add_heading(_("Draft decision"), level=1)
    _content(word, document.decision, bold=True)


def _appendices(word, document: ReviewDocument) -> None:
    review = document.review
    date = long_date(review.as_of)
    heading = word.add_heading(_("Appendix I"), level=1)
    heading.paragraph_format.page_break_before = True
    word.add_heading(_("Deliverables and their links to the Programme and Budget"), level=2)
    _caption(
        word,
        _(
            "Table %(number)s. Deliverables, their status as of %(date)s and the Programme and Budget "
            "outputs they refer to"
        )
        % {"number": document.appendix_tables[0], "date": date},
    )
    units = review.has_lead_units
    _table(
        word,
        [
            _("Code"),
            _("Deliverable"),
            _("Timeline"),
            *([_("Lead unit")] if units else []),
            _("Status"),
            _("P&B outputs"),
        ],
        [
            [r.code, r.text, r.timeline, *([r.lead_unit or "—"] if units else []), r.status_label, _pb(r)]
            for r in review.deliverables
        ],
        [13, 52, 18, 25, 20, 42] if units else [13, 71, 18, 22, 44],
    )
    _source(word, document)
    if review.pb_outputs:
        word.add_heading(_("P&B outputs referred to"), level=3)
        for output in review.pb_outputs:
            paragraph = word.add_paragraph()
            _run(
                paragraph,
                _("P&B %(b)s, output %(c)s") % {"b": output.biennium, "c": output.code} + ": ",
                bold=True,
                size=9,
            )
            _run(paragraph, output.title, size=9)

    word.add_heading(_("Appendix II"), level=1)
    word.add_heading(
        _("Deliverables due by the end of %(year)s and not achieved as of %(date)s")
        % {"year": review.midterm_year, "date": date},
        level=2,
    )
    if review.due_not_achieved:
        _caption(
            word,
            _(
                "Table %(number)s. Deliverables due by the end of %(year)s and not achieved, with their "
                "latest narrative"
            )
            % {"number": document.appendix_tables[1], "year": review.midterm_year},
        )
        _table(
            word,
            [_("Code"), _("Deliverable"), _("Timeline"), _("Status"), _("Latest narrative")],
            [[r.code, r.text, r.timeline, r.status_label, _narrative(r)] for r in review.due_not_achieved],
            [13, 55, 18, 22, 60],
        )
        _source(word, document)
    else:
        word.add_paragraph(
            _("Every deliverable due by the end of %(year)s had been achieved.")
            % {"year": review.midterm_year}
        )


# ---------------------------------------------------------------------------
# Paragraphs, runs, tables
# ---------------------------------------------------------------------------


def _content(word, content: Content | Iterable[Para], *, bold: bool = False) -> None:
    for item in content:
        if isinstance(item, ItemList):
            style = "List Number" if item.ordered else "List Bullet"
            for entry in item.items:
                paragraph = word.add_paragraph(style=style)
                paragraph.paragraph_format.left_indent = HANG + Mm(6)
                _spans(paragraph, entry.spans, bold=bold)
            continue
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt = paragraph.paragraph_format
        fmt.left_indent, fmt.first_line_indent = HANG, -HANG
        fmt.tab_stops.add_tab_stop(HANG)
        _run(paragraph, f"{item.number}.\t", bold=bold)
        _spans(paragraph, item.spans, bold=bold)


def _spans(paragraph, spans: tuple[Span, ...], *, bold: bool = False) -> None:
    for span in spans:
        if span.text:
            _run(paragraph, span.text, bold=bold or span.strong, italic=span.emphasis)
        if span.footnote:
            reference = paragraph.add_run()
            properties = reference._r.get_or_add_rPr()
            align = OxmlElement("w:vertAlign")
            align.set(qn("w:val"), "superscript")
            properties.append(align)
            mark = OxmlElement("w:footnoteReference")
            mark.set(qn("w:id"), str(span.footnote.number))
            reference._r.append(mark)


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return run


def _caption(word, text: str) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)
    _run(paragraph, text, bold=True, size=9)


def _source(word, document: ReviewDocument) -> None:
    _run(
        word.add_paragraph(),
        _("Source: ILO, status updates on the implementation plan recorded for dates up to %(date)s.")
        % {"date": long_date(document.review.as_of)},
        size=9,
    )


def _table(word, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
    """A grid table whose first row repeats on every page (w:tblHeader) and whose rows do not split."""
    table = word.add_table(rows=1, cols=len(header))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True)
    _row_flags(table.rows[0], header=True)
    for values in rows:
        row = table.add_row()
        for cell, text in zip(row.cells, values, strict=True):
            _cell(cell, text)
        _row_flags(row)
    for column, width in zip(table.columns, widths_mm, strict=True):
        # Word reads the cells' widths, LibreOffice the table grid's: set both.
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    for number, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if number:
            run.add_break()
        run.add_text(line)
        run.font.size = TABLE_TEXT
        run.bold = bold or None


def _row_flags(row, *, header: bool = False) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _status_and_progress(row: DeliverableRow) -> str:
    if not row.has_target:
        return row.status_label
    return "\n".join(
        [
            row.status_label,
            _("%(value)s of %(target)s %(unit)s")
            % {"value": row.progress_value or 0, "target": row.target_value, "unit": row.target_unit},
        ]
    )


def _narrative(row: DeliverableRow) -> str:
    if not row.narrative:
        return "—"
    if row.reported_on:
        return f"{row.narrative} " + _("(update of %(date)s)") % {"date": long_date(row.reported_on)}
    return row.narrative


def _pb(row: DeliverableRow) -> str:
    lines = [_("All policy outcomes of P&B %(biennium)s") % {"biennium": b} for b in row.all_policy_outcomes]
    lines += [_("P&B %(biennium)s: %(codes)s") % {"biennium": b, "codes": c} for b, c in row.pb_by_biennium]
    if row.other_references:
        lines.append(row.other_references)
    return "\n".join(lines) or "—"


# ---------------------------------------------------------------------------
# Footnotes part, and reproducible bytes
# ---------------------------------------------------------------------------


def _typeset(word, language: str) -> None:
    """The language's spacing (French: no-break spaces before : ; ! ?) in every text
    of the body, header and footer. Footnotes are typeset as they are written."""
    if not language.startswith("fr"):
        return
    section = word.sections[0]
    for root in (word.element.body, section.header._element, section.footer._element):
        for node in root.iter(qn("w:t")):
            node.text = typography(node.text or "", language)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _add_footnotes_part(word, document: ReviewDocument) -> None:
    """/word/footnotes.xml: the two separators Word expects (ids -1 and 0), then one
    w:footnote per note, its id the number the w:footnoteReference runs point to."""
    root = etree.Element(_w("footnotes"), nsmap={"w": W_NS})
    for note_id, kind, mark in (
        ("-1", "separator", "separator"),
        ("0", "continuationSeparator", "continuationSeparator"),
    ):
        footnote = etree.SubElement(root, _w("footnote"), {_w("type"): kind, _w("id"): note_id})
        run = etree.SubElement(etree.SubElement(footnote, _w("p")), _w("r"))
        etree.SubElement(run, _w(mark))
    for note in document.footnotes:
        footnote = etree.SubElement(root, _w("footnote"), {_w("id"): str(note.number)})
        paragraph = etree.SubElement(footnote, _w("p"))
        run = etree.SubElement(paragraph, _w("r"))
        properties = etree.SubElement(run, _w("rPr"))
        etree.SubElement(properties, _w("vertAlign"), {_w("val"): "superscript"})
        etree.SubElement(run, _w("footnoteRef"))
        spans = (Span(" "), *note.spans)
        for span in spans:
            run = etree.SubElement(paragraph, _w("r"))
            properties = etree.SubElement(run, _w("rPr"))
            if span.strong:
                etree.SubElement(properties, _w("b"))
            if span.emphasis:
                etree.SubElement(properties, _w("i"))
            etree.SubElement(properties, _w("sz"), {_w("val"): "17"})  # 8.5 pt
            text = etree.SubElement(run, _w("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            text.text = typography(span.text, document.language)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, blob, word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with a fixed timestamp on every entry."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
