"""Time and peak memory to produce the mid-term review as PDF and as Word (.docx), on
the demo data and on generated data at 1× and 10× the plan's size; results in
bench/report_results.md.

    .venv/bin/python bench/report_bench.py                  # demo, 1×, 10×
    .venv/bin/python bench/report_bench.py --sizes demo,10  # a subset

Each size runs in its own process and its own SQLite database in a temporary
directory (removed afterwards), so that memory figures do not carry over and var/
is never touched; the PDFs are left in bench/var/report/<size>/review.pdf.
The PDF itself is rendered in a child process (as in production): its time and
peak resident memory are reported separately from the assembly in the web process.
The Word file is built in the web process: its time and Python peak are its own.

`measure_review()` measures the database Django is set up with, for callers such
as bench/size_run.py.
"""

import argparse
import datetime
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "report_results.md"
REPEATS = 3


def measure_review(
    out_dir: Path | None = None, as_of: datetime.date | None = None, repeats: int = REPEATS
) -> dict:
    """Assemble and render the review of the current plan `repeats` times; medians and peaks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from pypdf import PdfReader

    from deliverables.models import Plan
    from reporting.assembly import assemble_review
    from reporting.document import compose, default_cover
    from reporting.docx import review_docx
    from reporting.rendering import render_pdf, review_pdf_html

    plan = Plan.objects.current()
    as_of = as_of or timezone.localdate()
    assembly, html_times, wall, worker, rss, docx_times = [], [], [], [], [], []
    peak_python = peak_docx = 0
    for _ in range(repeats):
        tracemalloc.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            review = assemble_review(plan, as_of)
        assembled = time.perf_counter()
        document = compose(review, default_cover(plan))
        html = review_pdf_html(document)
        built = time.perf_counter()
        peak_python = max(peak_python, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        tracemalloc.start()
        started_docx = time.perf_counter()
        docx = review_docx(document)
        docx_times.append(time.perf_counter() - started_docx)
        peak_docx = max(peak_docx, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        result = render_pdf(html, timeout=600)
        finished = time.perf_counter()
        assembly.append(assembled - started)
        html_times.append(built - assembled)
        wall.append(finished - built)
        worker.append(result.seconds)
        rss.append(result.peak_rss_kb)
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "review.pdf").write_bytes(result.pdf)
        (Path(out_dir) / "review.docx").write_bytes(docx)

    return {
        "as_of": as_of.isoformat(),
        "deliverables": len(review.deliverables),
        "examples": len(review.examples),
        "queries": len(queries),
        "pages": len(PdfReader(io.BytesIO(result.pdf)).pages),
        "pdf_bytes": len(result.pdf),
        "html_bytes": len(html.encode()),
        "assembly_s": round(statistics.median(assembly), 3),
        "html_s": round(statistics.median(html_times), 3),
        "render_wall_s": round(statistics.median(wall), 3),
        "render_worker_s": round(statistics.median(worker), 3),
        "total_s": round(
            statistics.median(a + h + w for a, h, w in zip(assembly, html_times, wall, strict=True)), 3
        ),
        "web_python_peak_mb": round(peak_python / 2**20, 1),
        "web_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "render_peak_rss_mb": round(max(rss) / 1024, 1),
        "docx_bytes": len(docx),
        "docx_s": round(statistics.median(docx_times), 3),
        "docx_python_peak_mb": round(peak_docx / 2**20, 1),
    }


def run_one(size: str, out: Path) -> None:
    """In a fresh process: build one size of data in a fresh database and measure it."""
    workdir = Path(tempfile.mkdtemp(prefix=f"dcplan-report-bench-{size}-"))
    os.environ["DCPLAN_VAR_DIR"] = str(workdir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if size == "demo":
        call_command("loaddata", "gb341_pol4", "offices", verbosity=0)
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    else:
        from bench.generate import generate

        generate(int(size))
    setup_s = round(time.perf_counter() - started, 1)
    # The PDF stays for a look (bench/var is not committed); the database goes.
    result = {"size": size, "setup_s": setup_s, **measure_review(ROOT / "bench" / "var" / "report" / size)}
    out.write_text(json.dumps(result, indent=2))
    from django.db import connections

    connections.close_all()
    shutil.rmtree(workdir, ignore_errors=True)


def write_markdown(results: list[dict], path: Path) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}"
    lines = [
        "# Mid-term review: time and memory to produce the PDF and the Word file",
        "",
        f"Measured by `bench/report_bench.py` on {datetime.date.today():%Y-%m-%d} ({machine}). "
        f"Medians of {REPEATS} runs; peaks are the highest seen. SQLite, one fresh database per size.",
        "",
        "- *demo*: the `make run` data (the plan as adopted, the demo status history and field examples);",
        "- *1×, 10×*: `bench/generate.py` at one and ten times the plan's size (deliverables, histories,",
        "  offices and examples in every state); the cut-off is the day of the run, so every approved and",
        "  citable example is in the review.",
        "",
        "| data | deliverables | examples cited | SQL queries | pages | assembly (s) | HTML (s) "
        "| PDF render (s) | PDF total (s) | web process: Python peak (MB) | render process: peak RSS (MB) "
        "| Word (s) | Word: Python peak (MB) | Word size (KB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        label = "demo" if r["size"] == "demo" else f"{r['size']}×"
        cells = [
            label,
            r["deliverables"],
            r["examples"],
            r["queries"],
            r["pages"],
            r["assembly_s"],
            r["html_s"],
            r["render_wall_s"],
            r["total_s"],
            r["web_python_peak_mb"],
            r["render_peak_rss_mb"],
            r["docx_s"],
            r["docx_python_peak_mb"],
            round(r["docx_bytes"] / 1024),
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    by_size = {r["size"]: r for r in results}
    if "1" in by_size and "10" in by_size:
        one, ten = by_size["1"], by_size["10"]

        def ratio(key: str) -> str:
            return f"{ten[key] / max(one[key], 0.001):.1f}"

        def per_100kb(result: dict) -> str:
            return f"{result['render_wall_s'] / (result['html_bytes'] / 100_000):.2f}"

        lines += [
            "",
            "Growth from 1× to 10× (linear would be about 10× for the work that depends on the data, "
            "less for the totals because of fixed costs such as starting the render process):",
            "",
            f"- PDF pages: ×{ratio('pages')}; HTML size: ×{ratio('html_bytes')}",
            f"- assembly time: ×{ratio('assembly_s')}; render time: ×{ratio('render_wall_s')}; "
            f"total: ×{ratio('total_s')}",
            f"- render time per 100 KB of HTML: {per_100kb(one)} s at 1×, {per_100kb(ten)} s at 10× "
            "(the same or less: the render grows linearly with the document, not faster)",
            f"- render peak memory: ×{ten['render_peak_rss_mb'] / one['render_peak_rss_mb']:.1f}; "
            f"web Python peak: ×{ten['web_python_peak_mb'] / max(one['web_python_peak_mb'], 0.1):.1f}",
            f"- Word file: time ×{ratio('docx_s')}, Python peak ×{ratio('docx_python_peak_mb')}, "
            f"size ×{ratio('docx_bytes')}",
            f"- SQL queries: {one['queries']} and {ten['queries']} (the assembly runs a fixed number)",
        ]
    lines += [
        "",
        "The render time includes starting the child process and importing WeasyPrint (about half a second);",
        "the review is rendered with a time limit (`REPORT_RENDER_TIMEOUT`, 60 s by default). Timings taken",
        "on a machine shared with other jobs vary between runs by up to a factor of two; compare sizes",
        "within one run.",
        "",
    ]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="demo,1,10", help="Comma-separated: demo and/or factors (default demo,1,10)."
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.json)
        return
    results = []
    for size in args.sizes.split(","):
        with tempfile.NamedTemporaryFile(suffix=".json") as handle:
            subprocess.run(
                [sys.executable, __file__, "--one", size, "--json", handle.name], check=True, cwd=ROOT
            )
            result = json.loads(Path(handle.name).read_text())
        print(json.dumps(result))
        results.append(result)
    write_markdown(results, args.out)
    print(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
