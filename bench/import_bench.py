"""Time and peak memory of the bulk status import: the preview and the confirm of
a 5,000-row status file, as CSV and as XLSX; results in bench/import_results.md.

    .venv/bin/python bench/import_bench.py                 # 5,000 rows, CSV and XLSX, SQLite
    .venv/bin/python bench/import_bench.py --rows 1000     # another size
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dcplan_bench .venv/bin/python bench/import_bench.py

Not part of the test suite. Without DATABASE_URL it works in a new SQLite
database under a temporary directory, so var/ is never touched; a
DATABASE_URL must name a new, empty database (the script migrates it).
Each file format runs in its own process so that memory figures do not carry
over. The plan is grown to one deliverable per row (each with a history of
three updates), and every row changes its deliverable, so the confirm writes
every row through status_update_record().
"""

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "import_results.md"


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
    """Run `step` twice: once for its time and queries (rolled back), once
    under tracemalloc for its peak memory (kept). tracemalloc slows Python
    down several times, so the two are not measured in the same run."""
    from django.db import connection, transaction

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(count):
        started = time.perf_counter()
        step(*args, **kwargs)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    tracemalloc.start()
    result = step(*args, **kwargs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1), "queries": len(queries)}


def run_one(file_format: str, rows: int) -> dict:
    """In a child process: prepare, write the file, preview it, confirm it."""
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from deliverables.models import StatusUpdate
        from spreadsheets import reading, status_import
        from spreadsheets.exports import write_csv, write_xlsx

        plan, user = prepare(rows)
        content = (write_csv if file_format == "csv" else write_xlsx)(status_rows(rows))
        upload = SimpleUploadedFile(f"statuses.{file_format}", content)

        def preview():
            table = reading.read_table(upload)
            return table, status_import.status_preview(table, plan=plan)

        (table, result), preview_figures = measure(preview)
        assert not result.errors, result.errors[:5]
        assert len(result.changes) == rows, len(result.changes)
        before = StatusUpdate.objects.count()
        applied, confirm_figures = measure(
            status_import.status_import_apply, table=table, plan=plan, user=user, versions=result.versions
        )
        assert StatusUpdate.objects.count() == before + rows
        return {
            "format": file_format,
            "rows": rows,
            "file_kb": round(len(content) / 1024),
            "database": connection.vendor,
            "preview": preview_figures,
            "confirm": confirm_figures | {"created": applied.created},
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def write_results(results: list[dict]) -> None:
    lines = [
        "# Bulk status import: benchmark",
        "",
        f"`bench/import_bench.py`, {datetime.date.today():%Y-%m-%d}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs. One deliverable per row, each with three earlier "
        "updates; every row changes its deliverable. Peak memory is Python's allocations (tracemalloc) "
        "during the step (measured in a second run: tracemalloc slows Python down); max RSS is the whole "
        "process's, data generation included.",
        "",
        "| file | rows | size | database | preview: time | preview: peak memory | preview: queries "
        "| confirm: time | confirm: peak memory | confirm: queries | max RSS |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p, c = r["preview"], r["confirm"]
        lines.append(
            f"| {r['format'].upper()} | {r['rows']:,} | {r['file_kb']:,} KB | {r['database']} "
            f"| {p['seconds']} s | {p['peak_mb']} MB | {p['queries']} "
            f"| {c['seconds']} s | {c['peak_mb']} MB | {c['queries']:,} | {r['max_rss_mb']} MB |"
        )
    lines += [
        "",
        "The preview runs a fixed number of queries whatever the number of rows (the file's deliverables in "
        "one query, the histories of back-dated rows in another; the figure includes nothing else). The "
        "confirm locks the file's deliverables, runs the preview again, then records every row through "
        "`status_update_record()`, the code path of the single update form: a handful of queries per row, "
        "in one transaction.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--formats", default="csv,xlsx")
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
        print(f"{file_format}: preview {result['preview']}, confirm {result['confirm']}")
        results.append(result)
    write_results(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(f"Results in {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
