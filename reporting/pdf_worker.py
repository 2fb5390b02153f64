"""Turn review HTML into PDF in a separate process, so that the caller can kill it.

Run as `python -m reporting.pdf_worker`: reads one JSON object on stdin
({"html", "base_url", "static_prefix", "static_roots", "options"}: the
options are WeasyPrint's write_pdf options, such as pdf_tags and pdf_variant), writes one JSON line
(what was fetched and refused, the peak memory) then the PDF bytes on stdout.

It does not import Django: it gets everything it needs in its input and is
quick to start. The URL fetcher below is the only way WeasyPrint reads
anything: it serves files under the app's static directories and refuses
everything else (file://, http(s) to any host, data: URLs, paths that
climb out of the static directories).
"""

import json
import resource
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Only what a stylesheet may legitimately pull in.
SERVED_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class RefusedURL(ValueError):
    """The review asked for something outside the app's static files."""


def make_fetcher(static_prefix: str, static_roots: list[str]):
    """A WeasyPrint URL fetcher limited to `static_prefix` + a file under one of `static_roots`."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [Path(root).resolve() for root in static_roots]

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__()
            self.fetched: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            try:
                path = resolve_static(url, static_prefix, roots)
            except RefusedURL:
                self.refused.append(url)
                raise
            self.fetched.append(url)
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": SERVED_TYPES[path.suffix.lower()]}
            )

    return StaticOnlyFetcher()


def resolve_static(url: str, static_prefix: str, roots: list[Path]) -> Path:
    """The file `url` names, or RefusedURL. Pure, so that it can be tested without WeasyPrint."""
    if not url.startswith(static_prefix):
        raise RefusedURL(f"Refused to load {url[:200]!r}: only the application's static files may be used.")
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise RefusedURL(f"Refused to load {url[:200]!r}: static files take no query or fragment.")
    relative = unquote(url[len(static_prefix) :])
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or any(p in ("", ".", "..") for p in relative.split("/"))
    ):
        raise RefusedURL(f"Refused to load {url[:200]!r}: not a plain static path.")
    suffix = Path(relative).suffix.lower()
    if suffix not in SERVED_TYPES:
        raise RefusedURL(f"Refused to load {url[:200]!r}: {suffix or 'no extension'} files are not served.")
    for root in roots:
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise RefusedURL(f"Refused to load {url[:200]!r}: no such static file.")


def render(job: dict) -> tuple[bytes, dict]:
    from weasyprint import HTML

    fetcher = make_fetcher(job["static_prefix"], job["static_roots"])
    started = time.perf_counter()
    options = {name: value for name, value in job.get("options", {}).items() if value is not None}
    pdf = HTML(string=job["html"], base_url=job["base_url"], url_fetcher=fetcher).write_pdf(**options)
    report = {
        "fetched": fetcher.fetched,
        "refused": fetcher.refused,
        "seconds": round(time.perf_counter() - started, 3),
        # ru_maxrss is in kilobytes on Linux.
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    return pdf, report


def main() -> int:
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        pdf, report = render(job)
    except Exception as exc:  # report any failure as one line for the parent
        sys.stderr.write(f"{type(exc).__name__}: {exc}"[:1000])
        return 1
    out = sys.stdout.buffer
    out.write(json.dumps(report).encode("utf-8") + b"\n")
    out.write(pdf)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
