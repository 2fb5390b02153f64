"""Files that went through a real spreadsheet program (LibreOffice Calc,
headless): exports opened and saved again, edited, templates filled in,
opened with a European locale or the wrong character set. They are made by
files/regenerate.sh from round_trip_data.py's history, which each test
builds first. The imports go through the pages, as a person's upload does."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deliverables.models import Deliverable, StatusUpdate
from examples.models import ProgressExample
from tests.factories import PASSWORD
from tests.spreadsheets.round_trip_data import round_trip_history

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def previews_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def hq(client, users):
    round_trip_history(users["hq"])
    client.login(username=users["hq"].username, password=PASSWORD)
    return client


def upload(client, name: str, url: str = "spreadsheets:import_status"):
    content = (FILES / name).read_bytes()
    return client.post(reverse(url), {"file": SimpleUploadedFile(name, content)})


def preview_page(client, name: str, url: str = "spreadsheets:import_status"):
    response = upload(client, name, url)
    assert response.status_code == 302, response.content.decode()[:3000]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return " ".join(client.get(response["Location"]).content.decode().split()), token


def error_page(client, name: str) -> str:
    response = upload(client, name)
    assert response.status_code == 400
    return " ".join(response.content.decode().replace("&quot;", '"').replace("&#x27;", "'").split())


def updates():
    return list(StatusUpdate.objects.order_by("pk").values_list("deliverable__code", "version"))


# Round trips that change nothing ------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "deliverables-resaved.xlsx",
        "deliverables-resaved-semicolon.csv",
        "deliverables-csv-resaved.csv",
        "progress-as-text.csv",
    ],
    ids=["xlsx resaved", "xlsx saved as CSV with ;", "CSV resaved", "progress typed 4.0"],
)
def test_an_export_opened_and_saved_by_a_spreadsheet_program_records_nothing(hq, name):
    before = updates()
    page, _token = preview_page(hq, name)
    assert "0 status updates will be recorded" in page
    assert "32 rows change nothing" in page
    assert 'name="token"' not in page
    assert updates() == before


def test_the_history_opened_and_saved_again_records_nothing(hq):
    page, _token = preview_page(hq, "history-resaved.csv")
    assert "0 status updates will be recorded" in page and "6 rows change nothing" in page


def test_a_real_apostrophe_and_a_formula_start_survive_the_round_trip(hq):
    """'-' is the narrative's own text: the CSV carries ''-' and gives it back."""
    content = (FILES / "history-resaved.csv").read_text(encoding="utf-8-sig")
    assert "\"''-' marks the regions" in content
    assert "\"'-5% budget; =see annex" in content


@pytest.mark.parametrize("name", ["deliverables-edited.xlsx", "deliverables-edited-semicolon.csv"])
def test_editing_two_rows_records_exactly_two_updates(hq, name):
    page, token = preview_page(hq, name)
    assert "2 status updates will be recorded" in page and "30 rows change nothing" in page
    response = hq.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert response.status_code == 302
    d141 = Deliverable.objects.get(code="1.4.1")
    d143 = Deliverable.objects.get(code="1.4.3")
    assert (d141.progress_value, d141.status, d143.status) == (6, "at_risk", "achieved")
    assert StatusUpdate.objects.filter(as_of=datetime.date(2024, 1, 31)).count() == 2
    messages = [str(m) for m in hq.get(reverse("deliverables:list")).context["messages"]]
    assert messages == ["2 status updates recorded; 30 unchanged rows skipped."]


# Files a spreadsheet program got wrong: the message says what and how to fix -------------


def test_codes_turned_into_dates_by_a_german_locale_are_named_with_the_fix(hq):
    page = error_page(hq, "codes-as-dates-de.csv")
    assert "There is no deliverable" not in page
    assert "A2" in page and "“01/01/01” is a date, not a code" in page
    assert "Format the deliverable_code column as Text" in page and ".xlsx" in page


def test_a_utf8_csv_opened_as_windows_1252_says_to_choose_utf8(hq):
    page = error_page(hq, "opened-as-windows-1252.csv")
    assert "unknown columns" not in page
    assert "opened as Windows-1252" in page and "choosing UTF-8" in page


def test_a_local_date_names_its_cell_the_value_and_the_iso_form_and_a_midnight_is_a_date(hq):
    page = error_page(hq, "template-dates.csv")
    assert "template-dates.csv has 1 error; correct it" in page
    assert "F3" in page
    assert "“12/31/2022” is not written YYYY-MM-DD: write 2022-12-31, or upload the .xlsx" in page
    assert "F4" not in page  # 2022-12-31 00:00:00 is read as the date


# Templates filled in -----------------------------------------------------------------------


def test_a_filled_template_is_read_from_its_data_sheet_and_flags_hidden_and_back_dated_rows(hq):
    page, token = preview_page(hq, "template-filled.xlsx")
    assert "Sheet read: “statuses”" in page
    assert "Row 2 is the template's example, left as it was: it is skipped." in page
    assert "Column ignored (the import does not read it): comments." in page
    assert "Row 4 is hidden in the workbook" in page
    assert "1 row is dated before its deliverable's current status" in page
    assert "3 status updates will be recorded" in page
    before = updates()
    response = hq.post(
        reverse("spreadsheets:import_status_confirm"),
        {"token": token, "skip_hidden": "on", "skip_back_dated": "on"},
    )
    assert response.status_code == 302
    assert updates()[len(before) :] == [("2.2.1", 1)]
    messages = [str(m) for m in hq.get(reverse("deliverables:list")).context["messages"]]
    assert messages == ["1 status update recorded; 0 unchanged rows skipped."]


def test_a_filled_template_records_its_hidden_and_back_dated_rows_when_asked(hq):
    _page, token = preview_page(hq, "template-filled.xlsx")
    before = updates()
    hq.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert sorted(updates()[len(before) :]) == [("1.4.1", 3), ("2.2.1", 1), ("3.3.1", 1)]
    assert Deliverable.objects.get(code="1.4.1").status == "at_risk"  # the back-dated row stays in the past


def test_importing_the_same_examples_twice_creates_them_once(hq):
    url = "spreadsheets:import_examples"
    confirm = reverse("spreadsheets:import_examples_confirm")
    page, token = preview_page(hq, "examples-filled.xlsx", url)
    assert "2 progress examples will be created" in page and "Sheet read: “examples”" in page
    hq.post(confirm, {"token": token})
    assert ProgressExample.objects.count() == 2

    page, token = preview_page(hq, "examples-filled.xlsx", url)
    assert "0 progress examples will be created" in page
    assert "2 duplicates, not created" in page and "Skills for youth" in page
    hq.post(confirm, {"token": token})
    assert ProgressExample.objects.count() == 2

    _page, token = preview_page(hq, "examples-filled.xlsx", url)
    hq.post(confirm, {"token": token, "create_duplicates": "on"})
    assert ProgressExample.objects.count() == 4


# Files made for people ----------------------------------------------------------------------


def workbook(client, name: str, **params) -> openpyxl.Workbook:
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_xlsx_export_has_a_bold_frozen_filtered_header_widths_dates_and_numbers(hq):
    sheet = workbook(hq, "spreadsheets:export_deliverables", format="xlsx").worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last_column}{sheet.max_row}"
    widths = {name: sheet.column_dimensions[chr(65 + i)].width for i, name in enumerate(header)}
    assert widths["as_of"] >= 12 and widths["recorded_at"] >= 19 and widths["text"] == 60
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "1.4.1")
    cells = dict(zip(header, row, strict=True))
    assert cells["as_of"].is_date and cells["as_of"].number_format == "yyyy-mm-dd"
    assert cells["as_of"].value == datetime.datetime(2022, 6, 1)
    assert cells["progress"].data_type == "n" and cells["target"].value == 10
    assert cells["text"].alignment.wrap_text
    assert cells["narrative"].value == "-5% budget; =see annex\r\nsecond line"  # no apostrophe, a string
    assert cells["narrative"].data_type == "s"


def test_the_templates_offer_lists_of_statuses_and_yes_no_after_an_instructions_sheet(hq):
    book = workbook(hq, "spreadsheets:import_template", format="xlsx")
    assert book.sheetnames == ["Instructions", "statuses"]
    (validation,) = book["statuses"].data_validations.dataValidation
    assert validation.formula1 == '"not_started,on_track,at_risk,delayed,achieved,discontinued"'
    assert str(validation.sqref) == "B2:B502"
    book = workbook(hq, "spreadsheets:import_examples_template", format="xlsx")
    lists = {str(v.sqref): v.formula1 for v in book["examples"].data_validations.dataValidation}
    assert lists["H2:H502"] == '"yes,no"' and len(lists) == 5


def test_an_unknown_column_is_ignored_and_named_in_the_preview(hq):
    content = (
        b"deliverable_code,status,progress,narrative,evidence_links,as_of,colour\n"
        b"2.2.1,on_track,1,,,2023-01-02,blue\n"
    )
    response = hq.post(reverse("spreadsheets:import_status"), {"file": SimpleUploadedFile("s.csv", content)})
    assert response.status_code == 302
    page = " ".join(hq.get(response["Location"]).content.decode().split())
    assert "Column ignored (the import does not read it): colour." in page
    assert "1 status update will be recorded" in page
