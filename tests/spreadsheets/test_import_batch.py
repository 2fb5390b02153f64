"""Confirming an import writes set-wise: a fixed number of queries per file,
whatever its number of rows, through the service of the single update form."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliverables.models import Deliverable, StatusUpdate
from spreadsheets import reading, status_import
from tests.spreadsheets.spreadsheet_data import HEADER, csv_upload
from tests.spreadsheets.test_imports import many_rows

pytestmark = pytest.mark.django_db


def confirm(plan, user, rows):
    table = reading.read_table(csv_upload([HEADER, *rows]))
    versions = status_import.status_preview(table, plan=plan).versions
    with CaptureQueriesContext(connection) as queries:
        result = status_import.status_import_apply(table=table, plan=plan, user=user, versions=versions)
    assert result.created == len(rows)
    return [q["sql"] for q in queries]


def statements(sqls: list[str]) -> list[str]:
    """The queries' kinds, without savepoints and INSERT batches."""
    return [sql.split()[0] for sql in sqls if sql.split()[0] not in ("INSERT", "SAVEPOINT", "RELEASE")]


@pytest.mark.parametrize("rows", [10, 500])
def test_confirming_a_file_runs_the_same_queries_at_10_and_500_rows(plan, users, rows):
    sqls = confirm(plan, users["hq"], many_rows(rows))
    # Lock the file's deliverables, read them again for the check (histories only
    # for back-dated rows), lock them in the service, claim their versions and
    # current fields in one UPDATE.
    assert statements(sqls) == ["SELECT", "SELECT", "SELECT", "UPDATE"], " ".join(statements(sqls))
    inserts = [sql for sql in sqls if sql.startswith("INSERT")]
    fields = [f for f in StatusUpdate._meta.concrete_fields if not f.primary_key]
    # PostgreSQL takes every row in one INSERT; Django splits SQLite's at 999 bind parameters.
    assert len(inserts) == math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))
    assert StatusUpdate.objects.count() == rows


def test_a_batch_leaves_each_deliverable_at_its_latest_row_and_one_version_per_row(plan, users):
    confirm(plan, users["hq"], many_rows(96))  # three months for each of the 32 deliverables
    for d in Deliverable.objects.select_related("last_update"):
        assert d.version == 3
        assert d.last_update.version == 3
        assert d.last_update.narrative == "Step 2"
        assert (d.status, d.progress_value) == (d.last_update.status, d.last_update.progress_value)
    assert StatusUpdate.objects.count() == 96


@pytest.mark.parametrize("rows", [10, 500])
def test_confirming_with_the_rows_the_preview_checked_runs_the_same_queries_at_10_and_500_rows(
    plan, users, rows
):
    table = reading.read_table(csv_upload([HEADER, *many_rows(rows)]))
    preview = status_import.status_preview(table, plan=plan)
    with CaptureQueriesContext(connection) as queries:
        result = status_import.status_import_apply(
            table=table, plan=plan, user=users["hq"], versions=preview.versions, planned=preview.planned()
        )
    assert result.created == rows
    # Lock the file's deliverables, lock them in the service, claim: the file is not checked again.
    assert statements([q["sql"] for q in queries]) == ["SELECT", "SELECT", "UPDATE"]
    assert StatusUpdate.objects.count() == rows


def test_the_rows_the_preview_checked_are_recorded_as_the_full_check_records_them(plan, users):
    table = reading.read_table(csv_upload([HEADER, *many_rows(96)]))
    preview = status_import.status_preview(table, plan=plan)
    status_import.status_import_apply(
        table=table, plan=plan, user=users["hq"], versions=preview.versions, planned=preview.planned()
    )
    for d in Deliverable.objects.select_related("last_update"):
        assert d.version == 3
        assert d.last_update.narrative == "Step 2"
        assert (d.status, d.progress_value) == (d.last_update.status, d.last_update.progress_value)
    assert StatusUpdate.objects.count() == 96


def test_the_rows_the_preview_checked_are_refused_once_a_deliverable_moved(plan, users):
    table = reading.read_table(csv_upload([HEADER, *many_rows(10)]))
    preview = status_import.status_preview(table, plan=plan)
    moved = Deliverable.objects.get(pk=preview.changes[0].deliverable_id)
    Deliverable.objects.filter(pk=moved.pk).update(version=moved.version + 1)
    with pytest.raises(status_import.PreviewOutdated) as outdated:
        status_import.status_import_apply(
            table=table, plan=plan, user=users["hq"], versions=preview.versions, planned=preview.planned()
        )
    assert outdated.value.codes == [moved.code]
    assert StatusUpdate.objects.count() == 0


def test_the_rows_the_preview_checked_are_refused_once_a_target_changed_in_the_admin(plan, users):
    # Editing a deliverable's target in the admin leaves its version alone, yet the
    # rows' checks read it (a progress value needs a target): the preview is outdated.
    table = reading.read_table(csv_upload([HEADER, *many_rows(10)]))
    preview = status_import.status_preview(table, plan=plan)
    edited = next(d for d in preview.deliverables.values() if d.target_value)
    Deliverable.objects.filter(pk=edited.pk).update(target_value=edited.target_value + 7)
    with pytest.raises(status_import.PreviewOutdated) as outdated:
        status_import.status_import_apply(
            table=table, plan=plan, user=users["hq"], versions=preview.versions, planned=preview.planned()
        )
    assert outdated.value.codes == [edited.code]
    assert StatusUpdate.objects.count() == 0
