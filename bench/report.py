"""The mid-term review PDF inside `make bench`: the application's own path
(assemble from the database, compose, render in the time-limited child process)
next to plain WeasyPrint rendering the very same HTML from a file, so that the
application's overhead shows as a ratio."""

import re
import subprocess
import sys
import time
from pathlib import Path

from bench.report_bench import measure_review as measure_app

ROOT = Path(__file__).resolve().parent.parent

# Plain WeasyPrint in a fresh interpreter, like the application's render child:
# prints seconds and the peak resident memory (KB).
PLAIN = """
import resource, sys, time
started = time.perf_counter()
import weasyprint
weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure_review(out_dir: Path) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from deliverables.models import Plan
    from reporting.assembly import assemble_review
    from reporting.document import compose, default_cover
    from reporting.rendering import review_pdf_html

    app = measure_app(out_dir, repeats=1)

    plan = Plan.objects.current()
    html = review_pdf_html(compose(assemble_review(plan, timezone.localdate()), default_cover(plan)))
    # The application serves its stylesheets to WeasyPrint from a private address;
    # plain WeasyPrint reads the same files from disk.
    static = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri()
    html = re.sub(r"https://dcplan\.invalid/static", static, html)
    source = Path(out_dir) / "review.html"
    source.write_text(html)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PLAIN, str(source), str(Path(out_dir) / "plain.pdf")],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    wall = time.perf_counter() - started
    _, peak_kb = done.stdout.split()
    app_seconds = app["total_s"]
    app_peak = max(app["render_peak_rss_mb"], app["web_process_peak_rss_mb"])
    return {
        "pages": app["pages"],
        "queries": app["queries"],
        "html_kb": round(len(html.encode()) / 1024),
        "app_seconds": round(app_seconds, 2),
        "app_peak_mb": round(app_peak, 1),
        "weasyprint_seconds": round(wall, 2),
        "weasyprint_peak_mb": round(int(peak_kb) / 1024, 1),
        "ratio": round(app_seconds / wall, 2),
    }
