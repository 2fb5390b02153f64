"""Bulk assignment of lead and contributing units through the status
spreadsheet: the export's lead_unit and contributing_units columns import
back unchanged; edited, they assign units as the deliverable page does; an
empty cell keeps, "-" clears; wrong codes refuse the whole file; a file
previewed before someone changed the units is refused; only those who may
assign units change them."""

import math

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl.utils import get_column_letter

from deliverables.models import Deliverable, Office, StatusUpdate
from spreadsheets import exports, reading, status_import
from tests.factories import PASSWORD, grow_plan, make_user
from tests.spreadsheets.spreadsheet_data import HEADER, csv_bytes, csv_upload, read_csv, read_xlsx, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def previews_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def assigned(plan):
    """1.4.1 led by PROGRAM with ITCILO and PARDEV contributing; 2.2.1 led by PARDEV."""
    offices = {o.code: o for o in Office.objects.filter(code__in=["PROGRAM", "ITCILO", "PARDEV", "EVAL"])}
    Deliverable.objects.get(code="1.4.1").assign_units(
        lead_unit=offices["PROGRAM"], contributing_units=[offices["PARDEV"], offices["ITCILO"]]
    )
    Deliverable.objects.get(code="2.2.1").assign_units(lead_unit=offices["PARDEV"], contributing_units=[])
    return offices


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def units() -> dict[str, tuple[str, list[str]]]:
    """Every deliverable's units, by code."""
    result = {}
    for d in Deliverable.objects.select_related("lead_unit").prefetch_related("contributing_units"):
        lead = d.lead_unit.code if d.lead_unit else ""
        result[d.code] = (lead, sorted(u.code for u in d.contributing_units.all()))
    return result


def exported(client, file_format: str = "csv") -> list[list]:
    response = client.get(reverse("spreadsheets:export_deliverables"), {"format": file_format})
    return read_csv(response.content) if file_format == "csv" else read_xlsx(response.content)


def edit(rows: list[list], code: str, **cells) -> None:
    header = rows[0]
    row = next(row for row in rows if row[0] == code)
    for name, value in cells.items():
        row[header.index(name)] = value


def upload(client, rows: list[list], file_format: str = "csv"):
    content = csv_bytes(rows) if file_format == "csv" else xlsx_bytes(rows)
    name = f"statuses.{file_format}"
    return client.post(reverse("spreadsheets:import_status"), {"file": SimpleUploadedFile(name, content)})


def preview(client, rows: list[list], file_format: str = "csv") -> tuple[str, str]:
    """The preview page's text and its token."""
    response = upload(client, rows, file_format)
    assert response.status_code == 302, response.content.decode()[:3000]
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return " ".join(client.get(response["Location"]).content.decode().split()), token


def confirm(client, token: str):
    return client.post(reverse("spreadsheets:import_status_confirm"), {"token": token})


def page_text(response) -> str:
    return " ".join(response.content.decode().replace("&#x27;", "'").replace("&quot;", '"').split())


# The export and its round trip ---------------------------------------------------------


def test_the_export_writes_the_lead_and_the_contributing_units_by_code(client, users, assigned):
    rows = exported(login(client, users["hq"]))
    header = rows[0]
    assert header[-2:] == ["lead_unit", "contributing_units"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["1.4.1"][-2:] == ["PROGRAM", "ITCILO; PARDEV"]
    assert by_code["2.2.1"][-2:] == ["PARDEV", ""]
    assert by_code["1.1.1"][-2:] == ["", ""]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_file_with_units_imports_back_changing_nothing(client, users, assigned, file_format):
    login(client, users["hq"])
    before = units()
    page, _token = preview(client, exported(client, file_format), file_format)
    assert "0 status updates will be recorded" in page
    assert "32 rows change nothing" in page
    assert "will change" not in page
    assert 'name="token"' not in page
    assert units() == before


# Assigning ------------------------------------------------------------------------------


def test_edited_unit_cells_are_previewed_old_to_new_and_assigned_without_a_status_update(
    client, users, assigned
):
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "1.1.1", lead_unit="EVAL", contributing_units="PROGRAM, itcilo")
    edit(rows, "1.4.1", lead_unit="ITCILO", contributing_units="PROGRAM")
    updates_before = StatusUpdate.objects.count()
    versions_before = dict(Deliverable.objects.values_list("code", "version"))

    page, token = preview(client, rows)
    assert "0 status updates will be recorded" in page
    assert "The units of 2 deliverables will change." in page
    assert "30 rows change nothing" in page
    assert "Status unchanged: no status update is recorded." in page
    assert 'Lead: <span class="code">—</span> → <span class="code">EVAL</span>' in page
    assert 'Contributing: <span class="code">—</span> → <span class="code">ITCILO; PROGRAM</span>' in page
    assert 'Lead: <span class="code">PROGRAM</span> → <span class="code">ITCILO</span>' in page
    assert "Change the units of 2 deliverables" in page
    assert units()["1.1.1"] == ("", [])  # nothing written by the preview

    response = confirm(client, token)
    assert response.status_code == 302
    now = units()
    assert now["1.1.1"] == ("EVAL", ["ITCILO", "PROGRAM"])
    assert now["1.4.1"] == ("ITCILO", ["PROGRAM"])
    assert now["2.2.1"] == ("PARDEV", [])
    # Only units: no status update, no version moved.
    assert StatusUpdate.objects.count() == updates_before
    assert dict(Deliverable.objects.values_list("code", "version")) == versions_before
    messages = [str(m) for m in client.get(reverse("deliverables:list")).context["messages"]]
    assert messages == [
        "0 status updates recorded; the units of 2 deliverables changed; 30 unchanged rows skipped."
    ]


