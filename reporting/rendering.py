"""From a composed review to HTML (templates) and to PDF (WeasyPrint, in a
separate process that is killed when it takes too long)."""

import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .document import ReviewDocument
from .house_style import typography

log = logging.getLogger("dcplan.reporting")

# Static files are addressed under an origin that does not exist (.invalid
# never resolves): the URL fetcher maps it to files on disk and refuses
# every other URL, so nothing in the document can reach the network.
PDF_ORIGIN = "https://dcplan.invalid"
PDF_STATIC_PREFIX = f"{PDF_ORIGIN}/static/"
DEFAULT_TIMEOUT = 60
# Every PDF is tagged (structure tree, language, alternative texts) for screen
# readers; issued copies are also archival. PDF/A-3a is the PDF/A level that
# requires tags ("accessible"), and the one WeasyPrint produces with them.
ISSUED_VARIANT = "pdf/a-3a"


class RenderError(Exception):
    """The PDF could not be produced. The message is meant for the user; `detail` for the log."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail or message


class RenderTimeout(RenderError):
    pass


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    fetched: tuple[str, ...]  # URLs the fetcher served
    refused: tuple[str, ...]  # URLs the fetcher was asked for and refused
    seconds: float
    peak_rss_kb: int  # of the rendering process


def review_context(document: ReviewDocument) -> dict:
    return {"doc": document, "review": document.review, "cover": document.cover}


# A tag or a character reference: French spacing never goes inside either (the
# escaped apostrophe of "Employers&#x27; group" would otherwise gain a space before its ";").
_TAG = re.compile(r"(<[^>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


def typeset(html: str, language: str) -> str:
    """`html` with the language's spacing applied to its text, never inside a tag
    or a character reference (French: no-break spaces before : ; ! ? and inside « »)."""
    if not html or not language.startswith("fr"):
        return html
    parts = _TAG.split(html)
    return "".join(part if n % 2 else typography(part, language) for n, part in enumerate(parts))


def _render_in_language(template: str, document: ReviewDocument, extra: dict | None = None) -> str:
    """A template of the document rendered in the document's language, whatever the
    interface's: labels, dates and numbers all follow `document.language`."""
    context = review_context(document) | {"language": document.language} | (extra or {})
    with translation.override(document.language):
        return typeset(render_to_string(template, context), document.language)


def review_pdf_html(document: ReviewDocument) -> str:
    """The standalone HTML document WeasyPrint turns into the PDF; its `lang`
    (hence the PDF's language) is the document's."""
    return _render_in_language("reporting/review_pdf.html", document, {"pdf_static": PDF_STATIC_PREFIX})


def review_preview_html(document: ReviewDocument) -> SafeString:
    """The document for the preview page, in its own language inside a page that
    may be in another (the fragment says which, in its `lang`)."""
    return mark_safe(_render_in_language("reporting/includes/document.html", document))


def static_roots() -> list[str]:
    """The app's own static directories (STATICFILES_DIRS), the only files the PDF may load."""
    roots = []
    for entry in settings.STATICFILES_DIRS:
        path = entry[1] if isinstance(entry, list | tuple) else entry
        roots.append(str(Path(path).resolve()))
    return roots


def render_timeout() -> float:
    return float(getattr(settings, "REPORT_RENDER_TIMEOUT", DEFAULT_TIMEOUT))


def render_pdf(html: str, *, timeout: float | None = None, issued: bool = False) -> RenderResult:
    """Run WeasyPrint on `html` in a child process; kill it after `timeout` seconds.
    The PDF is tagged; `issued` makes it PDF/A as well."""
    timeout = render_timeout() if timeout is None else timeout
    job = {
        "html": html,
        "base_url": f"{PDF_ORIGIN}/",
        "static_prefix": PDF_STATIC_PREFIX,
        "static_roots": static_roots(),
        "options": {"pdf_tags": True, "pdf_variant": ISSUED_VARIANT if issued else None},
    }
    env = os.environ | {"PYTHONPATH": str(settings.BASE_DIR), "PYTHONHASHSEED": "0"}
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "reporting.pdf_worker"],
            input=json.dumps(job).encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            cwd=settings.BASE_DIR,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderTimeout(
            _(
                "The PDF took longer than %(seconds)s seconds to produce and was stopped. "
                "Try again later; if it keeps happening, tell the administrator."
            )
            % {"seconds": f"{timeout:g}"},
            detail=f"PDF rendering stopped after {timeout:g} seconds",
        ) from None
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(
            _("The PDF could not be produced. The error was logged for the administrator."),
            detail=f"PDF rendering failed ({completed.returncode}): {lines[-1] if lines else 'no message'}",
        )
    header, _newline, pdf = completed.stdout.partition(b"\n")
    report = json.loads(header)
    if report["refused"]:
        # Our templates link nothing outside the static files: a refusal means
        # markup got into the document that should not have.
        log.warning("PDF rendering: refused to load %s", report["refused"])
    return RenderResult(
        pdf=pdf,
        fetched=tuple(report["fetched"]),
        refused=tuple(report["refused"]),
        seconds=report["seconds"],
        peak_rss_kb=report["peak_rss_kb"],
    )


def review_pdf(
    document: ReviewDocument, *, timeout: float | None = None, issued: bool = False
) -> RenderResult:
    """The review as PDF. A document composed as a draft carries the DRAFT mark on every page;
    `issued` also makes the file archival (PDF/A)."""
    return render_pdf(review_pdf_html(document), timeout=timeout, issued=issued)
