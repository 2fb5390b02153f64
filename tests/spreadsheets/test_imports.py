"""The bulk status import: bad files are refused with a clear message and
nothing written; a clean file is previewed, then applied in one transaction
through the same code path as the single update form, or not at all."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables import services
from deliverables.models import Deliverable, Status, StatusUpdate
from spreadsheets import examples_import, previews, reading, status_import
from tests.factories import PASSWORD, grow_plan, record
from tests.spreadsheets.spreadsheet_data import (
    HEADER,
    csv_bytes,
    csv_upload,
    read_csv,
    read_xlsx,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def previews_in_tmp(settings, tmp_path):
    """Previews are kept under VAR_DIR: a temporary one here."""
    settings.VAR_DIR = tmp_path


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def snapshot():
    """Everything an import could change."""
    return (
        StatusUpdate.objects.count(),
        list(
            Deliverable.objects.order_by("pk").values_list(
                "pk", "status", "progress_value", "last_update", "version"
            )
        ),
    )


def preview_of(plan, rows, **kwargs):
    return status_import.status_preview(reading.read_table(csv_upload([HEADER, *rows], **kwargs)), plan=plan)


def many_rows(count: int) -> list[list[object]]:
    """`count` valid rows: every deliverable, month after month, on track."""
    codes = list(Deliverable.objects.in_code_order().values_list("code", "target_value"))
    rows = []
    for n in range(count):
        code, target = codes[n % len(codes)]
        month = n // len(codes)
        as_of = datetime.date(2021 + month // 12, month % 12 + 1, 15)
        rows.append([code, "on_track", month if target else "", f"Step {month}", "", as_of.isoformat()])
    return rows


# Files that are not what they should be ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("statuses.csv", b"", "The file is empty (0 bytes)."),
        ("statuses.csv", b"\n\n  \n", "The file is empty"),
        ("statuses.csv", "\ufeff".encode(), "The file is empty"),
        ("statuses.csv", b",,,\n,,\n", "The file is empty"),
        ("statuses.csv", (",".join(HEADER) + "\n").encode(), "has a header row but no data rows"),
        ("statuses.xlsx", PNG, "named .xlsx but is not an Excel workbook"),
        ("statuses.csv", PNG, "not a spreadsheet"),
        ("statuses.pdf", b"%PDF-1.4 hello", "not a spreadsheet"),
        ("statuses.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls) file"),
        ("statuses.csv", "a,b\n1,2\n".encode("utf-16"), "UTF-16"),
        ("statuses.csv", b"deliverable_code\n\x81\x8d\xc3\x28\n", "neither UTF-8 nor Windows-1252"),
        ("statuses.xlsx", b"PK\x03\x04 not really a zip", "damaged"),
    ],
    ids=[
        "0 bytes",
        "blank lines",
        "only a BOM",
        "empty cells",
        "header only",
        "PNG renamed .xlsx",
        "PNG renamed .csv",
        "PDF",
        "old .xls",
        "UTF-16",
        "unknown encoding",
        "broken zip",
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(plan, name, content, message):
    with pytest.raises(reading.FileRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        reading.read_table(SimpleUploadedFile(name, content))


def test_a_zip_that_is_not_a_workbook_is_refused(plan):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(reading.FileRefused, match="not an Excel workbook"):
        reading.read_table(SimpleUploadedFile("statuses.xlsx", buffer.getvalue()))


def test_a_workbook_that_unpacks_to_too_much_is_refused(plan, monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    upload = xlsx_upload([HEADER, *many_rows(50)])
    with pytest.raises(reading.FileRefused, match="too large once unpacked"):
        reading.read_table(upload)


def test_a_workbook_packed_over_a_hundred_to_one_is_refused_and_a_normal_one_is_read(plan):
    # A cell holds at most 32,767 characters: many rows of one repeated letter pack about 500:1.
    padded = xlsx_upload([HEADER, *[["1.1.1", "on_track", "", "x" * 30_000, "", "2022-06-30"]] * 100])
    with pytest.raises(reading.FileRefused, match="too large once unpacked"):
        reading.read_table(padded)
    assert len(reading.read_table(xlsx_upload([HEADER, *many_rows(50)])).rows) == 50


def test_a_file_over_5_mb_is_refused_before_it_is_read(plan):
    content = (",".join(HEADER) + "\n").encode() + b"x" * (5 * 1024 * 1024)
    with pytest.raises(reading.FileRefused, match="larger than 5 MB"):
        reading.read_table(SimpleUploadedFile("statuses.csv", content))


def test_too_many_rows_are_refused(plan, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    with pytest.raises(reading.FileRefused, match="11 data rows; at most 10"):
        reading.read_table(csv_upload([HEADER, *many_rows(11)]))


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (["deliverable_code", "status", "progress", "narrative", "evidence_links"], "missing columns: as_of"),
        (
            ["code", "status", "progress", "narrative", "evidence_links", "as_of"],
            "missing columns: deliverable_code; columns not recognised: code",
        ),
        ([*HEADER, "status"], "repeated columns: status"),
        (["1.4.1", "on_track", "3", "", "", "2022-01-01"], "missing columns"),
    ],
    ids=["missing", "misspelt", "repeated", "no header row"],
)
def test_wrong_or_missing_headers_are_refused(plan, headers, message):
    table = reading.read_table(csv_upload([headers, ["1.4.1", "on_track", "3", "", "", "2022-01-01"]]))
    with pytest.raises(reading.FileRefused, match=message):
        status_import.status_preview(table, plan=plan)


def test_headers_are_read_in_any_case_order_and_spacing(plan):
    headers = ["As of", "Deliverable Code", "STATUS", "progress", "Narrative", "evidence-links"]
    table = reading.read_table(csv_upload([headers, ["2022-01-01", "1.4.1", "on_track", "3", "", ""]]))
    preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == []
    assert [(row.code, row.new_status, row.new_progress) for row in preview.rows] == [
        ("1.4.1", "on_track", 3)
    ]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8-sig", b""), ("cp1252", b"")],
    ids=["UTF-8", "UTF-8 with BOM", "Windows-1252"],
)
def test_utf8_with_or_without_bom_and_windows_1252_all_read_the_same(plan, encoding, prefix):
    narrative = "Coopération Sud–Sud: “déjà” 5 € — señal"
    content = csv_bytes([HEADER, ["1.4.1", "at_risk", "2", narrative, "", "2022-03-01"]], encoding=encoding)
    table = reading.read_table(SimpleUploadedFile("statuses.csv", prefix + content))
    assert table.encoding == ("Windows-1252" if encoding == "cp1252" else "UTF-8")
    preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == []
    assert preview.rows[0].narrative == narrative


def test_semicolon_separated_csv_from_a_french_excel_is_read(plan):
    preview = preview_of(plan, [["1.4.1", "on_track", "3", "", "", "2022-01-01"]], delimiter=";")
    assert preview.errors == []
    assert preview.rows[0].new_progress == 3


def test_an_xlsx_reads_like_the_same_csv_dates_and_numbers_included(plan):
    rows = [
        [
            "1.4.1",
            "On track",
            3,
            "Going well",
            "https://example.org/a https://example.org/b",
            datetime.datetime(2022, 1, 1),
        ],
        ["1.4.3", "at_risk", 4.0, "Slower", None, datetime.date(2022, 2, 1)],
    ]
    preview = status_import.status_preview(reading.read_table(xlsx_upload([HEADER, *rows])), plan=plan)
    assert preview.errors == []
    assert [(r.code, r.as_of, r.new_status, r.new_progress) for r in preview.rows] == [
        ("1.4.1", "2022-01-01", "on_track", 3),
        ("1.4.3", "2022-02-01", "at_risk", 4),
    ]
    assert preview.rows[0].data.evidence_links == ("https://example.org/a", "https://example.org/b")


def test_blank_rows_are_ignored_and_rows_keep_their_spreadsheet_numbers(plan):
    rows = [
        ["1.4.1", "on_track", "3", "", "", "2022-01-01"],
        [],
        ["1.4.3", "bogus", "", "", "", "2022-01-01"],
    ]
    preview = preview_of(plan, rows)
    assert [(e.row, e.column) for e in preview.errors] == [(4, "status")]


# Rows that are not what they should be ------------------------------------------------

FUTURE = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["9.9.9", "on_track", "", "", "", "2022-01-01"],
            "deliverable_code",
            "There is no deliverable 9.9.9",
        ),
        (["", "on_track", "", "", "", "2022-01-01"], "deliverable_code", "The deliverable code is missing"),
        (
            ["1.4.1", "finished", "3", "", "", "2022-01-01"],
            "status",
            "“finished” is not one of the choices. Choose one of:",
        ),
        (["1.4.1", "", "3", "", "", "2022-01-01"], "status", "This field is required"),
        (
            ["1.4.1", "on_track", "-1", "", "", "2022-01-01"],
            "progress",
            "Give a whole number from 0 to 1,000,000.",
        ),
        (["1.4.1", "on_track", "three", "", "", "2022-01-01"], "progress", "Give a whole number, such as 7."),
        (["1.4.1", "on_track", "2.5", "", "", "2022-01-01"], "progress", "Give a whole number, such as 7."),
        (
            ["1.4.1", "on_track", "1e1000000", "", "", "2022-01-01"],
            "progress",
            "Give a whole number, such as 7.",
        ),
        (
            ["1.4.1", "on_track", "9" * 30, "", "", "2022-01-01"],
            "progress",
            "Give a whole number from 0 to 1,000,000.",
        ),
        (["1.1.1", "on_track", "3", "", "", "2022-01-01"], "", "no numeric target"),
        (["1.4.1", "on_track", "3", "", "", FUTURE], "as_of", "cannot be in the future"),
        (
            ["1.4.1", "on_track", "3", "", "", "30/06/2022"],
            "as_of",
            "“30/06/2022” is not written YYYY-MM-DD: write 2022-06-30, or upload the .xlsx",
        ),
        (
            ["1.4.1", "on_track", "3", "", "", "2022-02-30"],
            "as_of",
            "“2022-02-30” is not a day of the calendar",
        ),
        (["1.4.1", "on_track", "3", "", "", ""], "as_of", "This field is required"),
        (["1.4.1", "on_track", "3", "", "", "2019-12-31"], "as_of", "before the plan starts"),
        (["1.4.1", "at_risk", "3", "", "", "2022-01-01"], "narrative", "Explain this change"),
        (["1.4.1", "on_track", "3", "x" * 5001, "", "2022-01-01"], "narrative", "at most 5000 characters"),
        (
            ["1.4.1", "on_track", "3", "", "javascript:alert(1)", "2022-01-01"],
            "evidence_links",
            "is not a valid web address",
        ),
    ],
    ids=[
        "unknown code",
        "no code",
        "unknown status",
        "no status",
        "negative progress",
        "non-numeric progress",
        "decimal progress",
        "1e1000000",
        "huge progress",
        "progress without target",
        "future date",
        "wrong date format",
        "impossible date",
        "no date",
        "before the plan",
        "narrative required",
        "narrative too long",
        "bad link",
    ],
)
def test_a_bad_row_is_reported_with_its_row_number_and_column(plan, row, column, message):
    rows = [["1.4.3", "on_track", "1", "", "", "2022-01-01"], row]
    preview = preview_of(plan, rows)
    assert [(e.row, e.column) for e in preview.errors] == [(3, column)]
    assert message in preview.errors[0].message


def test_1e1000000_in_a_workbook_cell_is_refused(plan):
    for value in ["1e1000000", 1e300, -1e-300]:
        upload = xlsx_upload([HEADER, ["1.4.1", "on_track", value, "", "", "2022-01-01"]])
        preview = status_import.status_preview(reading.read_table(upload), plan=plan)
        assert [(e.row, e.column) for e in preview.errors] == [(2, "progress")], value


def test_duplicate_rows_for_the_same_deliverable_and_date_are_both_refused(plan):
    rows = [
        ["1.4.1", "on_track", "3", "", "", "2022-01-01"],
        ["1.4.3", "on_track", "3", "", "", "2022-01-01"],
        ["1.4.1", "on_track", "4", "", "", "2022-01-01"],
    ]
    preview = preview_of(plan, rows)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "as_of"), (4, "as_of")]
    assert "rows 2, 4" in preview.errors[0].message


def test_a_value_under_a_column_without_header_is_an_error_naming_its_cell(plan):
    rows = [["1.4.1", "on_track", "3", "", "", "2022-01-01", "stray"]]
    preview = preview_of(plan, rows)
    assert [(e.cell, e.row, e.column) for e in preview.errors] == [("G2", 2, "column G")]
    assert "“stray”" in preview.errors[0].message


def test_status_is_read_from_its_value_or_label_in_any_case(plan):
    rows = [
        ["1.4.1", "ON TRACK", "3", "", "", "2022-01-01"],
        ["1.4.3", "not-started", "", "", "", "2022-01-01"],
        ["2.2.1", "Achieved", "3", "", "", "2022-01-01"],
    ]
    preview = preview_of(plan, rows)
    assert preview.errors == []
    assert [row.new_status for row in preview.rows if not row.skipped] == ["on_track", "achieved"]


def test_a_formula_quoted_by_our_export_is_read_back_unquoted(plan):
    preview = preview_of(plan, [["1.4.1", "at_risk", "3", "'=1+1 is not a formula", "", "2022-01-01"]])
    assert preview.rows[0].narrative == "=1+1 is not a formula"


def test_the_preview_writes_nothing_and_does_not_run_a_query_per_row(plan, users):
    grow_plan(plan, users["hq"], factor=20, updates_per_deliverable=2)
    before = snapshot()

    def queries_for(count):
        rows = many_rows(count)
        rows[0][5] = "2021-01-02"  # back-dated: its deliverable's history is read too
        table = reading.read_table(csv_upload([HEADER, *rows]))
        with CaptureQueriesContext(connection) as queries:
            preview = status_import.status_preview(table, plan=plan)
        assert preview.errors == [], preview.errors[:3]
        assert preview.rows[0].back_dated
        return len(queries)

    assert queries_for(10) == queries_for(600) == 2
    assert snapshot() == before


# Applying ------------------------------------------------------------------------------


def test_a_500_row_file_whose_last_row_is_bad_writes_nothing(client, plan, users):
    rows = many_rows(499) + [["1.4.1", "finished", "1", "", "", "2022-01-01"]]
    before = snapshot()
    response = login(client, users["hq"]).post(
        reverse("spreadsheets:import_status"), {"file": csv_upload([HEADER, *rows])}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page
    assert "501" in page and "“finished” is not one of the choices" in page
    assert snapshot() == before
    # And the apply step itself refuses the whole file.
    table = reading.read_table(csv_upload([HEADER, *rows]))
    with pytest.raises(reading.ImportRefused):
        status_import.status_import_apply(table=table, plan=plan, user=users["hq"], versions={})
    assert snapshot() == before


def test_a_failure_after_writing_500_rows_rolls_back_all_of_them(plan, users, monkeypatch):
    table = reading.read_table(csv_upload([HEADER, *many_rows(500)]))
    preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == [] and len(preview.changes) == 500
    before = snapshot()
    real = services.status_updates_record
    written = []

    def failing_after_writing(**kwargs):
        written.extend(real(**kwargs))
        raise RuntimeError("disk full")

    monkeypatch.setattr(status_import, "status_updates_record", failing_after_writing)
    with pytest.raises(RuntimeError):
        status_import.status_import_apply(table=table, plan=plan, user=users["hq"], versions=preview.versions)
    assert len(written) == 500
    assert snapshot() == before


def upload_and_preview(client, rows, *, workbook=False):
    upload = xlsx_upload([HEADER, *rows]) if workbook else csv_upload([HEADER, *rows])
    response = client.post(reverse("spreadsheets:import_status"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return client.get(response["Location"]), token


def test_upload_preview_and_confirm_record_every_row_as_the_update_form_would(client, users):
    hq = users["hq"]
    record(
        Deliverable.objects.get(code="1.4.1"),
        hq,
        Status.ON_TRACK,
        as_of=datetime.date(2022, 1, 1),
        progress=2,
    )
    rows = [
        ["1.4.1", "at_risk", "3", "Funding is late", "https://example.org/report", "2022-06-30"],
        ["2.3.1", "achieved", "", "Published", "", "2023-01-15"],
    ]
    preview, token = upload_and_preview(login(client, hq), rows)
    page = " ".join(preview.content.decode().split())
    assert "2 status updates will be recorded" in page
    assert 'On track</span> → <span class="badge status-at_risk">At risk' in page
    assert "2 → 3" in page
    assert "Read as UTF-8 text" in page
    assert StatusUpdate.objects.count() == 1  # the preview wrote nothing

    response = client.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("deliverables:list")
    d = Deliverable.objects.select_related("last_update").get(code="1.4.1")
    assert (d.status, d.progress_value, d.version) == ("at_risk", 3, 2)
    assert d.last_update.narrative == "Funding is late"
    assert d.last_update.evidence_links == ["https://example.org/report"]
    assert d.last_update.author == hq
    assert d.last_update.as_of == datetime.date(2022, 6, 30)
    assert list(d.updates.order_by("version").values_list("status", flat=True)) == ["on_track", "at_risk"]
    assert Deliverable.objects.get(code="2.3.1").status == "achieved"
    messages = [str(m) for m in client.get(reverse("deliverables:list")).context["messages"]]
    assert "2 status updates recorded; 0 unchanged rows skipped." in messages
    # The preview is spent.
    again = client.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert again["Location"] == reverse("spreadsheets:import_status")
    assert StatusUpdate.objects.count() == 3


def test_the_confirm_is_refused_when_a_deliverable_changed_after_the_preview(client, users):
    rows = [["1.4.1", "on_track", "3", "", "", "2022-06-30"], ["2.3.1", "achieved", "", "", "", "2023-01-15"]]
    _preview, token = upload_and_preview(login(client, users["hq"]), rows)
    record(
        Deliverable.objects.get(code="2.3.1"),
        users["superuser"],
        Status.DELAYED,
        as_of=datetime.date(2023, 2, 1),
        narrative="Someone else",
    )
    before = snapshot()
    response = client.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was imported: some deliverables changed after your preview." in page
    assert "2.3.1" in page
    assert snapshot() == before


def test_a_stale_version_caught_by_the_service_also_refuses_everything(plan, users, monkeypatch):
    table = reading.read_table(
        csv_upload(
            [
                HEADER,
                ["1.4.1", "on_track", "3", "", "", "2022-06-30"],
                ["2.3.1", "achieved", "", "", "", "2023-01-15"],
            ]
        )
    )
    versions = status_import.status_preview(table, plan=plan).versions
    real = status_import.status_updates_record

    def someone_else_first(**kwargs):
        # A writer slips in after the version check.
        record(Deliverable.objects.get(code="2.3.1"), users["superuser"], Status.ON_TRACK)
        return real(**kwargs)

    monkeypatch.setattr(status_import, "status_updates_record", someone_else_first)
    before = snapshot()
    with pytest.raises(services.StaleVersion):
        status_import.status_import_apply(table=table, plan=plan, user=users["hq"], versions=versions)
    assert snapshot() == before


def test_a_preview_belongs_to_the_user_who_uploaded_it(client, users):
    from tests.factories import make_user

    _preview, token = upload_and_preview(
        login(client, users["hq"]), [["1.4.1", "on_track", "3", "", "", "2022-06-30"]]
    )
    other = make_user("hq2", role="hq", office="PARDEV")
    client.logout()
    login(client, other)
    assert client.get(reverse("spreadsheets:import_status_preview", args=[token])).status_code == 404
    response = client.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert response["Location"] == reverse("spreadsheets:import_status")
    assert StatusUpdate.objects.count() == 0


def test_an_expired_or_forged_preview_is_refused(client, users, monkeypatch):
    _preview, token = upload_and_preview(
        login(client, users["hq"]), [["1.4.1", "on_track", "3", "", "", "2022-06-30"]]
    )
    for forged in ["../../etc/passwd", "x" * 32, ""]:
        response = client.post(reverse("spreadsheets:import_status_confirm"), {"token": forged})
        assert response["Location"] == reverse("spreadsheets:import_status")
    monkeypatch.setattr(previews, "PREVIEW_MAX_AGE", -1)
    response = client.post(reverse("spreadsheets:import_status_confirm"), {"token": token})
    assert response["Location"] == reverse("spreadsheets:import_status")
    assert StatusUpdate.objects.count() == 0


def test_rows_of_one_deliverable_apply_in_date_order_and_a_back_dated_row_keeps_the_current_status(
    plan, users
):
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.ON_TRACK,
        as_of=datetime.date(2023, 1, 1),
        progress=5,
    )
    rows = [
        ["1.4.1", "achieved", "10", "Done", "", "2024-01-01"],
        ["1.4.1", "on_track", "7", "", "", "2023-06-01"],
        ["1.4.1", "on_track", "1", "Early days", "", "2021-06-01"],
    ]
    table = reading.read_table(csv_upload([HEADER, *rows]))
    preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == []
    assert [(r.row, r.back_dated) for r in preview.rows] == [(2, False), (3, False), (4, True)]
    status_import.status_import_apply(table=table, plan=plan, user=users["hq"], versions=preview.versions)
    d = Deliverable.objects.get(code="1.4.1")
    assert (d.status, d.progress_value, d.version) == ("achieved", 10, 4)
    assert list(d.updates.order_by("as_of").values_list("as_of", "progress_value")) == [
        (datetime.date(2021, 6, 1), 1),
        (datetime.date(2023, 1, 1), 5),
        (datetime.date(2023, 6, 1), 7),
        (datetime.date(2024, 1, 1), 10),
    ]


# Round trip -----------------------------------------------------------------------------


def some_history(users):
    hq = users["hq"]
    record(
        Deliverable.objects.get(code="1.4.1"),
        hq,
        Status.ON_TRACK,
        as_of=datetime.date(2021, 6, 1),
        progress=1,
    )
    record(
        Deliverable.objects.get(code="1.4.1"),
        hq,
        Status.AT_RISK,
        as_of=datetime.date(2022, 6, 1),
        progress=4,
        narrative="-5% budget; =see annex\nsecond line",
    )
    record(
        Deliverable.objects.get(code="2.3.1"),
        hq,
        Status.ACHIEVED,
        as_of=datetime.date(2023, 3, 1),
        narrative="@ILO: done",
    )
    d = Deliverable.objects.get(code="3.1.1")
    d.refresh_from_db()
    services.status_update_record(
        deliverable=d,
        user=hq,
        seen_version=d.version,
        data=services.StatusInput(
            status=Status.ON_TRACK,
            as_of=datetime.date(2022, 1, 1),
            progress_value=1,
            narrative="+1 this quarter",
            evidence_links=("https://example.org/x", "https://example.org/y"),
        ),
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exporting_the_statuses_and_importing_the_same_file_records_nothing(client, users, file_format):
    some_history(users)
    login(client, users["hq"])
    exported = client.get(reverse("spreadsheets:export_deliverables"), {"format": file_format}).content
    before = snapshot()
    upload = SimpleUploadedFile(f"export.{file_format}", exported)
    response = client.post(reverse("spreadsheets:import_status"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "0 status updates will be recorded" in page
    assert "32 rows change nothing" in page
    assert "Record 0" not in page and 'name="token"' not in page  # nothing to confirm
    assert snapshot() == before


def test_importing_the_history_export_records_nothing(plan, client, users):
    some_history(users)
    exported = login(client, users["manager"]).get(reverse("spreadsheets:export_history"), {"format": "csv"})
    rows = read_csv(exported.content)
    assert len(rows) == 1 + 4
    table = reading.read_table(SimpleUploadedFile("history.csv", exported.content))
    preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == []
    assert len(preview.skipped) == 4 and preview.changes == []


def test_an_edited_export_records_only_the_edited_rows(plan, client, users):
    some_history(users)
    exported = login(client, users["hq"]).get(reverse("spreadsheets:export_deliverables"), {"format": "xlsx"})
    rows = read_xlsx(exported.content)
    header = rows[0]
    edited = next(row for row in rows if row[0] == "1.4.3")
    edited[header.index("status")] = "on_track"
    edited[header.index("progress")] = 6
    edited[header.index("as_of")] = "2024-02-01"
    table = reading.read_table(xlsx_upload(rows))
    preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == []
    assert [(r.code, r.old_status, r.new_status) for r in preview.changes] == [
        ("1.4.3", "not_started", "on_track")
    ]
    result = status_import.status_import_apply(
        table=table, plan=plan, user=users["hq"], versions=preview.versions, units=preview.units
    )
    assert (result.created, result.skipped, result.units_changed) == (1, 31, 0)


# Template, pages and permissions -------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_has_the_import_headers_and_an_example_row_that_imports_nothing(
    client, plan, users, file_format
):
    response = login(client, users["hq"]).get(
        reverse("spreadsheets:import_template"), {"format": file_format}
    )
    assert response.status_code == 200
    assert f'filename="dcplan-status-import.{file_format}"' in response["Content-Disposition"]
    table = reading.read_table(SimpleUploadedFile(f"t.{file_format}", response.content), HEADER)
    assert table.headers == [*HEADER, "lead_unit", "contributing_units"]
    assert [row.cells[:2] for row in table.rows] == [["1.4.1", "on_track"]]
    preview = status_import.status_preview(table, plan=plan)
    assert (preview.errors, preview.rows, preview.example_rows) == ([], [], [2])


def test_the_upload_page_explains_the_columns_and_links_the_template(client, users):
    page = login(client, users["hq"]).get(reverse("spreadsheets:import_status")).content.decode()
    for column in HEADER:
        assert column in page
    assert reverse("spreadsheets:import_template") in page
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_file">' in page


def test_the_nav_shows_import_statuses_to_headquarters_only(client, users):
    page = login(client, users["hq"]).get(reverse("deliverables:list")).content.decode()
    assert "Import statuses" in page
    client.logout()
    page = login(client, users["manager"]).get(reverse("deliverables:list")).content.decode()
    assert "Import statuses" not in page


# Who may import: tests/dcplan/test_access_matrix.py.


# Progress examples ----------------------------------------------------------------------

EXAMPLE_HEADER = list(examples_import.EXAMPLE_IMPORT_COLUMNS)


def example_row(**changes) -> list[str]:
    values = {
        "office_code": "CO-ABUJA",
        "title": "Social dialogue on the minimum wage",
        "countries": "NG; GH",
        "started_on": "2022-03-01",
        "ended_on": "2022-09-30",
        "what_was_done": "Three tripartite meetings.",
        "results": "A minimum wage agreement.",
        "government": "yes",
        "employers": "yes",
        "workers": "no",
        "partners": "ITC-ILO",
        "south_south": "no",
        "deliverable_codes": "1.1.1; 2.3.1",
        "may_be_cited": "yes",
    }
    values.update(changes)
    return [values[column] for column in EXAMPLE_HEADER]


def test_headquarters_imports_examples_as_submitted_for_the_named_office(client, users):
    from examples.models import ProgressExample

    hq = users["hq"]
    rows = [
        example_row(),
        example_row(
            office_code="co-dhaka",
            title="Skills for youth",
            countries="BD",
            deliverable_codes="3.1.1",
            ended_on="",
            south_south="TRUE",
        ),
    ]
    login(client, hq)
    response = client.post(
        reverse("spreadsheets:import_examples"), {"file": xlsx_upload([EXAMPLE_HEADER, *rows])}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"]).content.decode()
    assert "2 progress examples will be created and submitted for review" in page
    assert ProgressExample.objects.count() == 0
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("spreadsheets:import_examples_confirm"), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("examples:queue")

    abuja = ProgressExample.objects.get(office__code="CO-ABUJA")
    assert abuja.state == ProgressExample.State.SUBMITTED and abuja.submitted_at is not None
    assert sorted(c.code for c in abuja.countries) == ["GH", "NG"]
    assert sorted(abuja.deliverables.values_list("code", flat=True)) == ["1.1.1", "2.3.1"]
    assert (abuja.involves_government, abuja.involves_workers, abuja.may_be_cited) == (True, False, True)
    assert abuja.created_by == hq
    assert [(t.from_state, t.to_state, t.actor) for t in abuja.transitions.all()] == [
        ("", "draft", hq),
        ("draft", "submitted", hq),
    ]
    assert "Imported from a spreadsheet" in abuja.transitions.last().comment
    dhaka = ProgressExample.objects.get(office__code="CO-DHAKA")
    assert (dhaka.title, dhaka.ended_on, dhaka.south_south) == ("Skills for youth", None, True)


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"office_code": "CO-NOWHERE"}, "office_code", "There is no office"),
        ({"office_code": "PARDEV"}, "office_code", "That is not one of the choices"),
        ({"countries": "XX"}, "countries", "“XX” is not one of the choices"),
        ({"countries": ""}, "countries", "at least one country"),
        ({"deliverable_codes": "1.1.1; 9.9.9"}, "deliverable_codes", "Unknown deliverable codes: 9.9.9"),
        ({"deliverable_codes": ""}, "deliverable_codes", "at least one deliverable"),
        ({"government": "no", "employers": "no"}, "government", "the constituents involved"),
        ({"workers": "maybe"}, "workers", "“maybe”: write yes or no"),
        ({"started_on": "01/03/2022"}, "started_on", "could be 2022-03-01 or 2022-01-03"),
        ({"started_on": FUTURE, "ended_on": ""}, "started_on", "cannot be in the future"),
        ({"ended_on": "2022-01-01"}, "ended_on", "cannot be before its start"),
        ({"title": ""}, "title", "a title"),
        ({"results": "x" * 5001}, "results", "at most 5000 characters"),
    ],
    ids=[
        "unknown office",
        "headquarters office",
        "unknown country",
        "no country",
        "unknown deliverable",
        "no deliverable",
        "no constituent",
        "not yes or no",
        "wrong date format",
        "future date",
        "end before start",
        "no title",
        "too long",
    ],
)
def test_a_bad_example_row_is_refused_with_its_row_and_column_and_nothing_is_created(
    plan, users, changes, column, message
):
    from examples.models import ProgressExample

    table = reading.read_table(csv_upload([EXAMPLE_HEADER, example_row(), example_row(**changes)]))
    preview = examples_import.examples_preview(table, plan=plan)
    assert [(e.row, e.column) for e in preview.errors] == [(3, column)], preview.errors
    assert message in preview.errors[0].message
    with pytest.raises(reading.ImportRefused):
        examples_import.examples_import_apply(table=table, plan=plan, user=users["hq"])
    assert ProgressExample.objects.count() == 0


def test_the_examples_import_ignores_the_other_columns_and_names_the_unknown_ones(client, plan, users):
    rows = [[*EXAMPLE_HEADER, "state", "Comments"], [*example_row(), "approved", "ask Ana"]]
    table = reading.read_table(csv_upload(rows))
    preview = examples_import.examples_preview(table, plan=plan)
    assert preview.errors == [] and len(preview.rows) == 1
    assert examples_import.examples_ignored_columns(table) == ["comments"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_examples_template_has_the_import_headers_and_an_example_row_that_creates_nothing(
    client, plan, users, file_format
):
    response = login(client, users["hq"]).get(
        reverse("spreadsheets:import_examples_template"), {"format": file_format}
    )
    table = reading.read_table(SimpleUploadedFile(f"t.{file_format}", response.content), EXAMPLE_HEADER)
    assert table.headers == EXAMPLE_HEADER
    preview = examples_import.examples_preview(table, plan=plan)
    assert (preview.errors, preview.rows, preview.example_rows) == ([], [], [2])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("statuses.csv", b"", "The submitted file is empty."),
        ("statuses.xlsx", PNG, "The file is named .xlsx but is not an Excel workbook."),
        ("statuses.csv", b"code;status\n1.4.1;on_track\n", "missing columns: deliverable_code"),
    ],
    ids=["0 bytes", "PNG renamed .xlsx", "wrong headers"],
)
def test_the_upload_page_says_why_a_file_is_refused_and_keeps_the_form(client, users, name, content, message):
    response = login(client, users["hq"]).post(
        reverse("spreadsheets:import_status"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&quot;", '"')
    assert 'type="file"' in page and "Check the file" in page
    assert StatusUpdate.objects.count() == 0
