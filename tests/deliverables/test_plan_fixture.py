"""The GB.341/POL/4 fixture checked against the document itself.

The fixture (fixtures/gb341_pol4.json) was typed from the document. These
tests re-read the seed text of GB.341/POL/4 at run time and compare, so a
typo, a wrong dash, a lost deliverable, a wrong timeline, target or P&B
link fails the build. Each comparison is a "checker" function returning a
list of problems; the last tests break the data on purpose and assert the
checkers report it, so we know they can fail.

The seed is Path(BASE_DIR).parent / "shared" / "seed" / "GB.341-POL-4.txt",
or the file named by the DCPLAN_SEED_TEXT environment variable.
"""

import functools
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from deliverables.models import Deliverable, FocusArea, Office, PBOutput, Plan, ProposedAction, Region

SYMBOL = "GB.341/POL/4"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
YEAR_RANGE = r"\d{4}[–-]\d{2}"


# --------------------------------------------------------------------------
# Reading the document
# --------------------------------------------------------------------------


def seed_path() -> Path:
    override = os.environ.get("DCPLAN_SEED_TEXT")
    if override:
        return Path(override)
    return Path(settings.BASE_DIR).parent / "shared" / "seed" / "GB.341-POL-4.txt"


def is_footnote_line(line: str) -> bool:
    # Footnotes start with their number and a space: "¹⁹ See also ILO, …" in
    # the seed, "19 See also ILO, …" in a plain-text extraction. Numbered
    # paragraphs ("1. This document …") and table rows ("1.1 Development …")
    # have a full stop after the number, so they do not match.
    return bool(re.match(rf"^\s*(?:[{SUPERSCRIPT_DIGITS}]+|\d{{1,2}})\s+\S", line))


def is_page_header(line: str) -> bool:
    return bool(re.match(r"^\s*GB\.341/POL/4\s+\d+\s*$", line))


def strip_footnote_markers(text: str) -> str:
    """Remove footnote references from running text.

    In the seed they are superscripts set off by spaces ("principles ¹⁸ to",
    "private sector ²³ , IFIs"); the space the marker left before a
    punctuation mark goes with it. A plain-text extraction may glue plain
    digits to the word ("level.19", "frameworks21 that"); only digits right
    after a lower-case letter (or a letter and a punctuation mark) are taken
    as markers, which leaves "COVID-19", "BAPA+40", "A/RES/73/291",
    "output C.3" and "1.1," alone.
    """
    text = re.sub(rf"\s*[{SUPERSCRIPT_DIGITS}]+\s*(?=[,.;:])", "", text)
    text = re.sub(rf"\s*[{SUPERSCRIPT_DIGITS}]+", "", text)
    text = re.sub(r"(?<=[a-z][.,;:”’])\d{1,2}(?=\s|$)", "", text)
    text = re.sub(r"(?<=[a-z])\d{1,2}(?=[\s,.;:]|$)", "", text)
    return text


def without_tags(text: str) -> str:
    return re.sub(r"</?p>", "", text)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def clean_cell(text: str) -> str:
    return collapse(strip_footnote_markers(without_tags(text)))


def normalised_document(raw: str) -> str:
    """The document as one line of running text, for verbatim look-ups.

    Footnotes and page headers are dropped and the Timeline column is cut
    off, so a table cell split by a page break (deliverable 2.2.2, "… in
    the Era of COVID-19 and" / footnotes / "Beyond, …") reads as one
    sentence again.
    """
    kept = []
    for line in raw.splitlines():
        if is_footnote_line(line) or is_page_header(line):
            continue
        line = re.sub(rf"(?:\t\s*(?:<p>)?{YEAR_RANGE}(?:</p>)?)+\s*$", "", line)
        line = re.sub(rf"(?:\s*<p>{YEAR_RANGE}</p>)+\s*$", "", line)
        kept.append(without_tags(line))
    return collapse(strip_footnote_markers("\n".join(kept)))


