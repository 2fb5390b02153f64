"""python manage.py midterm_review --as-of 2022-12-31 --output review.pdf [--format docx] [--symbol …]"""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from deliverables.models import Plan
from reporting.forms import CoverForm
from reporting.rendering import RenderError
from reporting.services import review_docx_render, review_render

# Command-line option → form field, for every cover value.
COVER_OPTIONS = [
    "session",
    "place",
    "session_dates",
    "symbol",
    "section",
    "section_code",
    "segment",
    "document_date",
    "original_language",
    "agenda_item",
    "title",
    "purpose",
    "strategic_objective",
    "main_outcome",
    "policy_implications",
    "legal_implications",
    "financial_implications",
    "follow_up",
    "author_unit",
    "related_documents",
    "decision",
]


class Command(BaseCommand):
    help = (
        "Write the mid-term review as of a cut-off date to a PDF or Word file: the same document as the "
        "web page's downloads (a draft, marked DRAFT). Cover values not given keep their defaults."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="The cut-off date.")
        parser.add_argument(
            "--output", required=True, metavar="FILE", help="Where to write the file ('-' for stdout)."
        )
        parser.add_argument(
            "--format", choices=["pdf", "docx"], default="pdf", help="PDF (the default) or Word (.docx)."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="en",
            help="The document's language (default: en). Refused when a text the review prints "
            "does not exist in it.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Stop rendering after this many seconds (default: REPORT_RENDER_TIMEOUT).",
        )
        for name in COVER_OPTIONS:
            label = CoverForm.base_fields[name].label
            parser.add_argument(
                f"--{name.replace('_', '-')}", dest=name, default=None, help=f"Cover: {label}."
            )

    def handle(self, *args, **options) -> None:
        try:
            plan = Plan.objects.current()
        except Plan.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        data = {"as_of": options["as_of"], "language": options["language"]}
        data.update({name: options[name] for name in COVER_OPTIONS if options[name] is not None})
        form = CoverForm.with_defaults(data, plan=plan)
        if not form.is_valid():
            raise CommandError(form.first_error())
        output = options["output"]
        if output != "-" and not Path(output).parent.is_dir():
            raise CommandError(f"Cannot write {output}: the folder {Path(output).parent} does not exist.")
        as_of, cover, language = form.cleaned_data["as_of"], form.cover(), form.cleaned_data["language"]
        started = time.perf_counter()
        if options["format"] == "docx":
            content = review_docx_render(plan=plan, as_of=as_of, cover=cover, language=language)
        else:
            try:
                content = review_render(
                    plan=plan, as_of=as_of, cover=cover, timeout=options["timeout"], language=language
                ).pdf
            except RenderError as error:
                raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        try:
            Path(output).write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(
            f"Wrote {output} ({len(content)} bytes, {seconds:.1f} s): "
            f"{form.cleaned_data['symbol']} as of {as_of:%Y-%m-%d} ({language})."
        )
