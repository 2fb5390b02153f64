"""Spreadsheet pages: the imports (upload → preview → confirm), their
templates, and the exports.

The upload validates the whole file and, when it is clean, keeps it on the
server under a random token with the deliverables' versions it was checked
against (spreadsheets.previews); the preview page shows row by row what will
change; the confirm applies it in one transaction, or refuses if a
deliverable moved meanwhile.
"""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dcplan.access import Perm, may_assign_units, permission_required
from dcplan.once import AlreadyDone, claim_once, was_claimed
from deliverables.filters import DeliverableFilter, sort_order
from deliverables.models import Deliverable, Status, StatusUpdate
from deliverables.selectors import current_plan
from deliverables.services import StaleVersion
from examples.models import ProgressExample

from . import exports, reading
from .examples_import import (
    EXAMPLE_IMPORT_COLUMNS,
    examples_ignored_columns,
    examples_import_apply,
    examples_preview,
    examples_template_rows,
    examples_template_sheets,
)
from .forms import ConfirmForm, UploadForm
from .previews import SavedPreview, claim_key, preview_discard, preview_load, preview_save
from .resources import STATUS_IMPORT_COLUMNS
from .status_import import (
    PreviewOutdated,
    status_ignored_columns,
    status_import_apply,
    status_preview,
    status_template_rows,
    status_template_sheets,
)

# Importing is for headquarters staff and superusers: recording statuses and
# reviewing examples are held by no other role.
STATUS_IMPORT_PERM = Perm.RECORD_STATUS
EXAMPLES_IMPORT_PERM = Perm.REVIEW_EXAMPLES

STATUS_UPLOAD = "spreadsheets/status_upload.html"
EXAMPLES_UPLOAD = "spreadsheets/examples_upload.html"


def _status_context() -> dict:
    return {"columns": STATUS_IMPORT_COLUMNS, "statuses": list(Status), "max_rows": reading.MAX_ROWS}


def _examples_context() -> dict:
    return {"columns": EXAMPLE_IMPORT_COLUMNS, "max_rows": reading.MAX_ROWS}


def _check_upload(
    request: HttpRequest, kind: str, template: str, context: dict, preview_of: Callable
) -> HttpResponse:
    """An upload page's POST: the file refused with its errors, or its preview kept and shown."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, context | {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        table = reading.read_table(upload, context["columns"])
        preview = preview_of(table, plan=current_plan())
    except reading.FileRefused as refused:
        return render(request, template, context | {"form": form, "file_error": str(refused)}, status=400)
    if preview.errors:
        context |= {
            "form": form,
            "errors": preview.errors,
            "filename": upload.name,
            "row_count": len(table.rows),
            "sheet": table.sheet,
        }
        return render(request, template, context, status=400)
    saved = preview_save(
        user=request.user, kind=kind, preview=preview.saved(filename=upload.name, table=table)
    )
    return redirect(f"spreadsheets:import_{kind}_preview", token=saved.token)


def _saved_preview(request: HttpRequest, kind: str, token: str) -> SavedPreview:
    saved = preview_load(user=request.user, kind=kind, token=token)
    if saved is None:
        raise Http404("No such preview.")
    return saved


def _confirmed_preview(request: HttpRequest, kind: str) -> SavedPreview | None:
    """The user's own saved preview named by the confirm form, or None (with a message) when it is gone."""
    form = ConfirmForm(request.POST)
    token = form.data.get("token", "")
    saved = preview_load(user=request.user, kind=kind, token=token) if form.is_valid() else None
    if saved is None:
        if form.is_valid() and was_claimed(claim_key(token)):
            _already_imported(request)
        else:
            messages.error(request, _("This preview has expired or does not exist. Upload the file again."))
    return saved


def _already_imported(request: HttpRequest) -> None:
    messages.info(
        request,
        _("This file was imported already (the confirmation was sent twice); nothing was imported again."),
    )


def _claim(saved: SavedPreview) -> None:
    """Inside the import's transaction: the preview is confirmed once, or AlreadyDone."""
    claim_once(claim_key(saved.token))
    preview_discard(saved.token)