def biennium(text: str) -> str:
    # The document writes "2020–21" with an en dash, except in focus area 4
    # where the extraction has "2020-21"; the database always uses the en dash.
    return text.replace("-", "–")


@dataclass
class DocDeliverable:
    text: str
    start_year: int
    end_year: int


@dataclass
class DocAction:
    code: str
    text: str
    deliverables: list[DocDeliverable] = field(default_factory=list)
    pb_outputs: set[tuple[str, str]] = field(default_factory=set)
    all_policy_outcomes: list[str] = field(default_factory=list)
    other_references: str = ""


@dataclass
class Document:
    lines: list[str]
    running_text: str
    focus_areas: dict[int, str]
    actions: dict[str, DocAction]
    pb_titles: dict[tuple[str, str], str]

    @property
    def deliverable_count(self) -> int:
        return sum(len(a.deliverables) for a in self.actions.values())


def parse_years(cell: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})[–-](\d{2})", cell)
    assert match, f"not a timeline: {cell!r}"
    start = int(match.group(1))
    return start, start // 100 * 100 + int(match.group(2))


OUTPUT_RE = re.compile(r"^(?P<bienniums>.*?),? output (?P<code>[A-Z0-9]+\.\d+): (?P<title>.+?)[;.]?$")


@dataclass
class Reference:
    """One "- …;" line of a "Proposed actions … refer in particular to:" list."""

    all_policy_outcomes: list[str] = field(default_factory=list)
    outputs: dict[tuple[str, str], str] = field(default_factory=dict)  # (biennium, code) -> title
    other: str = ""


def parse_reference(item: str) -> Reference:
    item = collapse(strip_footnote_markers(item))
    if item.startswith("All policy outcomes of"):
        return Reference(all_policy_outcomes=[biennium(b) for b in re.findall(YEAR_RANGE, item)])
    output = OUTPUT_RE.match(item)
    if output:
        # "P&B 2020–21, P&B 2022–23, output 1.1: …" names the output of both bienniums.
        bienniums = [biennium(b) for b in re.findall(YEAR_RANGE, output["bienniums"])]
        return Reference(outputs={(b, output["code"]): output["title"] for b in bienniums})
    symbol = re.search(r"GB\.\d+/[A-Z]+/\d+", item)
    assert symbol, f"reference not understood: {item!r}"
    return Reference(other=symbol.group(0))


@functools.cache
def read_document(path: Path) -> Document:
    raw = path.read_text(encoding="utf-8")
    lines = raw.splitlines()
    focus_areas: dict[int, str] = {}
    actions: dict[str, DocAction] = {}
    pb_titles: dict[tuple[str, str], str] = {}
    current: DocAction | None = None
    cell_continues = False  # the last deliverable cell was cut by a page break
    referring: list[DocAction] = []  # actions whose reference list is being read

    for line in lines:
        if is_footnote_line(line) or is_page_header(line):
            continue
        heading = re.match(r"^Focus [Aa]rea (\d+) – (.+?)\s*$", line)
        if heading:
            focus_areas[int(heading.group(1))] = heading.group(2)
            continue
        refer = re.match(r"^Proposed actions? (.+?) refers? in particular to:", line)
        if refer:
            referring = [actions[code] for code in re.findall(r"\d+\.\d+", refer.group(1))]
            continue
        if referring and line.startswith("- "):
            reference = parse_reference(line[2:])
            pb_titles.update(reference.outputs)
            for action in referring:
                action.pb_outputs.update(reference.outputs)
                action.all_policy_outcomes += reference.all_policy_outcomes
                action.other_references = action.other_references or reference.other
            continue
        if line.strip() and not line.startswith("- "):
            referring = []
        cells = line.split("\t")
        is_row = len(cells) >= 3 and bool(cells[1].strip()) and bool(re.search(YEAR_RANGE, cells[2]))
        if is_row:
            if cells[0].strip():
                code, text = clean_cell(cells[0]).split(" ", 1)
                current = actions[code] = DocAction(code=code, text=text)
            texts = [clean_cell(c) for c in re.split(r"</p>\s*<p>", cells[1])]
            years = [parse_years(clean_cell(c)) for c in re.split(r"</p>\s*<p>", cells[2])]
            assert current is not None and len(texts) == len(years), f"row not understood: {line!r}"
            for text, (start, end) in zip(texts, years, strict=True):
                current.deliverables.append(DocDeliverable(text, start, end))
            cell_continues = not current.deliverables[-1].text.endswith(".")
            continue
        if cell_continues and line.strip():
            last = current.deliverables[-1]
            last.text = f"{last.text} {clean_cell(line)}"
            cell_continues = False

    return Document(
        lines=[line.strip() for line in lines],
        running_text=normalised_document(raw),
        focus_areas=focus_areas,
        actions=actions,
        pb_titles=pb_titles,
    )


