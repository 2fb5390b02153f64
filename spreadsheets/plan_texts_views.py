"""The translators' spreadsheet of plan texts (spreadsheets.plan_texts): the
export, and the import's upload → preview → confirm, on the tools of the other
imports (reading, kept previews, one-time confirmation)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dcplan.access import Perm, permission_required
from dcplan.once import AlreadyDone
from deliverables.selectors import current_plan

from . import exports, reading
from .forms import ConfirmForm, UploadForm
from .plan_texts import (
    KINDS,
    PLAN_TEXT_COLUMNS,
    plan_text_rows,
    plan_texts_ignored_columns,
    plan_texts_import_apply,
    plan_texts_preview,
)
from .previews import preview_discard
from .status_import import PreviewOutdated
from .views import (
    _already_imported,
    _check_upload,
    _claim,
    _confirmed_preview,
    _flagged,
    _not_imported,
    _saved_preview,
)

KIND = "plan_texts"
UPLOAD = "spreadsheets/plan_texts_upload.html"


def _context() -> dict:
    return {"columns": PLAN_TEXT_COLUMNS, "kinds": KINDS, "max_rows": reading.MAX_ROWS}


@require_GET
@permission_required(Perm.TRANSLATE_PLAN_TEXTS)
def export_plan_texts(request: HttpRequest) -> HttpResponse:
    file_format = request.GET.get("format", "xlsx")
    if file_format not in exports.WRITERS:
        raise Http404("Unknown format.")
    write, content_type = exports.WRITERS[file_format]
    response = HttpResponse(write(plan_text_rows(current_plan())), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="dcplan-plan-texts.{file_format}"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required(Perm.TRANSLATE_PLAN_TEXTS)
def import_plan_texts(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, UPLOAD, _context() | {"form": UploadForm()})
    return _check_upload(request, KIND, UPLOAD, _context(), plan_texts_preview)


@require_GET
@permission_required(Perm.TRANSLATE_PLAN_TEXTS)
def import_plan_texts_preview(request: HttpRequest, token: str) -> HttpResponse:
    saved = _saved_preview(request, KIND, token)
    context = {
        "filename": saved.filename,
        "encoding": saved.table.encoding,
        "changes": [row for row in saved.rows if not row.get("unchanged")],
        "unchanged": [row["row"] for row in saved.rows if row.get("unchanged")],
        "confirm_form": ConfirmForm(initial={"token": token}),
    } | _flagged(saved, saved.rows, plan_texts_ignored_columns(saved.table))
    return render(request, "spreadsheets/plan_texts_preview.html", context)


@require_POST
@permission_required(Perm.TRANSLATE_PLAN_TEXTS)
def import_plan_texts_confirm(request: HttpRequest) -> HttpResponse:
    saved = _confirmed_preview(request, KIND)
    if saved is None:
        return redirect("spreadsheets:import_plan_texts")
    options = ConfirmForm(request.POST)
    options.is_valid()
    try:
        with transaction.atomic():
            _claim(saved)
            changed = plan_texts_import_apply(
                table=saved.table,
                plan=current_plan(),
                versions=saved.versions,
                skip_hidden=options.cleaned_data.get("skip_hidden", False),
            )
    except AlreadyDone:
        _already_imported(request)
        return redirect("spreadsheets:import_plan_texts")
    except PreviewOutdated as outdated:
        preview_discard(saved.token)
        texts = [" ".join(key.split("|")) for key in outdated.codes]
        return _not_imported(request, UPLOAD, _context() | {"outdated": texts})
    except reading.ImportRefused as refused:
        preview_discard(saved.token)
        return _not_imported(
            request, UPLOAD, _context() | {"errors": refused.errors, "filename": saved.filename}
        )
    messages.success(
        request,
        ngettext(
            "The texts of %(n)s plan object were saved.",
            "The texts of %(n)s plan objects were saved.",
            changed,
        )
        % {"n": changed},
    )
    return redirect("spreadsheets:import_plan_texts")