def _not_imported(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The upload page again, saying why a confirmed preview was not applied."""
    return render(request, template, context | {"form": UploadForm()}, status=409)


# Status updates ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(STATUS_IMPORT_PERM)
def import_status(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, STATUS_UPLOAD, _status_context() | {"form": UploadForm()})
    # A file may change units only if its uploader may assign them.
    preview_of = partial(status_preview, may_assign_units=may_assign_units(request.user))
    return _check_upload(request, "status", STATUS_UPLOAD, _status_context(), preview_of)


@require_GET
@permission_required(STATUS_IMPORT_PERM)
def import_status_preview(request: HttpRequest, token: str) -> HttpResponse:
    saved = _saved_preview(request, "status", token)
    labels = dict(Status.choices)
    rows = [
        row
        | {
            "old_label": labels.get(row["old_status"], row["old_status"]),
            "new_label": labels.get(row["new_status"], row["new_status"]),
        }
        for row in saved.rows
        if not row.get("example")
    ]
    # A row changes a status, the units, or both; the others change nothing.
    changes = [row for row in rows if not row["skipped"] or row.get("units")]
    context = {
        "filename": saved.filename,
        "encoding": saved.table.encoding,
        "changes": changes,
        "status_changes": [row for row in changes if not row["skipped"]],
        "unit_changes": [row for row in changes if row.get("units")],
        "skipped": [row for row in rows if row["skipped"] and not row.get("units")],
        "confirm_form": ConfirmForm(initial={"token": token}),
    } | _flagged(saved, saved.rows, status_ignored_columns(saved.table))
    context["back_dated"] = [row for row in changes if row["back_dated"]]
    return render(request, "spreadsheets/status_preview.html", context)


def _flagged(saved: SavedPreview, rows: list[dict], ignored: list[str]) -> dict:
    """What a preview points out besides the rows: the sheet read, the columns
    ignored, the template's example, the rows hidden in the workbook."""
    return {
        "sheet": saved.table.sheet,
        "ignored_columns": ignored,
        "example_rows": [row["row"] for row in rows if row.get("example")],
        "hidden_rows": [row["row"] for row in rows if row.get("hidden")],
    }


@require_POST
@permission_required(STATUS_IMPORT_PERM)
def import_status_confirm(request: HttpRequest) -> HttpResponse:
    saved = _confirmed_preview(request, "status")
    if saved is None:
        return redirect("spreadsheets:import_status")
    options = ConfirmForm(request.POST)
    options.is_valid()
    try:
        with transaction.atomic():
            _claim(saved)
            result = status_import_apply(
                table=saved.table,
                plan=current_plan(),
                user=request.user,
                versions=saved.versions,
                units=saved.units,
                skip_hidden=options.cleaned_data.get("skip_hidden", False),
                skip_back_dated=options.cleaned_data.get("skip_back_dated", False),
                planned=saved.planned,
            )
    except AlreadyDone:
        _already_imported(request)
        return redirect("deliverables:list")
    except (PreviewOutdated, StaleVersion) as outdated:
        preview_discard(saved.token)
        codes = [outdated.deliverable.code] if isinstance(outdated, StaleVersion) else outdated.codes
        return _not_imported(request, STATUS_UPLOAD, _status_context() | {"outdated": codes})
    except reading.ImportRefused as refused:
        preview_discard(saved.token)
        context = _status_context() | {"errors": refused.errors, "filename": saved.filename}
        return _not_imported(request, STATUS_UPLOAD, context)
    recorded = ngettext(
        "%(created)s status update recorded", "%(created)s status updates recorded", result.created
    ) % {"created": result.created}
    skipped = ngettext(
        "%(skipped)s unchanged row skipped", "%(skipped)s unchanged rows skipped", result.skipped
    ) % {"skipped": result.skipped}
    if result.units_changed:
        recorded += "; " + ngettext(
            "the units of %(n)s deliverable changed",
            "the units of %(n)s deliverables changed",
            result.units_changed,
        ) % {"n": result.units_changed}
    messages.success(request, _("%(recorded)s; %(skipped)s.") % {"recorded": recorded, "skipped": skipped})
    return redirect("deliverables:list")


# Progress examples ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, EXAMPLES_UPLOAD, _examples_context() | {"form": UploadForm()})
    return _check_upload(request, "examples", EXAMPLES_UPLOAD, _examples_context(), examples_preview)


@require_GET
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples_preview(request: HttpRequest, token: str) -> HttpResponse:
    saved = _saved_preview(request, "examples", token)
    planned = [row for row in saved.rows if not row.get("example")]
    context = {
        "filename": saved.filename,
        "rows": [
            row for row in planned if row.get("duplicate_of") is None and row.get("duplicate_row") is None
        ],
        "duplicates": [row for row in planned if row.get("duplicate_of") or row.get("duplicate_row")],
        "confirm_form": ConfirmForm(initial={"token": token}),
    } | _flagged(saved, saved.rows, examples_ignored_columns(saved.table))
    return render(request, "spreadsheets/examples_preview.html", context)


@require_POST
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples_confirm(request: HttpRequest) -> HttpResponse:
    saved = _confirmed_preview(request, "examples")
    if saved is None:
        return redirect("spreadsheets:import_examples")
    options = ConfirmForm(request.POST)
    options.is_valid()
    try:
        with transaction.atomic():
            _claim(saved)
            created = examples_import_apply(
                table=saved.table,
                plan=current_plan(),
                user=request.user,
                create_duplicates=options.cleaned_data.get("create_duplicates", False),
                skip_hidden=options.cleaned_data.get("skip_hidden", False),
            )
    except AlreadyDone:
        _already_imported(request)
        return redirect("examples:queue")
    except reading.ImportRefused as refused:
        preview_discard(saved.token)
        context = _examples_context() | {"errors": refused.errors, "filename": saved.filename}
        return _not_imported(request, EXAMPLES_UPLOAD, context)
    messages.success(
        request,
        ngettext(
            "%(n)s progress example created and submitted.",
            "%(n)s progress examples created and submitted.",
            created,
        )
        % {"n": created},
    )
    return redirect("examples:queue")


# Templates ------------------------------------------------------------------


def _template_response(
    rows: list[list[object]], sheets: list[exports.Sheet], name: str, file_format: str
) -> HttpResponse:
    """The CSV template is the header and the example row; the workbook adds
    instructions and lists of allowed values."""
    if file_format not in exports.WRITERS:
        raise Http404("Unknown format.")
    write, content_type = exports.WRITERS[file_format]
    content = exports.write_workbook(sheets) if file_format == "xlsx" else write(rows)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@require_GET
@permission_required(STATUS_IMPORT_PERM)
def import_template(request: HttpRequest) -> HttpResponse:
    return _template_response(
        status_template_rows(),
        status_template_sheets(),
        "dcplan-status-import",
        request.GET.get("format", "xlsx"),
    )


@require_GET
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples_template(request: HttpRequest) -> HttpResponse:
    return _template_response(
        examples_template_rows(),
        examples_template_sheets(),
        "dcplan-examples-import",
        request.GET.get("format", "xlsx"),
    )


# Exports: each view picks the rows the user may read and writes them with an exporter.


def _download(request: HttpRequest, exporter: exports.Exporter, queryset: QuerySet) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.WRITERS:
        raise Http404("Unknown format.")
    write, content_type = exports.WRITERS[file_format]
    response = HttpResponse(write(exporter.rows(queryset)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(file_format)}"'
    return response


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def export_deliverables(request: HttpRequest) -> HttpResponse:
    """The deliverables list as a spreadsheet, with the list's filters and sort order."""
    plan = current_plan()
    queryset = Deliverable.objects.in_plan(plan).order_by(*sort_order(request.GET.get("sort", "code")))
    filterset = DeliverableFilter(request.GET or None, queryset=queryset, plan=plan)
    return _download(request, exports.DELIVERABLES, filterset.qs)


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def export_history(request: HttpRequest) -> HttpResponse:
    """Every status update of the plan. Whoever reads the deliverables reads
    their history on the detail pages, so the same permission applies."""
    plan = current_plan()
    return _download(request, exports.HISTORY, StatusUpdate.objects.filter(deliverable__plan=plan))


@require_GET
@permission_required(Perm.VIEW_EXAMPLE)
def export_examples(request: HttpRequest) -> HttpResponse:
    """The progress examples the user may read: a focal point gets their office's only."""
    examples = ProgressExample.objects.for_user(request.user)
    state = request.GET.get("state", "")
    if state in ProgressExample.State.values:
        examples = examples.filter(state=state)
    return _download(request, exports.EXAMPLES, examples)