def document() -> Document:
    return read_document(seed_path())


# --------------------------------------------------------------------------
# Checkers: each returns a list of problems, empty when the data is right
# --------------------------------------------------------------------------


def text_problems(plan: Plan, doc: Document) -> list[str]:
    """Every action and deliverable text, verbatim, where the document has it."""
    problems = []
    for action in ProposedAction.objects.filter(plan=plan):
        if f"{action.code} {action.text}" not in doc.running_text:
            problems.append(f"action {action.code}: text not in the document: {action.text!r}")
        expected = doc.actions.get(action.code)
        if expected and expected.text != action.text:
            problems.append(f"action {action.code}: {action.text!r} != document {expected.text!r}")
    for deliverable in Deliverable.objects.filter(plan=plan).select_related("action"):
        if deliverable.text not in doc.running_text:
            problems.append(f"deliverable {deliverable.code}: text not in the document: {deliverable.text!r}")
        expected_action = doc.actions.get(deliverable.action.code)
        if expected_action and deliverable.position <= len(expected_action.deliverables):
            expected = expected_action.deliverables[deliverable.position - 1].text
            if expected != deliverable.text:
                problems.append(
                    f"deliverable {deliverable.code}: {deliverable.text!r} != document {expected!r}"
                )
    return problems


def structure_problems(plan: Plan, doc: Document) -> list[str]:
    """Same actions, same number of deliverables per action, same timelines."""
    problems = []
    db_actions = {a.code: a for a in ProposedAction.objects.filter(plan=plan)}
    if set(db_actions) != set(doc.actions):
        problems.append(f"actions {sorted(db_actions)} != document {sorted(doc.actions)}")
    for code, doc_action in doc.actions.items():
        if code not in db_actions:
            continue
        rows = list(db_actions[code].deliverables.order_by("position"))
        if len(rows) != len(doc_action.deliverables):
            problems.append(
                f"action {code}: {len(rows)} deliverables != document {len(doc_action.deliverables)}"
            )
        for row, expected in zip(rows, doc_action.deliverables, strict=False):
            if (row.start_year, row.end_year) != (expected.start_year, expected.end_year):
                problems.append(
                    f"deliverable {row.code}: {row.start_year}–{row.end_year} "
                    f"!= document {expected.start_year}–{expected.end_year}"
                )
    return problems


