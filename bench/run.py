"""`make bench`: the whole benchmark for one database, within ten minutes on two cores.

SQLite by default (fresh files under bench/var/); PostgreSQL when BENCH_DATABASE_URL
names a database that may be dropped and recreated (every step, the import
included, then runs on it). Two data shapes, "realistic" and "stress" (100×; see
bench/generate.py), each in its own process and fresh database, then the import.
Prints one line per measurement and writes bench/results-<database>.md and .json.

Targets (issue 16): every page ≥ 25 % of the ceiling's throughput, HTML ≤ 100 KB,
median server time at 100× ≤ 2× at 1×; import (preview + confirm) ≤ 3× a raw
bulk_create; review overhead ≤ 1.10× plain WeasyPrint; the large reviews complete
as jobs; a repeat download in < 1 s.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
SHAPES = ["realistic", "stress"]
TARGETS = {"throughput": 0.25, "html_kb": 100, "growth": 2.0, "import": 3.0, "review": 1.10, "repeat_s": 1.0}


def child_env(var: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env["DCPLAN_VAR_DIR"] = str(var)
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        recreate_postgres(env["DATABASE_URL"])
    return env


def fresh_var(name: str) -> Path:
    var = BENCH / "var" / name
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    return var


def recreate_postgres(url: str) -> None:
    parts = urlsplit(url)
    base = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    env = {**os.environ, **({"PGPASSWORD": parts.password} if parts.password else {})}
    name = parts.path.lstrip("/")
    subprocess.run(["dropdb", "--if-exists", "--force", *base, name], check=True, env=env)
    subprocess.run(["createdb", *base, name], check=True, env=env)


def run_shape(shape: str) -> dict:
    var = fresh_var(shape)
    out = var / "result.json"
    args = [sys.executable, str(BENCH / "size_run.py"), "--shape", shape, "--out", str(out)]
    subprocess.run(args, cwd=ROOT, env=child_env(var), check=True)
    return json.loads(out.read_text())


def run_import() -> list[dict]:
    var = fresh_var("import")
    out = var / "import.json"
    args = [sys.executable, str(BENCH / "import_bench.py"), "--json", str(out)]
    subprocess.run(args, cwd=ROOT, env=child_env(var), check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def growth(results: dict) -> list[dict]:
    """Per page: server time and CPU per request at 100× over 1×."""
    by_shape = {s["shape"]: s for s in results["shapes"]}
    if set(by_shape) != set(SHAPES):
        return []
    rows = []
    for page in by_shape["realistic"]["pages"]:
        stress = next(p for p in by_shape["stress"]["pages"] if p["page"] == page["page"])
        load_1 = next(t for t in by_shape["realistic"]["throughput"] if t["page"] == page["page"])
        load_100 = next(t for t in by_shape["stress"]["throughput"] if t["page"] == page["page"])
        rows.append(
            {
                "page": page["page"],
                "median_ms_1x": page["median_ms"],
                "median_ms_100x": stress["median_ms"],
                "time_ratio": round(stress["median_ms"] / page["median_ms"], 2),
                "cpu_ratio": round(load_100["cpu_ms_per_request"] / load_1["cpu_ms_per_request"], 2),
                "queries": f"{page['queries']} / {stress['queries']}",
            }
        )
    return rows


def mark(ok: bool) -> str:
    return "ok" if ok else "SHORT"


def shape_lines(shape: dict) -> list[str]:
    s = shape["shape"]
    lines = [f"{s:<9} data {shape['data']} generated in {shape['generate_seconds']} s"]
    for page in shape["pages"]:
        lines.append(
            f"{s:<9} page {page['page']:<22} {page['queries']:>3} queries  "
            f"median {page['median_ms']:>7.1f} ms  p95 {page['p95_ms']:>7.1f} ms  "
            f"{page['html_kb']:>6.1f} KB {mark(page['html_kb'] <= TARGETS['html_kb'])}"
        )
    for t in shape["throughput"]:
        ok = min(t["rps_ratio"], t["cpu_ratio"]) >= TARGETS["throughput"]
        lines.append(
            f"{s:<9} load {t['page']:<22} {t['rps']:>7.1f} req/s = {t['rps_ratio']:.2f} of ceiling "
            f"({t['ceiling_before_rps']:.0f}/{t['ceiling_after_rps']:.0f} req/s before/after); "
            f"{t['cpu_ms_per_request']:>6.2f} ms server CPU/request = {t['cpu_ratio']:.2f} of ceiling "
            f"({t['ceiling_cpu_ms_per_request']:.2f} ms) {mark(ok)}"
        )
    review = shape.get("review") or {}
    for r in review.get("overhead", []):
        lines.append(
            f"{s:<9} review N={r['citable']:<5} {r['pages']:>4} pages  app {r['app_wall_s']:.2f} s wall "
            f"{r['app_cpu_s']:.2f} s CPU  plain WeasyPrint {r['plain_wall_s']:.2f} s wall "
            f"{r['plain_cpu_s']:.2f} s CPU  "
            f"ratio {r['wall_ratio']:.2f} wall {r['cpu_ratio']:.2f} CPU (median of {r['runs']} alternated) "
            f"{mark(r['cpu_ratio'] <= TARGETS['review'])}"
        )
    for r in review.get("jobs", []):
        lines.append(
            f"{s:<9} review job N={r['citable']:<5} {r['pages']:>4} pages  job {r['job_wall_s']:.1f} s wall "
            f"{r['job_cpu_s']:.1f} s CPU  request {r['request_s']:.3f} s  repeat download "
            f"{r['repeat_download_s']:.3f} s {mark(r['repeat_download_s'] < TARGETS['repeat_s'])}"
        )
    return lines


def import_lines(rows: list[dict]) -> list[str]:
    return [
        f"import    {r['format']} {r['rows']} rows on {r['database']}: "
        f"preview {r['preview']['seconds']:.2f} s "
        f"({r['preview']['queries']} queries) + confirm {r['confirm']['seconds']:.2f} s "
        f"({r['confirm']['queries']} queries) vs raw bulk_create {r['raw']['seconds']:.2f} s "
        f"({r['raw']['queries']} queries): ×{r['ratio']:.2f} wall ×{r['cpu_ratio']:.2f} CPU "
        f"{mark(r['ratio'] <= TARGETS['import'])}"
        for r in rows
    ]


def growth_lines(rows: list[dict]) -> list[str]:
    return [
        f"growth    {g['page']:<22} {g['median_ms_1x']:>7.1f} → {g['median_ms_100x']:>7.1f} ms "
        f"= ×{g['time_ratio']:.2f}"
        f" (server CPU/request ×{g['cpu_ratio']:.2f}; queries {g['queries']}) "
        f"{mark(g['time_ratio'] <= TARGETS['growth'])}"
        for g in rows
    ]


def markdown(results: dict) -> str:
    out = [
        f"# dcplan bench: {results['database']}",
        "",
        f"`make bench` (bench/run.py), {results['started']}, {results['machine']} "
        f"with {results['cpus']} CPUs, "
        f"Python {results['python']}, database {results['database']}; {results['seconds']:.0f} s in all. "
        'DEBUG off. How to read these figures: README, "Performance: the bench".',
        "",
        "## Data",
        "",
        "| shape | deliverables | status updates | offices | examples | citable | generated in (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["shapes"]:
        d = s["data"]
        out.append(
            f"| {s['shape']} | {d['deliverables']} | {d['status_updates']:,} | {d['offices']} "
            f"| {d['examples']:,} | {d['citable_examples']:,} | {s['generate_seconds']} |"
        )
    out += [
        "",
        "## Pages",
        "",
        "Server time in-process (Django's test client, DEBUG off, headquarters staff, median of 15 requests "
        "after a warm-up); under load: gunicorn, 2 workers, 2 client threads for a fixed time, the ceiling "
        "(`/livez`) run just before and just after each page. *req/s ratio*: the page's requests per second "
        "over the mean ceiling's; *CPU ratio*: the ceiling's server CPU per request (read from the workers) "
        "over the page's — the same figure without the client's share of the two cores.",
        "",
        "| shape | page | queries | median (ms) | p95 (ms) | HTML (KB) | req/s | ceiling before / after | "
        "req/s ratio | server CPU / request (ms) | CPU ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["shapes"]:
        loads = {t["page"]: t for t in s["throughput"]}
        for p in s["pages"]:
            t = loads[p["page"]]
            out.append(
                f"| {s['shape']} | [{p['page']}]({p['url']}) | {p['queries']} | {p['median_ms']} "
                f"| {p['p95_ms']} | {p['html_kb']} | {t['rps']} "
                f"| {t['ceiling_before_rps']:.0f} / {t['ceiling_after_rps']:.0f} "
                f"| {t['rps_ratio']} | {t['cpu_ms_per_request']} | {t['cpu_ratio']} |"
            )
    if results["growth"]:
        out += [
            "",
            "## Growth from realistic (1×) to stress (100×)",
            "",
            "| page | median 1× (ms) | median 100× (ms) | ratio | server CPU per request, ratio "
            "| queries 1× / 100× |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for g in results["growth"]:
            out.append(
                f"| {g['page']} | {g['median_ms_1x']} | {g['median_ms_100x']} | {g['time_ratio']} "
                f"| {g['cpu_ratio']} | {g['queries']} |"
            )
    out += [
        "",
        "## The review",
        "",
        '"The plan × N citable examples". Overhead: the application\'s path (assemble, compose, HTML, '
        "WeasyPrint in its child process) alternated with plain WeasyPrint on the same HTML, medians. Jobs: "
        "requested as the preview page does, rendered by `manage.py db_worker --batch`; then the same "
        "request again and the download, timed.",
        "",
        "| shape | N citable | pages | app wall (s) | app CPU (s) | plain wall (s) | plain CPU (s) | "
        "wall ratio | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["shapes"]:
        for r in (s.get("review") or {}).get("overhead", []):
            out.append(
                f"| {s['shape']} | {r['citable']} | {r['pages']} | {r['app_wall_s']} | {r['app_cpu_s']} "
                f"| {r['plain_wall_s']} | {r['plain_cpu_s']} | {r['wall_ratio']} | {r['cpu_ratio']} |"
            )
    out += [
        "",
        "| shape | N citable | pages | PDF (KB) | request (s) | job wall (s) | job CPU (s) "
        "| repeat download (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in results["shapes"]:
        for r in (s.get("review") or {}).get("jobs", []):
            out.append(
                f"| {s['shape']} | {r['citable']} | {r['pages']} | {r['pdf_kb']} | {r['request_s']} "
                f"| {r['job_wall_s']} | {r['job_cpu_s']} | {r['repeat_download_s']} |"
            )
    out += [
        "",
        "## Import",
        "",
        "5,000 status rows, one per deliverable, each changing its deliverable; raw = the same rows as "
        "StatusUpdate objects in one `bulk_create`, nothing checked. Medians of alternated runs, each "
        "rolled back.",
        "",
        "| file | rows | database | preview (s) | preview queries | confirm (s) | confirm queries | "
        "raw bulk_create (s) | raw queries | (preview + confirm) / raw, wall | CPU |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["import"]:
        out.append(
            f"| {r['format']} | {r['rows']:,} | {r['database']} | {r['preview']['seconds']} | "
            f"{r['preview']['queries']} | {r['confirm']['seconds']} | {r['confirm']['queries']} | "
            f"{r['raw']['seconds']} | {r['raw']['queries']} | {r['ratio']} | {r['cpu_ratio']} |"
        )
    out += ["", "## One line per measurement", "", "```", *all_lines(results), "```", ""]
    return "\n".join(out)


def all_lines(results: dict) -> list[str]:
    lines = []
    for shape in results["shapes"]:
        lines += shape_lines(shape)
    lines += growth_lines(results["growth"])
    lines += import_lines(results["import"])
    return lines


def main() -> None:
    started = time.time()
    database = "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite"
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": database,
        "shapes": [],
        "growth": [],
        "import": [],
    }
    for shape in SHAPES:
        results["shapes"].append(run_shape(shape))
        for line in shape_lines(results["shapes"][-1]):
            print(line, flush=True)
    results["growth"] = growth(results)
    for line in growth_lines(results["growth"]):
        print(line, flush=True)
    results["import"] = run_import()
    for line in import_lines(results["import"]):
        print(line, flush=True)
    results["seconds"] = round(time.time() - started, 1)
    (BENCH / f"results-{database}.json").write_text(json.dumps(results, indent=2) + "\n")
    (BENCH / f"results-{database}.md").write_text(markdown(results))
    print(f"wrote bench/results-{database}.md and .json in {results['seconds']:.0f} s")


if __name__ == "__main__":
    main()