def test_a_row_can_change_its_status_and_its_units_at_once(client, users, assigned):
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "2.2.1", status="on_track", as_of="2024-01-31", lead_unit="PROGRAM")
    page, token = preview(client, rows)
    assert "1 status update will be recorded" in page and "The units of 1 deliverable will change." in page
    assert confirm(client, token).status_code == 302
    d = Deliverable.objects.get(code="2.2.1")
    assert (d.status, d.lead_unit.code, d.version) == ("on_track", "PROGRAM", 1)


def test_an_empty_cell_keeps_the_units_and_a_dash_clears_them(client, users, assigned):
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "1.4.1", lead_unit="", contributing_units="-")  # keep the lead, no contributors
    edit(rows, "2.2.1", lead_unit="-", contributing_units="")  # no lead unit
    _page, token = preview(client, rows)
    confirm(client, token)
    now = units()
    assert now["1.4.1"] == ("PROGRAM", [])
    assert now["2.2.1"] == ("", [])


def test_a_new_lead_that_was_contributing_leaves_the_contributing_units(client, users, assigned):
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "1.4.1", lead_unit="PARDEV", contributing_units="")
    page, token = preview(client, rows)
    assert 'Contributing: <span class="code">ITCILO; PARDEV</span> → <span class="code">ITCILO</span>' in page
    confirm(client, token)
    assert units()["1.4.1"] == ("PARDEV", ["ITCILO"])


def test_a_file_without_unit_columns_changes_no_units(client, users, assigned):
    login(client, users["hq"])
    before = units()
    rows = [HEADER, ["1.4.1", "on_track", "", "", "", "2024-01-31"]]
    page, token = preview(client, rows)
    assert "1 status update will be recorded" in page and "will change." not in page
    confirm(client, token)
    assert units() == before
    assert Deliverable.objects.get(code="1.4.1").status == "on_track"


# Refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"lead_unit": "NOPE"},
            "lead_unit",
            "There is no unit with the code “NOPE”. Write an office code as the "
            "deliverables export shows it (for example PARDEV), or “-” for none.",
        ),
        (
            {"lead_unit": "EVAL", "contributing_units": "PROGRAM; EVAL"},
            "contributing_units",
            "EVAL is the lead unit: it cannot also be a contributing unit.",
        ),
        (
            {"contributing_units": "ITCILO; itcilo"},
            "contributing_units",
            "ITCILO is listed more than once: list each contributing unit once.",
        ),
        (
            {"lead_unit": "EVAL; PROGRAM"},
            "lead_unit",
            "“EVAL; PROGRAM” names several units: a deliverable has one lead unit; "
            "list the others under contributing_units.",
        ),
        (
            {"lead_unit": "", "contributing_units": "PROGRAM"},  # the current lead, kept
            "contributing_units",
            "PROGRAM is the lead unit: it cannot also be a contributing unit.",
        ),
    ],
    ids=["unknown code", "lead also contributing", "listed twice", "two leads", "kept lead contributing"],
)
def test_a_wrong_unit_cell_refuses_the_file_naming_cell_and_fix(
    client, users, assigned, cells, column, message
):
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "1.4.1", **cells)
    edit(rows, "1.1.1", status="on_track", as_of="2024-01-31")  # a valid change elsewhere
    updates_before, before = StatusUpdate.objects.count(), units()
    response = upload(client, rows)
    assert response.status_code == 400
    number = next(n for n, row in enumerate(rows, start=1) if row[0] == "1.4.1")
    cell = f"{get_column_letter(rows[0].index(column) + 1)}{number}"
    text = page_text(response)
    assert "has 1 error" in text
    assert (
        f'<td class="code">{cell}</td><td class="num">{number}</td><td class="code">{column}</td>'
        f"<td>{message}</td>"
    ) in text
    assert (StatusUpdate.objects.count(), units()) == (updates_before, before)


def test_two_rows_of_one_deliverable_naming_different_units_are_refused(client, users, assigned):
    login(client, users["hq"])
    header = [*HEADER, "lead_unit", "contributing_units"]
    rows = [
        header,
        ["1.1.1", "on_track", "", "", "", "2023-01-31", "EVAL", ""],
        ["1.1.1", "on_track", "", "", "", "2023-06-30", "PROGRAM", ""],
    ]
    text = page_text(upload(client, rows))
    assert "The rows of deliverable 1.1.1 (rows 2, 3) name different units" in text
    assert units()["1.1.1"] == ("", [])