# "Ten new ILO partnerships", "one campaign piloted": a number word states a
# target. "in the five regions" (1.3.1) does not: "the" points at a set that
# already exists, so a number word right after "the" is not a target.
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
NUMBER_WORD_RE = re.compile(rf"(?<!\bthe )\b({'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)


def stated_targets(text: str) -> list[int]:
    return [NUMBER_WORDS[word.lower()] for word in NUMBER_WORD_RE.findall(text)]


def target_problems(plan: Plan) -> list[str]:
    problems = []
    for deliverable in Deliverable.objects.filter(plan=plan):
        stated = stated_targets(deliverable.text)
        expected = stated[0] if len(stated) == 1 else None
        if len(stated) > 1:
            problems.append(f"deliverable {deliverable.code}: several number words {stated}, check by hand")
        if deliverable.target_value != expected:
            problems.append(
                f"deliverable {deliverable.code}: target {deliverable.target_value} "
                f"but the text states {expected}"
            )
        # The unit names what is counted, in the deliverable's own words.
        lowered = deliverable.text.lower()
        missing = [w for w in deliverable.target_unit.split() if w.lower() not in lowered]
        if missing:
            problems.append(f"deliverable {deliverable.code}: unit words {missing} not in the text")
    return problems


def link_problems(plan: Plan, doc: Document) -> list[str]:
    """P&B outputs, "all policy outcomes" and other references per action."""
    problems = []
    for action in ProposedAction.objects.filter(plan=plan).prefetch_related("pb_outputs"):
        expected = doc.actions.get(action.code) or DocAction(action.code, "")
        linked = {(o.biennium, o.code) for o in action.pb_outputs.all()}
        if linked != expected.pb_outputs:
            problems.append(
                f"action {action.code}: P&B outputs {sorted(linked)} "
                f"!= document {sorted(expected.pb_outputs)}"
            )
        if action.all_policy_outcomes != expected.all_policy_outcomes:
            problems.append(
                f"action {action.code}: all_policy_outcomes {action.all_policy_outcomes} "
                f"!= document {expected.all_policy_outcomes}"
            )
        if action.other_references != expected.other_references:
            problems.append(
                f"action {action.code}: other_references {action.other_references!r} "
                f"!= document {expected.other_references!r}"
            )
    return problems


def pb_output_problems(doc: Document) -> list[str]:
    problems = []
    in_db = {(o.biennium, o.code): o.title for o in PBOutput.objects.all()}
    if set(in_db) != set(doc.pb_titles):
        problems.append(f"P&B outputs {sorted(in_db)} != document {sorted(doc.pb_titles)}")
    for key, title in doc.pb_titles.items():
        if key in in_db and in_db[key] != title:
            problems.append(f"P&B {key[0]} output {key[1]}: {in_db[key]!r} != document {title!r}")
    return problems


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


@pytest.fixture
def plan(db) -> Plan:
    # The same as the shared conftest fixture, repeated so this file says what it checks.
    call_command("loaddata", "gb341_pol4", "offices", verbosity=0)
    return Plan.objects.get(symbol=SYMBOL)


def test_the_seed_document_is_there_and_parses_into_fifteen_actions_and_32_deliverables():
    doc = document()
    assert list(doc.focus_areas) == [1, 2, 3, 4]
    assert len(doc.actions) == 15
    assert doc.deliverable_count == 32


def test_the_normaliser_removes_footnote_markers_but_keeps_numbers_that_belong_to_the_text():
    assert (
        strip_footnote_markers("SSC BAPA+40 principles ¹⁸ to support") == "SSC BAPA+40 principles to support"
    )
    assert strip_footnote_markers("private sector ²³ , IFIs") == "private sector, IFIs"
    assert strip_footnote_markers("at country level. ¹⁹") == "at country level."
    assert (
        strip_footnote_markers("at country level.19 and frameworks21 that")
        == "at country level. and frameworks that"
    )
    kept = "COVID-19 and Beyond; output C.3: A/RES/73/291; actions 1.1, 1.2 and 1.3; P&B 2020–21"
    assert strip_footnote_markers(kept) == kept


def test_the_deliverable_split_by_a_page_break_reads_as_one_sentence():
    text = document().actions["2.2"].deliverables[1].text
    assert "Era of COVID-19 and Beyond, in particular the cluster on" in text
    assert "Beyond, in particular" in document().running_text


@pytest.mark.django_db
def test_the_plan_metadata_matches_the_cover_of_the_document(plan):
    doc = document()
    assert plan.title in doc.lines
    assert f"{plan.session}, {plan.place}, March 2021" in doc.lines
    cover_date = next(line for line in doc.lines if line.startswith("Date: "))
    assert datetime.strptime(cover_date.removeprefix("Date: "), "%d %B %Y").date() == plan.document_date
    assert plan.document_date == date(2021, 2, 16)
    assert f"Author unit: {plan.author_unit}." in doc.lines
    assert f"proposed in document {plan.symbol} and" in doc.running_text
    # The plan runs from the first to the last year of its deliverables,
    # ending with the Strategy ("2020–25"); the mid-term review is in 2023.
    assert plan.start_year == min(d.start_year for a in doc.actions.values() for d in a.deliverables)
    assert plan.end_year == max(d.end_year for a in doc.actions.values() for d in a.deliverables)
    assert plan.end_year == parse_years(re.search(r"Strategy (\d{4}–\d{2})", plan.title).group(1))[1]
    midterm = re.search(
        r"midterm review of the Strategy and the implementation plan [^.]*? in (\d{4})", doc.running_text
    )
    assert plan.midterm_year == int(midterm.group(1))


@pytest.mark.django_db
def test_the_focus_areas_have_the_numbers_and_titles_of_the_table_headings(plan):
    in_db = {fa.number: fa.title for fa in FocusArea.objects.filter(plan=plan)}
    assert in_db == document().focus_areas


@pytest.mark.django_db
def test_every_action_text_appears_verbatim_in_the_document(plan):
    assert ProposedAction.objects.filter(plan=plan).count() == 15
    assert [p for p in text_problems(plan, document()) if p.startswith("action")] == []


@pytest.mark.django_db
def test_every_deliverable_text_appears_verbatim_in_the_document(plan):
    assert [p for p in text_problems(plan, document()) if p.startswith("deliverable")] == []


@pytest.mark.django_db
def test_each_action_has_the_documents_deliverables_in_order_with_their_timelines(plan):
    assert Deliverable.objects.filter(plan=plan).count() == document().deliverable_count == 32
    assert structure_problems(plan, document()) == []


@pytest.mark.django_db
def test_codes_are_focus_area_dot_position_and_action_dot_position(plan):
    actions = ProposedAction.objects.filter(plan=plan).select_related("focus_area")
    for action in actions:
        assert action.code == f"{action.focus_area.number}.{action.position}" == action.expected_code()
        assert action.focus_area.plan_id == plan.pk
    for focus_area in FocusArea.objects.filter(plan=plan):
        positions = list(focus_area.actions.order_by("position").values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1)), focus_area
    for action in actions:
        deliverables = list(action.deliverables.order_by("position"))
        assert [d.position for d in deliverables] == list(range(1, len(deliverables) + 1)), action.code
        for deliverable in deliverables:
            assert deliverable.code == f"{action.code}.{deliverable.position}" == deliverable.expected_code()
            assert deliverable.plan_id == plan.pk


