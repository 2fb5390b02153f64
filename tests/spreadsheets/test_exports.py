"""Spreadsheet exports: what each role may download, what the files hold,
formulas neutralised in every format, and a fixed number of queries."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliverables.models import Deliverable, Status
from examples.models import ProgressExample
from spreadsheets.exports import FORMULA_STARTS, neutralise_formula
from tests.examples.example_data import grow_examples, make_example, media  # noqa: F401
from tests.factories import PASSWORD, grow_plan, record
from tests.spreadsheets.spreadsheet_data import read_csv, read_xlsx, xlsx_formula_cells, xlsx_string_cells

pytestmark = pytest.mark.django_db

State = ProgressExample.State


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def rows_of(response) -> list[list[object]]:
    if response["Content-Type"].startswith("text/csv"):
        return read_csv(response.content)
    return read_xlsx(response.content)


def test_neutralise_formula_quotes_the_six_leading_characters_and_an_apostrophe_and_nothing_else():
    for start in ["=", "+", "-", "@", "\t", "\r", "'"]:
        assert neutralise_formula(f"{start}1+1") == f"'{start}1+1"
    assert neutralise_formula("'-' marks the regions") == "''-' marks the regions"
    for harmless in ["1+1", " =1", "", "a=b", "\n=1", "l'OIT"]:
        assert neutralise_formula(harmless) == harmless
    for value in [None, 3, -3, 2.5, datetime.date(2022, 1, 1)]:
        assert neutralise_formula(value) == value


# What the files hold -------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_deliverables_export_has_a_header_then_one_row_per_deliverable(client, users, file_format):
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.AT_RISK,
        as_of=datetime.date(2022, 6, 30),
        progress=4,
        narrative="Slower than planned",
    )
    response = login(client, users["manager"]).get(
        reverse("spreadsheets:export_deliverables"), {"format": file_format}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dcplan-deliverables-')
    rows = rows_of(response)
    header = rows[0]
    assert header[:6] == ["deliverable_code", "status", "progress", "narrative", "evidence_links", "as_of"]
    assert len(rows) == 1 + 32
    row = dict(zip(header, next(r for r in rows if r[0] == "1.4.1"), strict=True))
    as_of = "2022-06-30" if file_format == "csv" else datetime.datetime(2022, 6, 30)
    progress, target = ("4", "10") if file_format == "csv" else (4, 10)
    assert (row["status"], row["status_label"], row["progress"], row["target"], row["target_unit"]) == (
        "at_risk",
        "At risk",
        progress,
        target,
        "partnerships",
    )
    assert (row["narrative"], row["as_of"], row["updated_by"]) == ("Slower than planned", as_of, "hq")
    untouched = dict(zip(header, next(r for r in rows if r[0] == "1.1.1"), strict=True))
    assert untouched["status"] == "not_started" and untouched["as_of"] in ("", None)


def test_the_deliverables_export_keeps_the_lists_filters_and_order(client, users):
    record(Deliverable.objects.get(code="2.3.1"), users["hq"], Status.ON_TRACK)
    record(Deliverable.objects.get(code="1.4.1"), users["hq"], Status.ON_TRACK, progress=1)
    record(Deliverable.objects.get(code="3.1.1"), users["hq"], Status.DELAYED, progress=1, narrative="Late")
    login(client, users["focal_a"])
    response = client.get(
        reverse("spreadsheets:export_deliverables"), {"status": "on_track", "sort": "-code", "format": "csv"}
    )
    assert [row[0] for row in read_csv(response.content)[1:]] == ["2.3.1", "1.4.1"]
    response = client.get(reverse("spreadsheets:export_deliverables"), {"q": "1.4.1", "format": "csv"})
    assert [row[0] for row in read_csv(response.content)[1:]] == ["1.4.1"]


def test_the_list_page_links_its_exports_with_the_current_filters(client, users):
    page = login(client, users["hq"]).get(reverse("deliverables:list"), {"status": "on_track", "page": "1"})
    html = page.content.decode()
    assert reverse("spreadsheets:export_deliverables") + "?status=on_track&amp;format=xlsx" in html
    assert reverse("spreadsheets:export_deliverables") + "?status=on_track&amp;format=csv" in html
    assert reverse("spreadsheets:export_history") + "?format=xlsx" in html
    assert reverse("spreadsheets:export_examples") in html
    assert reverse("spreadsheets:import_status") in html


def test_the_history_export_has_every_update_oldest_first(client, users):
    d = Deliverable.objects.get(code="1.4.1")
    record(d, users["hq"], Status.ON_TRACK, as_of=datetime.date(2021, 6, 1), progress=1)
    record(d, users["hq"], Status.ACHIEVED, as_of=datetime.date(2023, 6, 1), progress=10, narrative="Done")
    rows = read_csv(
        login(client, users["focal_a"]).get(reverse("spreadsheets:export_history"), {"format": "csv"}).content
    )
    header = rows[0]
    assert [dict(zip(header, row, strict=True))["version"] for row in rows[1:]] == ["1", "2"]
    assert rows[2][:6] == ["1.4.1", "achieved", "10", "Done", "", "2023-06-01"]


def test_a_focal_point_exports_only_their_offices_examples(client, users):
    make_example(users["focal_a"], title="Abuja example")
    make_example(users["focal_b"], title="Dhaka example")
    titles = {
        role: [
            row[6]
            for row in read_csv(
                login(client, users[role])
                .get(reverse("spreadsheets:export_examples"), {"format": "csv"})
                .content
            )[1:]
        ]
        for role in ["focal_a", "manager", "hq"]
    }
    assert titles["focal_a"] == ["Abuja example"]
    assert sorted(titles["manager"]) == sorted(titles["hq"]) == ["Abuja example", "Dhaka example"]


def test_the_examples_export_says_state_office_region_countries_and_deliverables(client, users):
    make_example(
        users["focal_a"],
        state=State.APPROVED,
        reviewer=users["hq"],
        countries=["NG", "GH"],
        deliverables=("1.1.1", "2.3.1"),
    )
    rows = read_xlsx(
        login(client, users["hq"]).get(reverse("spreadsheets:export_examples"), {"format": "xlsx"}).content
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["state"], row["office_code"], row["region"]) == ("approved", "CO-ABUJA", "Africa")
    assert row["countries"] == "NG; GH" or row["countries"] == "GH; NG"
    assert row["deliverable_codes"] == "1.1.1; 2.3.1"
    assert (row["government"], row["workers"], row["may_be_cited"]) == ("yes", "no", "yes")
    assert isinstance(row["approved_at"], datetime.datetime)


def test_the_examples_export_can_be_limited_to_a_state(client, users):
    make_example(users["focal_a"], title="Draft one")
    make_example(users["focal_a"], title="Submitted one", state=State.SUBMITTED)
    rows = read_csv(
        login(client, users["focal_a"])
        .get(reverse("spreadsheets:export_examples"), {"format": "csv", "state": "submitted"})
        .content
    )
    assert [row[6] for row in rows[1:]] == ["Submitted one"]


def test_an_unknown_format_answers_404(client, users):
    response = login(client, users["hq"]).get(reverse("spreadsheets:export_deliverables"), {"format": "exe"})
    assert response.status_code == 404


# Formula injection ----------------------------------------------------------------------


def payload(start: str) -> str:
    return f'{start}HYPERLINK("https://evil.example","click")'


def quoted(start: str, xlsx: bool) -> set[str]:
    """A CSV cell carries the apostrophe; a workbook holds the text exactly, in a string cell
    (depending on the XML library openpyxl finds, a carriage return reads back as itself or
    as a line feed)."""
    text = payload(start)
    return {text, text.replace("\r", "\n")} if xlsx else {"'" + text}


def assert_no_formula(rows: list[list[object]], content: bytes, xlsx: bool) -> None:
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    if xlsx:
        # Text that starts like a formula is only ever a string cell, which no program computes.
        assert xlsx_formula_cells(content) == []
        assert xlsx_string_cells(content, starting=FORMULA_STARTS)
    else:
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def seed_payloads(users, start: str) -> None:
    record(
        Deliverable.objects.get(code="1.4.1"),
        users["hq"],
        Status.AT_RISK,
        progress=2,
        narrative=payload(start),
    )
    make_example(users["focal_a"], title=payload(start), partners=payload(start), results=payload(start))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["=", "+", "-", "@", "tab", "CR"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "url_name",
    ["spreadsheets:export_deliverables", "spreadsheets:export_history", "spreadsheets:export_examples"],
)
def test_no_exported_cell_can_start_a_formula(client, users, start, file_format, url_name):
    seed_payloads(users, start)
    response = login(client, users["hq"]).get(reverse(url_name), {"format": file_format})
    rows = rows_of(response)
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert quoted(start, file_format == "xlsx") & set(cells)
    assert_no_formula(rows, response.content, file_format == "xlsx")


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["=", "+", "-", "@", "tab", "CR"])
@pytest.mark.parametrize(
    ("model", "file_format"),
    [
        ("deliverables_deliverable", "0"),
        ("deliverables_deliverable", "1"),
        ("deliverables_statusupdate", "0"),
        ("deliverables_statusupdate", "1"),
        ("examples_progressexample", "0"),
        ("examples_progressexample", "1"),
    ],
)
def test_the_admins_export_neutralises_formulas_too(client, users, start, model, file_format):
    seed_payloads(users, start)
    login(client, users["superuser"])
    url = reverse(f"admin:{model}_export")
    form = client.get(url).context["form"]
    fields = {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    response = client.post(url, {"format": file_format, "resource": "0", **fields})
    assert response.status_code == 200, response.content[:500]
    rows = read_csv(response.content) if file_format == "0" else read_xlsx(response.content)
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert quoted(start, file_format == "1") & set(cells)
    assert_no_formula(rows, response.content, file_format == "1")


# Permissions (each role's answer: tests/dcplan/test_access_matrix.py) -------------------------


def test_a_user_without_a_role_may_not_export(client, plan):
    User.objects.create_user("nobody", password=PASSWORD)
    client.login(username="nobody", password=PASSWORD)
    for name in [
        "spreadsheets:export_deliverables",
        "spreadsheets:export_history",
        "spreadsheets:export_examples",
    ]:
        assert client.get(reverse(name)).status_code == 403


def staff_user(*codenames: str) -> User:
    user = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_the_admins_export_needs_the_view_permission_not_just_staff(client, plan):
    login(client, staff_user("change_deliverable"))
    url = reverse("admin:deliverables_deliverable_export")
    assert client.get(reverse("admin:deliverables_deliverable_changelist")).status_code == 200
    assert client.get(url).status_code == 403
    client.logout()
    User.objects.filter(username="clerk").delete()
    login(client, staff_user("view_deliverable"))
    assert client.get(url).status_code == 200


def test_the_admins_import_needs_the_add_and_change_permissions(client, plan):
    url = reverse("admin:deliverables_office_import")
    for codenames, expected in [
        (("view_office",), 403),
        (("view_office", "add_office"), 403),
        (("view_office", "change_office"), 403),
        (("view_office", "add_office", "change_office"), 200),
    ]:
        User.objects.filter(username="clerk").delete()
        login(client, staff_user(*codenames))
        assert client.get(url).status_code == expected, codenames
        client.logout()


def test_the_admin_imports_offices_by_code(client, users):
    from tests.spreadsheets.spreadsheet_data import csv_upload

    login(client, users["superuser"])
    upload = csv_upload(
        [
            ["code", "name", "kind", "region", "city"],
            ["CO-TEST", "ILO Country Office for Testing", "country", "AFRICA", "Testville"],
        ],
        name="offices.csv",
    )
    url = reverse("admin:deliverables_office_import")
    response = client.post(url, {"resource": "0", "format": "0", "import_file": upload})
    assert response.status_code == 200, response.content.decode()[:3000]
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("admin:deliverables_office_process_import"),
        {name: confirm[name].value() for name in confirm.fields},
    )
    assert response.status_code == 302
    from deliverables.models import Office

    office = Office.objects.get(code="CO-TEST")
    assert (office.region.code, office.city) == ("AFRICA", "Testville")


# Query counts --------------------------------------------------------------------------------


def export_queries(client, name: str, file_format: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), {"format": file_format})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_exports_run_the_same_number_of_queries_at_1x_and_100x(client, plan, users, file_format):
    for d in Deliverable.objects.all():
        record(d, users["hq"], Status.ON_TRACK, progress=1 if d.has_target else None)
    grow_examples(plan, users["focal_a"], count=5)
    login(client, users["hq"])
    names = [
        "spreadsheets:export_deliverables",
        "spreadsheets:export_history",
        "spreadsheets:export_examples",
    ]
    small = {name: export_queries(client, name, file_format) for name in names}

    grow_plan(plan, users["hq"], factor=100, updates_per_deliverable=3)
    grow_examples(plan, users["focal_a"], count=500)
    large = {name: export_queries(client, name, file_format) for name in names}
    assert small == large
    # Session, user, permissions (2) (the session is saved at most every few minutes),
    # then two for the data: the plan and the rows, or the examples and their deliverables;
    # the deliverables' contributing units in one more.
    assert small == {
        "spreadsheets:export_deliverables": 7,
        "spreadsheets:export_history": 6,
        "spreadsheets:export_examples": 6,
    }


def test_the_admins_export_page_has_no_inline_script_or_style(client, users):
    login(client, users["superuser"])
    page = client.get(reverse("admin:deliverables_deliverable_export")).content.decode()
    assert "onchange=" not in page and 'style="' not in page
    assert "js/admin_export_select_all.js" in page
