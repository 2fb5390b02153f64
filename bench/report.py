"""The mid-term review inside `make bench`, as "the plan × N citable examples".

- Overhead: for small N, the application's path (reporting.services.review_render,
  what the background job runs: assemble, compose, HTML, WeasyPrint in its child
  process) alternated with plain WeasyPrint on the very same HTML in a fresh
  interpreter (app, plain, app, plain, …), REPEATS times each; medians of wall
  time and of CPU time (this process plus its children).
- Jobs: the large reviews (1,000 citable examples; the 100× data) are requested
  through renders.services.review_render_request, as the preview page's button
  does, and rendered by django-tasks' own worker (`manage.py db_worker --batch`),
  so the job runs as in production; then the same request again is timed with
  the download of the PDF (an unchanged cut-off: served from the stored render).
"""

import io
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 3
# Small reviews timed alternately, large ones as jobs (one run each: minutes apiece).
OVERHEAD_N = {"realistic": (0, 100), "stress": ()}
JOB_N = {"realistic": (1000,), "stress": (1000,)}

# Plain WeasyPrint in a fresh interpreter, like the application's render child,
# with the same option (tagged PDF).
PLAIN = """
import sys, weasyprint
weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_tags=True)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(step) -> tuple[object, float, float]:
    """(result, wall seconds, CPU seconds of this process and its children)."""
    cpu = time.process_time() + _children_cpu()
    wall = time.perf_counter()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() + _children_cpu() - cpu


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure_overhead(plan, as_of, cover, out_dir: Path) -> dict:
    from django.conf import settings

    from renders.tasks import JOB_TIMEOUT
    from reporting.rendering import review_pdf_html
    from reporting.services import review_document, review_render

    html = review_pdf_html(review_document(plan=plan, as_of=as_of, cover=cover))
    # The application serves its stylesheets to WeasyPrint from a private address;
    # plain WeasyPrint reads the same files from disk.
    static = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri()
    source = out_dir / "review.html"
    source.write_text(re.sub(r"https://dcplan\.invalid/static", static, html))
    target = out_dir / "plain.pdf"

    def app():
        return review_render(plan=plan, as_of=as_of, cover=cover, timeout=JOB_TIMEOUT).pdf

    def plain():
        subprocess.run(
            [sys.executable, "-c", PLAIN, str(source), str(target)], check=True, timeout=JOB_TIMEOUT
        )

    runs = {"app": [], "plain": []}
    for _ in range(REPEATS):
        pdf, wall, cpu = _timed(app)
        runs["app"].append((wall, cpu))
        _, wall, cpu = _timed(plain)
        runs["plain"].append((wall, cpu))
    app_wall, app_cpu = (statistics.median(r[i] for r in runs["app"]) for i in (0, 1))
    plain_wall, plain_cpu = (statistics.median(r[i] for r in runs["plain"]) for i in (0, 1))
    return {
        "pages": _pages(pdf),
        "html_kb": round(len(html.encode()) / 1024),
        "runs": REPEATS,
        "app_wall_s": round(app_wall, 2),
        "app_cpu_s": round(app_cpu, 2),
        "plain_wall_s": round(plain_wall, 2),
        "plain_cpu_s": round(plain_cpu, 2),
        "wall_ratio": round(app_wall / plain_wall, 3),
        "cpu_ratio": round(app_cpu / plain_cpu, 3),
    }


def measure_job(plan, as_of, cover, user) -> dict:
    from django.test import Client
    from django.urls import reverse

    from renders.models import ReviewRender
    from renders.services import review_render_request

    def ask() -> ReviewRender:
        return review_render_request(plan=plan, as_of=as_of, cover=cover, language="en", user=user)

    (job, request_s, _cpu) = _timed(ask)
    assert job.state_choice == ReviewRender.State.QUEUED, job.state
    worker = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"]
    _, job_s, job_cpu = _timed(lambda: subprocess.run(worker, cwd=ROOT, check=True, capture_output=True))
    job.refresh_from_db()
    assert job.state_choice == ReviewRender.State.READY, (job.state, job.error)
    pdf = bytes(job.pdf)

    client = Client()
    client.force_login(user)

    def repeat() -> bytes:
        again = ask()
        assert again.pk == job.pk and again.state_choice.is_ready, (again.pk, again.state)
        response = client.get(reverse("renders:download", args=[again.pk]))
        assert response.status_code == 200, response.status_code
        return response.content

    repeats = [_timed(repeat) for _ in range(REPEATS)]
    assert repeats[0][0] == pdf
    return {
        "pages": _pages(pdf),
        "pdf_kb": round(len(pdf) / 1024),
        "request_s": round(request_s, 3),
        "job_wall_s": round(job_s, 1),
        "job_cpu_s": round(job_cpu, 1),
        "repeat_download_s": round(statistics.median(r[1] for r in repeats), 3),
    }


def measure_reviews(shape: str, out_dir: Path) -> dict:
    """Every review measurement for one data shape; prints one line each as it goes."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from bench.generate import cite_only
    from deliverables.models import Plan
    from reporting.document import default_cover

    plan = Plan.objects.current()
    cover = default_cover(plan)
    as_of = timezone.localdate()
    user = User.objects.get(username="pardev")
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"overhead": [], "jobs": []}
    for n in OVERHEAD_N[shape]:
        row = {"citable": cite_only(n), **measure_overhead(plan, as_of, cover, out_dir)}
        results["overhead"].append(row)
        print(f"    review N={n}: {row}", file=sys.stderr, flush=True)
    for n in JOB_N[shape]:
        row = {"citable": cite_only(n), **measure_job(plan, as_of, cover, user)}
        results["jobs"].append(row)
        print(f"    review job N={n}: {row}", file=sys.stderr, flush=True)
    return results
