"""`make bench`: the whole benchmark suite, in well under ten minutes on two cores.

Each size (1×, 10×, 100× the plan) runs in its own process on its own fresh
SQLite database under bench/var/ (or PostgreSQL: set BENCH_DATABASE_URL to a
database that may be dropped and recreated). Writes bench/results.json and
bench/results.md and prints one line per measurement.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SIZES = [1, 10, 100]


def run_size(factor: int) -> dict:
    var = BENCH / "var" / str(factor)
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    env["DCPLAN_VAR_DIR"] = str(var)
    env.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        _recreate_postgres(env["DATABASE_URL"])
    out = var / "result.json"
    args = [sys.executable, str(BENCH / "size_run.py"), "--factor", str(factor), "--out", str(out), "--pdf"]
    if factor in (1, 100):
        args.append("--throughput")
    subprocess.run(args, cwd=ROOT, env=env, check=True, stderr=subprocess.DEVNULL)
    return json.loads(out.read_text())


def _recreate_postgres(url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    base = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


def run_import() -> dict | None:
    script = BENCH / "import_bench.py"
    if not script.exists():
        return None
    out = BENCH / "var" / "import.json"
    env = {**os.environ, "DCPLAN_VAR_DIR": str(BENCH / "var" / "import")}
    env.pop("DATABASE_URL", None)
    shutil.rmtree(env["DCPLAN_VAR_DIR"], ignore_errors=True)
    Path(env["DCPLAN_VAR_DIR"]).mkdir(parents=True)
    subprocess.run(
        [sys.executable, str(script), "--json", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    measurements = []
    for result in json.loads(out.read_text()):
        for step in ("preview", "confirm"):
            figures = result[step]
            measurements.append(
                {
                    "step": f"{step} {result['format']}",
                    "rows": result["rows"],
                    "seconds": figures["seconds"],
                    "peak_mb": figures["peak_mb"],
                    "queries": figures["queries"],
                }
            )
    return {"measurements": measurements}


def summary_lines(results: dict) -> list[str]:
    lines = []
    for size in results["sizes"]:
        f = size["factor"]
        for page in size["pages"]:
            lines.append(
                f"{f:>3}× page {page['page']:<13} {page['queries']:>3} queries  "
                f"median {page['median_ms']:>7.1f} ms  p95 {page['p95_ms']:>7.1f} ms"
            )
        for t in size.get("throughput", []):
            lines.append(
                f"{f:>3}× load {t['endpoint']:<30} {t['rps']:>7.1f} req/s  "
                f"ratio to ceiling {t['ratio']:.2f}  ({t['requests']} requests, {t['failures']} failed)"
            )
        pdf = size.get("pdf")
        if pdf:
            lines.append(
                f"{f:>3}× pdf  review {pdf['pages']:>4} pages  app {pdf['app_seconds']:>6.2f} s "
                f"{pdf['app_peak_mb']:>6.1f} MB peak  weasyprint-only {pdf['weasyprint_seconds']:>6.2f} s "
                f"{pdf['weasyprint_peak_mb']:>6.1f} MB  ratio {pdf['ratio']:.2f}"
            )
    imp = results.get("import")
    if imp:
        for row in imp.get("measurements", []):
            lines.append(
                f"      import {row['step']:<10} {row['rows']} rows  {row['seconds']:.2f} s  "
                f"{row['peak_mb']:.1f} MB peak  {row.get('queries', '?')} queries"
            )
    return lines


def markdown(results: dict) -> str:
    out = [
        "# dcplan benchmark results",
        "",
        f"Run {results['started']} on {results['machine']} ({results['cpus']} CPUs), Python {results['python']}, "
        f"database {results['database']}; total {results['seconds']:.0f} s. Produced by `make bench` (bench/run.py).",
        "",
        "## Data sizes",
        "",
        "| size | deliverables | status updates | offices | examples | generate (s) |",
        "|---|---|---|---|---|---|",
    ]
    for s in results["sizes"]:
        d = s["data"]
        out.append(
            f"| {s['factor']}× | {d['deliverables']} | {d['status_updates']} | {d['offices']} | "
            f"{d['examples']} | {s['generate_seconds']} |"
        )
    out += [
        "",
        "## Pages (server time in-process, logged in as headquarters staff, 15 requests after a warm-up)",
        "",
        "| page | size | SQL queries | median (ms) | p95 (ms) |",
        "|---|---|---|---|---|",
    ]
    for page in results["sizes"][0]["pages"]:
        for s in results["sizes"]:
            p = next(x for x in s["pages"] if x["page"] == page["page"])
            out.append(
                f"| {p['page']} | {s['factor']}× | {p['queries']} | {p['median_ms']} | {p['p95_ms']} |"
            )
    out += [
        "",
        "## Throughput under load (gunicorn, 2 workers, 127.0.0.1; "
        "300 requests from 4 client threads per endpoint)",
        "",
        "| size | endpoint | requests/s | ratio to the trivial view | failed |",
        "|---|---|---|---|---|",
    ]
    for s in results["sizes"]:
        for t in s.get("throughput", []):
            out.append(f"| {s['factor']}× | {t['endpoint']} | {t['rps']} | {t['ratio']} | {t['failures']} |")
    if any(s.get("pdf") for s in results["sizes"]):
        out += [
            "",
            "## Mid-term review PDF",
            "",
            "Application = assemble from the database + render the templates + WeasyPrint; "
            "WeasyPrint-only = the same HTML rendered from a file.",
            "",
            "| size | pages | app time (s) | app peak memory (MB) | WeasyPrint-only time (s) | "
            "WeasyPrint-only peak (MB) | time ratio app / WeasyPrint |",
            "|---|---|---|---|---|---|---|",
        ]
        for s in results["sizes"]:
            p = s.get("pdf")
            if p:
                out.append(
                    f"| {s['factor']}× | {p['pages']} | {p['app_seconds']} | {p['app_peak_mb']} | "
                    f"{p['weasyprint_seconds']} | {p['weasyprint_peak_mb']} | {p['ratio']} |"
                )
    imp = results.get("import")
    if imp:
        out += [
            "",
            "## Bulk status import",
            "",
            "| step | rows | time (s) | peak memory (MB) | SQL queries |",
            "|---|---|---|---|---|",
        ]
        for row in imp.get("measurements", []):
            out.append(
                f"| {row['step']} | {row['rows']} | {row['seconds']} | {row['peak_mb']} | "
                f"{row.get('queries', '')} |"
            )
    out += ["", "## One line per measurement", "", "```", *summary_lines(results), "```", ""]
    return "\n".join(out)


def main() -> None:
    started = time.time()
    results = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
        "sizes": [],
    }
    for factor in SIZES:
        results["sizes"].append(run_size(factor))
        for line in summary_lines({"sizes": [results["sizes"][-1]]}):
            print(line, flush=True)
    results["import"] = run_import()
    for line in summary_lines({"sizes": [], "import": results["import"]}):
        print(line, flush=True)
    results["seconds"] = round(time.time() - started, 1)
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (BENCH / "results.md").write_text(markdown(results))
    print(f"wrote bench/results.md and bench/results.json in {results['seconds']:.0f} s")


if __name__ == "__main__":
    main()
