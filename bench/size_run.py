"""One data shape in its own process and its own database (the one DATABASE_URL
names, else SQLite under DCPLAN_VAR_DIR).

    python bench/size_run.py --shape realistic --out bench/var/realistic/result.json

Builds the data (bench/generate.py), then for every page:
- in-process with DEBUG off: SQL queries (one captured request), median and
  95th-percentile server time of plain requests, HTML size;
- under load on gunicorn (DEBUG off, 2 workers, production static files): the
  trivial /livez view (the ceiling) before and after the page, each run for a
  fixed time from 2 client threads; requests per second, and the server CPU per
  request read from the worker processes (/proc/<pid>/stat), which the client's
  own CPU use does not distort.
Then the review (bench/report.py).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEATS = 15
CLIENT_THREADS = 2
CEILING_SECONDS = 1.0
PAGE_SECONDS = 2.0
PAGE_MIN_REQUESTS = 20
PAGE_MAX_SECONDS = 20
BENCH_SECRET_KEY = "bench-only-" + "x7Kq2Lm9" * 6
# Production settings (as `make serve` runs), except HTTPS: the bench talks plain HTTP to 127.0.0.1.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": BENCH_SECRET_KEY,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
}
TICKS = os.sysconf("SC_CLK_TCK")


def pages() -> dict[str, str]:
    """Every main GET page, with filtered and page-2 addresses; resolved on the generated data."""
    from deliverables.models import Deliverable, Office, Region
    from planning.models import ReportingRound

    deliverable = Deliverable.objects.in_code_order().first()
    office = Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).order_by("pk")[1]
    region = Region.objects.order_by("pk").first()
    found = {
        "dashboard": "/dashboard/",
        "list": "/deliverables/",
        "list-filtered": "/deliverables/?status=at_risk&status=delayed&q=capacity",
        "list-page-2": "/deliverables/?page=2",
        "deliverable": f"/deliverables/{deliverable.code}/",
        "review-queue": "/review/",
        "review-queue-filtered": f"/review/?state=approved&office={office.code}",
        "review-queue-page-2": "/review/?state=approved&page=2",
        "coverage": "/coverage/",
        "coverage-region": f"/coverage/?region={region.code}",
        "timeline": "/timeline/",
        "rounds": "/rounds/",
        "reminders": "/reminders/",
        "review-preview": "/reports/midterm/",
    }
    round_ = ReportingRound.objects.order_by("pk").first()
    if round_:
        found["round"] = f"/rounds/{round_.pk}/"
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def count_queries(client, url: str) -> int:
    """Counted through a wrapper: with DEBUG off, the end of the request may
    recycle the connection and lose a CaptureQueriesContext's log."""
    from django.db import connection

    captured = []

    def count(execute, *args):
        captured.append(1)
        return execute(*args)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(captured)


def measure_pages(urls: dict[str, str]) -> list[dict]:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="pardev"))
    results = []
    for name, url in urls.items():
        started = time.perf_counter()
        response = client.get(url)  # warm caches and templates
        warm_up = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        queries = count_queries(client, url)
        times = []
        # A slow page gets fewer repeats (at least 3): the whole bench must fit in ten minutes.
        for _ in range(max(3, min(REPEATS, int(3 / max(warm_up, 0.001))))):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        results.append(
            {
                "page": name,
                "url": url,
                "queries": queries,
                "html_kb": round(len(response.content) / 1024, 1),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
            }
        )
        print(f"    page {name:<22} {results[-1]['median_ms']:>8.1f} ms", file=sys.stderr, flush=True)
    return results


def session_cookie(username: str) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User

    user = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (e.g. to the log-in page) is a failed request, not a success."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def worker_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by the gunicorn master's children, its workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def load(url: str, cookie: str, master: int, *, seconds: float, min_requests: int = 1) -> dict:
    """GET `url` from CLIENT_THREADS threads for `seconds` (and at least `min_requests`
    requests, at most PAGE_MAX_SECONDS); requests per second and server CPU per request."""
    done, failures = [0], []
    lock = threading.Lock()
    started = time.perf_counter()

    def worker():
        while True:
            elapsed = time.perf_counter() - started
            with lock:
                if elapsed > PAGE_MAX_SECONDS or (elapsed > seconds and done[0] >= min_requests):
                    return
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            try:
                with OPENER.open(request, timeout=30) as response:
                    response.read()
                    if response.status != 200:
                        failures.append(response.status)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                failures.append(repr(exc))
            with lock:
                done[0] += 1

    cpu_before = worker_cpu(master)
    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = worker_cpu(master) - cpu_before
    return {
        "requests": done[0],
        "failures": len(failures),
        "rps": round(done[0] / elapsed, 1),
        "cpu_ms_per_request": round(1000 * cpu / max(done[0], 1), 2),
    }


def measure_throughput(env: dict, urls: dict[str, str]) -> list[dict]:
    port = 18000 + os.getpid() % 1000
    cookie = session_cookie("pardev")
    log = open(Path(env["DCPLAN_VAR_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/livez", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start: see {log.name}")
        results = []
        for name, url in urls.items():
            load(base + url, cookie, server.pid, seconds=0, min_requests=4)  # warm-up
            before = load(base + "/livez", cookie, server.pid, seconds=CEILING_SECONDS)
            page = load(base + url, cookie, server.pid, seconds=PAGE_SECONDS, min_requests=PAGE_MIN_REQUESTS)
            after = load(base + "/livez", cookie, server.pid, seconds=CEILING_SECONDS)
            ceiling_rps = (before["rps"] + after["rps"]) / 2
            ceiling_cpu = (before["cpu_ms_per_request"] + after["cpu_ms_per_request"]) / 2
            row = {
                "page": name,
                **page,
                "ceiling_before_rps": before["rps"],
                "ceiling_after_rps": after["rps"],
                "ceiling_cpu_ms_per_request": round(ceiling_cpu, 3),
                "rps_ratio": round(page["rps"] / ceiling_rps, 3),
                "cpu_ratio": round(ceiling_cpu / max(page["cpu_ms_per_request"], 0.01), 3),
                "failures": page["failures"] + before["failures"] + after["failures"],
            }
            results.append(row)
            print(
                f"    load {name:<22} {row['rps']:>7.1f} req/s ({row['rps_ratio']:.2f} of ceiling), "
                f"{row['cpu_ms_per_request']:>7.2f} ms CPU/request ({row['cpu_ratio']:.2f})",
                file=sys.stderr,
                flush=True,
            )
        if any(r["failures"] for r in results):
            raise RuntimeError(f"failed requests under load: {results}; see {log.name}")
        return results
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", required=True, choices=["realistic", "stress"])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--no-review", action="store_true")
    args = parser.parse_args()

    import django

    # Every measurement, in this process and in the server, runs with DEBUG off;
    # the server must also read the sessions made here: same secret key.
    os.environ.update(PRODUCTION_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import generate

    call_command("migrate", verbosity=0)
    # Production static files (hashed names, compressed) as `make serve` has them.
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    counts = generate(args.shape)
    if connection.vendor == "postgresql":
        # In production autovacuum analyses a table soon after a large change;
        # right after a bulk load the planner would still work from empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    result = {
        "shape": args.shape,
        "database": connection.vendor,
        "data": counts,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }
    print(f"  {args.shape}: data {counts} in {result['generate_seconds']} s", file=sys.stderr, flush=True)
    urls = pages()
    result["pages"] = measure_pages(urls)
    result["throughput"] = measure_throughput(dict(os.environ), urls)
    if not args.no_review:
        from bench.report import measure_reviews

        result["review"] = measure_reviews(args.shape, args.out.parent)
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