@pytest.mark.django_db
def test_every_number_word_in_a_deliverable_is_its_target(plan):
    assert target_problems(plan) == []
    with_targets = dict(
        Deliverable.objects.filter(plan=plan, target_value__isnull=False).values_list("code", "target_value")
    )
    assert with_targets == {"1.4.1": 10, "1.4.3": 20, "2.2.1": 3, "3.1.1": 2, "3.1.2": 1, "3.3.1": 4}


@pytest.mark.django_db
def test_each_action_links_the_pb_outputs_the_document_refers_it_to(plan):
    assert link_problems(plan, document()) == []
    # Spot checks that the parser read the lists as a person would.
    doc = document()
    assert doc.actions["1.1"].other_references == "GB.335/INS/9"
    assert ("2022–23", "B.1") in doc.actions["1.3"].pb_outputs
    assert doc.actions["3.2"].all_policy_outcomes == ["2020–21", "2022–23"]
    assert doc.actions["4.4"].pb_outputs == set()


@pytest.mark.django_db
def test_pb_output_codes_and_titles_match_the_document(plan):
    assert pb_output_problems(document()) == []
    assert PBOutput.objects.count() == 14
    assert PBOutput.objects.get(biennium="2020–21", code="C.3").title == "Effective development cooperation"


@pytest.mark.django_db
def test_the_five_ilo_regions_exist_with_their_names(plan):
    assert set(Region.objects.values_list("name", flat=True)) == {
        "Africa",
        "Americas",
        "Arab States",
        "Asia and the Pacific",
        "Europe and Central Asia",
    }


