"""One benchmark size in its own process and its own database.

    python bench/size_run.py --factor 10 --out bench/var/10/result.json [--throughput]

Builds the data (bench/generate.py), then measures the pages in-process with
Django's test client (SQL query count, median and 95th-percentile server time),
optionally the throughput of a gunicorn server under a bounded load, and the
mid-term review PDF when the reporting benchmark is importable.
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

PAGES = {
    "dashboard": "/dashboard/",
    "list": "/deliverables/",
    "deliverable": "/deliverables/1.4.1/",
    "review-queue": "/review/",
    "coverage": "/coverage/",
}
REPEATS = 15
LOAD_REQUESTS = 300
LOAD_CONCURRENCY = 4
BENCH_SECRET_KEY = "bench-only-" + "x7Kq2Lm9" * 6


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (e.g. to the log-in page) is a failed request, not a success."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure_pages() -> list[dict]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username="pardev"))
    results = []
    for name, url in PAGES.items():
        client.get(url)  # warm caches and templates
        times, queries = [], set()
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.add(len(captured))
        results.append(
            {
                "page": name,
                "url": url,
                "queries": max(queries),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
            }
        )
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


def load(url: str, cookie: str, requests: int = LOAD_REQUESTS, concurrency: int = LOAD_CONCURRENCY) -> dict:
    """A bounded load: exactly `requests` GETs from `concurrency` threads."""
    remaining = list(range(requests))
    lock = threading.Lock()
    failures = []

    def worker():
        while True:
            with lock:
                if not remaining:
                    return
                remaining.pop()
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            try:
                with OPENER.open(request, timeout=10) as response:
                    response.read()
                    if response.status != 200:
                        failures.append(response.status)
            except Exception as exc:  # noqa: BLE001 - counted and reported
                failures.append(repr(exc))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": requests,
        "failures": len(failures),
        "seconds": round(elapsed, 2),
        "rps": round(requests / elapsed, 1),
    }


def measure_throughput(env: dict) -> list[dict]:
    port = 18000 + os.getpid() % 1000
    cookie = session_cookie("pardev")
    log = open(Path(env["DCPLAN_VAR_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dcplan.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/livez", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start: see {log.name}")
        results = []
        ceiling = load(base + "/livez", cookie)
        results.append({"endpoint": "livez (trivial view, ceiling)", **ceiling, "ratio": 1.0})
        for name in ("dashboard", "list"):
            load(base + PAGES[name], cookie, requests=10)  # warm-up
            measured = load(base + PAGES[name], cookie)
            results.append(
                {"endpoint": name, **measured, "ratio": round(measured["rps"] / ceiling["rps"], 3)}
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
    parser.add_argument("--factor", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--throughput", action="store_true")
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()

    import django

    # The server under load must read the sessions made here: same secret key.
    os.environ["SECRET_KEY"] = BENCH_SECRET_KEY
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")
    django.setup()
    from django.core.management import call_command

    from bench.generate import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = generate(args.factor)
    result = {
        "factor": args.factor,
        "data": counts,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }
    result["pages"] = measure_pages()
    if args.throughput:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
        }
        # Production static files (hashed names, compressed) as `make serve` has them.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        result["throughput"] = measure_throughput(env)
    if args.pdf:
        from bench.report import measure_review

        result["pdf"] = measure_review(args.out.parent)
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
