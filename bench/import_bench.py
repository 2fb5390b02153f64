"""The bulk status import of a 5,000-row file: preview + confirm against a raw
bulk_create of the same rows, on the database DATABASE_URL names (else a new
SQLite database in a temporary directory, so var/ is never touched).

    .venv/bin/python bench/import_bench.py                     # 5,000 rows, CSV, SQLite
    .venv/bin/python bench/import_bench.py --rows 1000 --formats csv,xlsx
    DATABASE_URL=postgres://dcplan@127.0.0.1:5432/dcplan_bench .venv/bin/python bench/import_bench.py

`make bench` (bench/run.py) runs it on BENCH_DATABASE_URL. A DATABASE_URL must
name a new, empty database (the script migrates it), so name one format only.
The plan is grown to one deliverable per row (each with a history of three
updates) and every row changes its deliverable, so the confirm writes every row
through status_updates_record(), the service of the single update form. The
three steps alternate (raw, preview, confirm, raw, …), each in a transaction
that is rolled back; medians of REPEATS runs.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEATS = 3


def setup_django(var_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    os.environ["DCPLAN_VAR_DIR"] = var_dir
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    import django

    django.setup()


def prepare(rows: int):
    """A migrated database with the plan grown to `rows` deliverables."""
    from django.core.management import call_command

    from deliverables.models import Deliverable, Plan
    from tests.factories import grow_plan, make_user

    call_command("migrate", verbosity=0)
    if Plan.objects.exists():
        sys.exit("The benchmark needs a new, empty database: this one already holds a plan.")
    call_command("loaddata", "gb341_pol4", "offices", verbosity=0)
    plan = Plan.objects.get(symbol="GB.341/POL/4")
    user = make_user("bench", role="hq", office="PARDEV")
    base = Deliverable.objects.filter(plan=plan).count()
    grow_plan(plan, user, factor=-(-rows // base), updates_per_deliverable=3)
    return plan, user


def status_rows(rows: int) -> list[list[object]]:
    from deliverables.models import Deliverable
    from spreadsheets.resources import STATUS_IMPORT_COLUMNS

    table = [list(STATUS_IMPORT_COLUMNS)]
    deliverables = Deliverable.objects.in_code_order().values_list("code", "target_value", "progress_value")
    for n, (code, target, progress) in enumerate(deliverables[:rows]):
        table.append(
            [
                code,
                "achieved" if n % 2 else "on_track",
                (progress or 0) + 1 if target else "",
                f"Row {n}: progress confirmed by the office.",
                f"https://example.org/evidence/{n}",
                datetime.date(2025, 1, 1 + n % 28).isoformat(),
            ]
        )
    return table


def measure(step, *args, **kwargs) -> tuple[object, dict]:
    """Run `step` in a transaction that is rolled back: its wall and CPU time and its queries."""
    from django.db import connection, transaction

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(count):
        cpu, started = time.process_time(), time.perf_counter()
        result = step(*args, **kwargs)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        transaction.set_rollback(True)
    return result, {"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3), "queries": len(queries)}


def raw_bulk_create(table, plan, user) -> int:
    """The floor: the same rows as StatusUpdate objects in one bulk_create, with
    nothing checked and the deliverables' current fields left alone."""
    from deliverables.models import Deliverable, StatusUpdate

    by_code = {d.code: d for d in Deliverable.objects.in_plan(plan).only("id", "code", "version")}
    at = {name: table.headers.index(name) for name in table.headers}
    updates = []
    for row in table.rows:
        cells = row.cells
        deliverable = by_code[cells[at["deliverable_code"]]]
        updates.append(
            StatusUpdate(
                deliverable=deliverable,
                version=deliverable.version + 1,
                status=cells[at["status"]],
                author=user,
                as_of=datetime.date.fromisoformat(cells[at["as_of"]]),
                progress_value=int(cells[at["progress"]]) if cells[at["progress"]] else None,
                narrative=cells[at["narrative"]],
                evidence_links=[cells[at["evidence_links"]]],
            )
        )
    return len(StatusUpdate.objects.bulk_create(updates, batch_size=1000))


def run_one(file_format: str, rows: int) -> dict:
    """In a child process: prepare, write the file, then alternately the raw
    bulk_create and preview + confirm (each rolled back), REPEATS times."""
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from deliverables.models import StatusUpdate
        from spreadsheets import reading, status_import
        from spreadsheets.exports import write_csv, write_xlsx

        plan, user = prepare(rows)
        content = (write_csv if file_format == "csv" else write_xlsx)(status_rows(rows))
        before = StatusUpdate.objects.count()

        def preview():
            upload = SimpleUploadedFile(f"statuses.{file_format}", content)
            table = reading.read_table(upload)
            return table, status_import.status_preview(table, plan=plan)

        def confirm(table, result):
            # As the confirm view does: with the rows the preview checked, kept with the saved preview.
            return status_import.status_import_apply(
                table=table, plan=plan, user=user, versions=result.versions, planned=result.planned()
            )

        figures = {"raw": [], "preview": [], "confirm": []}
        for _ in range(REPEATS):
            (table, result), preview_figures = measure(preview)
            assert not result.errors, result.errors[:5]
            assert len(result.changes) == rows, len(result.changes)
            created, raw_figures = measure(raw_bulk_create, table, plan, user)
            assert created == rows
            applied, confirm_figures = measure(confirm, table, result)
            assert applied.created == rows
            figures["raw"].append(raw_figures)
            figures["preview"].append(preview_figures)
            figures["confirm"].append(confirm_figures)
        assert StatusUpdate.objects.count() == before, "every measured step is rolled back"

        def median(step: str, key: str):
            return statistics.median(f[key] for f in figures[step])

        summary = {
            step: {key: median(step, key) for key in ("seconds", "cpu_seconds", "queries")}
            for step in figures
        }
        both = summary["preview"]["seconds"] + summary["confirm"]["seconds"]
        both_cpu = summary["preview"]["cpu_seconds"] + summary["confirm"]["cpu_seconds"]
        return {
            "format": file_format,
            "rows": rows,
            "file_kb": round(len(content) / 1024),
            "database": connection.vendor,
            **summary,
            "ratio": round(both / summary["raw"]["seconds"], 2),
            "cpu_ratio": round(both_cpu / summary["raw"]["cpu_seconds"], 2),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--formats", default="csv")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--json", type=Path, help="Also write the results as JSON to this file (for bench/run.py)."
    )
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.rows)))
        return
    results = []
    for file_format in args.formats.split(","):
        output = subprocess.run(
            [sys.executable, __file__, "--child", file_format, "--rows", str(args.rows)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(json.dumps(result))
        results.append(result)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
