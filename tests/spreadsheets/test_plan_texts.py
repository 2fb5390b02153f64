"""The translators' spreadsheet of plan texts: exported, edited, imported back;
refused row by row with its reasons; no lost edit; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from deliverables.models import Deliverable, Office, Plan, Region
from spreadsheets.plan_texts import PLAN_TEXT_COLUMNS, text_checksum
from tests.factories import grow_plan
from tests.spreadsheets.spreadsheet_data import csv_upload, read_csv, read_xlsx, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def previews_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def export(client, file_format: str = "xlsx") -> list[list]:
    response = client.get(reverse("spreadsheets:export_plan_texts"), {"format": file_format})
    assert response.status_code == 200
    read = read_xlsx if file_format == "xlsx" else read_csv
    return [["" if cell is None else cell for cell in row] for row in read(response.content)]


def find(rows: list[list], kind: str, code: str, field: str) -> list:
    return next(row for row in rows if row[:3] == [kind, code, field])


def upload(client, rows: list[list], *, xlsx: bool = True):
    file = xlsx_upload(rows, "texts.xlsx") if xlsx else csv_upload(rows, "texts.csv")
    return client.post(reverse("spreadsheets:import_plan_texts"), {"file": file})


def confirm(client, response):
    token = resolve(response["Location"]).kwargs["token"]
    return client.post(reverse("spreadsheets:import_plan_texts_confirm"), {"token": token})


def test_the_export_has_every_translated_text_of_the_plan(client, plan, users):
    client.force_login(users["hq"])
    rows = export(client)
    assert rows[0] == PLAN_TEXT_COLUMNS
    kinds = {row[0] for row in rows[1:]}
    assert kinds == {"plan", "focus_area", "action", "deliverable", "pb_output", "region", "office"}
    deliverables = Deliverable.objects.filter(plan=plan).count()
    assert len([r for r in rows if r[0] == "deliverable"]) == 2 * deliverables  # text and target unit
    assert len([r for r in rows if r[0] == "office"]) == Office.objects.count()
    africa = find(rows, "region", "AFRICA", "name")
    assert africa == ["region", "AFRICA", "name", "Africa", "", "", "", text_checksum("Africa", "", "", "")]
    assert find(rows, "plan", "GB.341/POL/4", "title")[3] == plan.title


@pytest.mark.parametrize("xlsx", [True, False], ids=["xlsx", "csv"])
def test_a_translated_file_round_trips_through_a_preview(client, plan, users, xlsx):
    client.force_login(users["hq"])
    rows = export(client, "xlsx" if xlsx else "csv")
    deliverable = find(rows, "deliverable", "1.1.1", "text")
    deliverable[4] = "Texte français du livrable 1.1.1"
    deliverable[5] = "Texto español del entregable 1.1.1"
    deliverable[6] = "Traduction de travail"
    find(rows, "deliverable", "1.1.1", "target_unit")[6] = "Traduction de travail"
    find(rows, "region", "AFRICA", "name")[4] = "Afrique"

    response = upload(client, rows, xlsx=xlsx)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"]).content.decode()
    assert "Texte français du livrable 1.1.1" in page and "Afrique" in page
    assert "3 texts will change" in page  # the two rows of 1.1.1 (one for its note only) and Africa
    assert Region.objects.get(code="AFRICA").name_fr == ""  # nothing written yet

    response = confirm(client, response)
    assert response.status_code == 302
    d = Deliverable.objects.get(code="1.1.1")
    assert (d.text_fr, d.text_es, d.translation_note) == (
        "Texte français du livrable 1.1.1",
        "Texto español del entregable 1.1.1",
        "Traduction de travail",
    )
    assert Region.objects.get(code="AFRICA").name_fr == "Afrique"
    assert Region.objects.get(code="AMERICAS").name_fr == ""

    # Exported again and imported as it is: nothing changes.
    again = upload(client, export(client))
    assert "0 texts will change" in client.get(again["Location"]).content.decode()


def test_a_file_with_wrong_rows_is_refused_whole_with_each_reason(client, plan, users):
    client.force_login(users["hq"])
    rows = export(client)
    find(rows, "region", "AFRICA", "name")[4] = "Afrique"  # a good change, not saved either
    find(rows, "deliverable", "1.1.1", "text")[3] = "An edited English original"
    rows.append(["country", "NG", "name", "Nigeria", "Nigéria", "", "", ""])
    rows.append(["deliverable", "9.9.9", "text", "None", "Aucun", "", "", ""])
    rows.append(["office", "CO-ABUJA", "title", "x", "y", "", "", ""])
    rows.append(list(find(rows, "region", "AMERICAS", "name")))
    response = upload(client, rows)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page
    assert "“country” is not a kind of plan text" in page
    assert "There is no deliverable with the code “9.9.9” in the plan." in page
    assert "“title” is not a translated text of this kind (office): write one of name." in page
    assert "The English original was changed in the file" in page
    assert "This text is in row" in page
    assert Region.objects.get(code="AFRICA").name_fr == ""


def test_a_text_changed_in_the_admin_since_the_export_is_not_overwritten(client, plan, users):
    client.force_login(users["hq"])
    rows = export(client)
    Region.objects.filter(code="AFRICA").update(name_fr="Afrique (admin)")  # an edit in the admin
    find(rows, "region", "AFRICA", "name")[4] = "Afrique (tableur)"
    response = upload(client, rows)
    assert response.status_code == 400
    assert "were changed in dcplan (in the admin) after this file was exported" in response.content.decode()
    assert Region.objects.get(code="AFRICA").name_fr == "Afrique (admin)"


def test_a_text_changed_between_the_preview_and_the_confirmation_refuses_the_file(client, plan, users):
    client.force_login(users["hq"])
    rows = export(client)
    find(rows, "region", "AFRICA", "name")[4] = "Afrique"
    find(rows, "region", "AMERICAS", "name")[4] = "Amériques"
    response = upload(client, rows)
    assert response.status_code == 302
    Region.objects.filter(code="AMERICAS").update(name_es="Américas")
    response = confirm(client, response)
    assert response.status_code == 409
    assert "Someone changed region AMERICAS name in the meantime" in response.content.decode()
    assert Region.objects.get(code="AFRICA").name_fr == ""  # all or nothing


def test_only_headquarters_staff_find_the_translators_spreadsheet(client, users):
    client.force_login(users["hq"])
    page = client.get(reverse("spreadsheets:import_status")).content.decode()
    assert reverse("spreadsheets:import_plan_texts") in page
    client.force_login(users["manager"])
    assert client.get(reverse("spreadsheets:import_plan_texts")).status_code == 403
    assert client.get(reverse("spreadsheets:export_plan_texts")).status_code == 403


def queries(client, call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_export_and_the_preview_run_the_same_number_of_queries_at_1x_and_20x(client, plan, users):
    client.force_login(users["hq"])

    def measure():
        rows = export(client, "csv")
        find(rows, "region", "AFRICA", "name")[4] = "Afrique"
        exporting = queries(client, lambda: export(client, "csv"))
        previewing = queries(client, lambda: upload(client, rows, xlsx=False))
        return exporting, previewing

    small = measure()
    grow_plan(Plan.objects.get(pk=plan.pk), users["hq"], factor=20, updates_per_deliverable=1)
    large = measure()
    assert small == large
    # The request's own (session, user, permissions, the current plan: 5), one query
    # per kind of plan text (7); the preview also purges and saves the kept preview (2).
    assert small == (12, 14)