@pytest.mark.django_db
def test_each_region_has_a_regional_office_and_at_least_three_field_offices(plan):
    for region in Region.objects.all():
        field_offices = region.offices.exclude(kind=Office.Kind.HEADQUARTERS)
        assert field_offices.count() >= 3, region.name
        assert field_offices.filter(kind=Office.Kind.REGIONAL).count() == 1, region.name


@pytest.mark.django_db
def test_pardev_exists_as_a_headquarters_department_in_geneva(plan):
    pardev = Office.objects.get(code="PARDEV")
    assert pardev.kind == Office.Kind.HEADQUARTERS
    assert pardev.region is None
    assert pardev.city == "Geneva"
    assert pardev.name == plan.author_unit


# The checkers must be able to fail: break the data, expect a report.


@pytest.mark.django_db
def test_the_text_checker_reports_a_changed_dash_in_a_deliverable(plan):
    deliverable = Deliverable.objects.get(plan=plan, code="1.4.3")
    deliverable.text = deliverable.text.replace("ITC–ILO", "ITC-ILO")
    deliverable.save()
    assert any(p.startswith("deliverable 1.4.3:") for p in text_problems(plan, document()))


@pytest.mark.django_db
def test_the_text_checker_reports_deliverables_swapped_within_an_action(plan):
    first, second = Deliverable.objects.filter(plan=plan, action__code="4.4").order_by("position")
    first.text, second.text = second.text, first.text
    first.save()
    second.save()
    problems = text_problems(plan, document())
    assert any(p.startswith("deliverable 4.4.1:") for p in problems)
    assert any(p.startswith("deliverable 4.4.2:") for p in problems)


@pytest.mark.django_db
def test_the_structure_checker_reports_a_missing_deliverable_and_a_wrong_timeline(plan):
    Deliverable.objects.get(plan=plan, code="2.3.3").delete()
    Deliverable.objects.filter(plan=plan, code="1.1.1").update(end_year=2025)
    problems = structure_problems(plan, document())
    assert "action 2.3: 2 deliverables != document 3" in problems
    assert any(p.startswith("deliverable 1.1.1: 2021–2025") for p in problems)


@pytest.mark.django_db
def test_the_target_checker_reports_a_wrong_or_missing_target(plan):
    Deliverable.objects.filter(plan=plan, code="1.4.1").update(target_value=12)
    Deliverable.objects.filter(plan=plan, code="3.1.2").update(target_value=None, target_unit="")
    problems = target_problems(plan)
    assert any(p.startswith("deliverable 1.4.1: target 12") for p in problems)
    assert any(p.startswith("deliverable 3.1.2: target None") for p in problems)


@pytest.mark.django_db
def test_the_link_checker_reports_a_missing_pb_link_and_a_lost_reference(plan):
    action = ProposedAction.objects.get(plan=plan, code="3.2")
    action.pb_outputs.remove(PBOutput.objects.get(biennium="2020–21", code="C.3"))
    ProposedAction.objects.filter(plan=plan, code="1.2").update(other_references="")
    problems = link_problems(plan, document())
    assert any(p.startswith("action 3.2: P&B outputs") for p in problems)
    assert any(p.startswith("action 1.2: other_references") for p in problems)


@pytest.mark.django_db
def test_the_pb_output_checker_reports_a_changed_title(plan):
    PBOutput.objects.filter(biennium="2022–23", code="A.4").update(title="Enhanced partnerships")
    assert any(p.startswith("P&B 2022–23 output A.4:") for p in pb_output_problems(document()))