def test_a_preview_outdated_by_a_change_of_units_on_the_deliverable_page_is_refused(client, users, assigned):
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "1.1.1", status="on_track", as_of="2024-01-31")
    edit(rows, "3.1.1", lead_unit="EVAL")
    _page, token = preview(client, rows)
    # Meanwhile someone changes 1.4.1's units (which the file says nothing new about).
    response = client.post(
        reverse("deliverables:units", args=["1.4.1"]),
        {"lead_unit": str(assigned["EVAL"].pk), "contributing_units": []},
    )
    assert response.status_code == 302
    updates_before, before = StatusUpdate.objects.count(), units()
    response = confirm(client, token)
    assert response.status_code == 409
    assert "Someone recorded an update to 1.4.1, or changed their units, in the meantime." in page_text(
        response
    )
    # Nothing written: neither the status update nor 3.1.1's lead, and 1.4.1 keeps the page's change.
    assert (StatusUpdate.objects.count(), units()) == (updates_before, before)
    assert before["1.4.1"] == ("EVAL", [])


# Who may --------------------------------------------------------------------------------


def test_unit_focal_points_cannot_import_so_cannot_change_units(client, users, assigned):
    unit = make_user("unit_a", role="unit", office="PROGRAM")
    login(client, users["hq"])
    rows = exported(client)
    edit(rows, "1.4.1", lead_unit="EVAL")
    client.logout()
    login(client, unit)
    assert upload(client, rows).status_code == 403
    assert client.get(reverse("spreadsheets:import_status")).status_code == 403
    assert confirm(client, "x" * 32).status_code == 403
    assert units()["1.4.1"][0] == "PROGRAM"


def test_who_may_record_statuses_but_not_assign_units_is_refused_the_unit_changes_only(
    client, users, assigned
):
    clerk = make_user("clerk", role="manager", office="PARDEV")
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="deliverables", codename="add_statusupdate")
    )
    login(client, users["hq"])
    rows = exported(client)
    client.logout()
    login(client, clerk)
    # The units as exported: allowed, nothing changes.
    edit(rows, "1.1.1", status="on_track", as_of="2024-01-31")
    page, _token = preview(client, rows)
    assert "1 status update will be recorded" in page
    # A change of units: refused, with the reason.
    edit(rows, "1.4.1", lead_unit="EVAL")
    response = upload(client, rows)
    assert response.status_code == 400
    assert "Only headquarters staff may change who leads or contributes to 1.4.1" in page_text(response)
    assert units()["1.4.1"][0] == "PROGRAM"


# Query counts ----------------------------------------------------------------------------


def unit_rows(plan, count: int) -> list[list]:
    """The deliverables export with `count` rows whose units change."""
    queryset = Deliverable.objects.in_plan(plan).in_code_order()
    rows = [list(row) for row in exports.DELIVERABLES.rows(queryset)]
    header = rows[0]
    for row in rows[1 : count + 1]:
        row[header.index("lead_unit")] = "EVAL"
        row[header.index("contributing_units")] = "PROGRAM; ITCILO"
    return [[exports.csv_text(cell) for cell in row] for row in rows]


@pytest.mark.parametrize("factor", [1, 10])
def test_previewing_and_confirming_units_run_the_same_queries_at_two_sizes(plan, users, factor):
    if factor > 1:
        grow_plan(plan, users["hq"], factor=factor, updates_per_deliverable=1)
    count = 10 * factor
    table = reading.read_table(csv_upload(unit_rows(plan, count)))
    with CaptureQueriesContext(connection) as previewing:
        preview = status_import.status_preview(table, plan=plan)
    assert preview.errors == [] and len(preview.unit_changes) == count
    with CaptureQueriesContext(connection) as confirming:
        result = status_import.status_import_apply(
            table=table, plan=plan, user=users["hq"], versions=preview.versions, units=preview.units
        )
    assert (result.created, result.units_changed) == (0, count)
    kinds = [q["sql"].split()[0] for q in confirming]
    kinds = [kind for kind in kinds if kind not in ("SAVEPOINT", "RELEASE", "INSERT")]
    # The preview: deliverables, the offices, the contributing units.
    assert len(previewing) == 3
    # Lock, the user's permissions (2: this user has not asked before), the
    # preview again (3), then one UPDATE of the lead units, one DELETE of the
    # contributing units and their INSERT (which SQLite splits at its
    # bind-parameter limit).
    assert kinds == ["SELECT"] * 6 + ["UPDATE", "DELETE"]
    inserts = [q for q in confirming if q["sql"].startswith("INSERT")]
    links = Deliverable.contributing_units.through
    fields = [f for f in links._meta.concrete_fields if not f.primary_key]
    assert len(inserts) == math.ceil(2 * count / connection.ops.bulk_batch_size(fields, [None] * 2 * count))
    assert Deliverable.contributing_units.through.objects.count() == 2 * count
    assert Deliverable.objects.filter(lead_unit__code="EVAL").count() == count
