"""Bulk imports for headquarters staff: upload → preview → confirm.

The upload validates the whole file and, when it is clean, keeps it on the
server under a random token with the deliverables' versions it was checked
against; the preview page shows row by row what will change; the confirm
applies it in one transaction, or refuses if a deliverable moved meanwhile.
"""

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dcplan.access import Perm, permission_required
from deliverables.filters import DeliverableFilter, sort_order
from deliverables.models import Deliverable, Status, StatusUpdate
from deliverables.selectors import current_plan
from deliverables.services import StaleVersion
from examples.models import ProgressExample

from . import exports, imports
from .exports import WRITERS

# Importing is for headquarters staff and superusers: recording statuses and
# reviewing examples are held by no other role.
STATUS_IMPORT_PERM = Perm.RECORD_STATUS
EXAMPLES_IMPORT_PERM = Perm.REVIEW_EXAMPLES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _refused(
    request: HttpRequest, template: str, context: dict, form: UploadForm, message: str
) -> HttpResponse:
    context |= {"form": form, "file_error": message}
    return render(request, template, context, status=400)


# Status updates ---------------------------------------------------------------


def _status_context() -> dict:
    return {"columns": imports.STATUS_IMPORT_COLUMNS, "statuses": list(Status), "max_rows": imports.MAX_ROWS}


@require_http_methods(["GET", "POST"])
@permission_required(STATUS_IMPORT_PERM)
def import_status(request: HttpRequest) -> HttpResponse:
    template = "spreadsheets/status_upload.html"
    if request.method == "GET":
        return render(request, template, _status_context() | {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, _status_context() | {"form": form}, status=400)
    plan = current_plan()
    upload = form.cleaned_data["file"]
    try:
        table = imports.read_table(upload)
        preview = imports.status_preview(table, plan=plan)
    except imports.FileRefused as refused:
        return _refused(request, template, _status_context(), form, str(refused))
    if preview.errors:
        context = _status_context() | {
            "form": form,
            "errors": preview.errors,
            "filename": upload.name,
            "row_count": len(table.rows),
        }
        return render(request, template, context, status=400)
    token = imports.preview_save(
        user=request.user,
        kind="status",
        payload={
            "filename": upload.name,
            "table": table.as_json(),
            "versions": preview.versions,
            "rows": [row.for_display() for row in preview.rows],
        },
    )
    return redirect("spreadsheets:import_status_preview", token=token)


@require_GET
@permission_required(STATUS_IMPORT_PERM)
def import_status_preview(request: HttpRequest, token: str) -> HttpResponse:
    saved = imports.preview_load(user=request.user, kind="status", token=token)
    if saved is None:
        raise Http404("No such preview.")
    labels = dict(Status.choices)
    rows = [
        row
        | {
            "old_label": labels.get(row["old_status"], row["old_status"]),
            "new_label": labels.get(row["new_status"], row["new_status"]),
        }
        for row in saved["rows"]
    ]
    context = {
        "filename": saved["filename"],
        "encoding": saved["table"]["encoding"],
        "changes": [row for row in rows if not row["skipped"]],
        "skipped": [row for row in rows if row["skipped"]],
        "confirm_form": ConfirmForm(initial={"token": token}),
    }
    return render(request, "spreadsheets/status_preview.html", context)


def _confirmed_preview(request: HttpRequest, kind: str) -> tuple[str, dict | None]:
    """The user's own saved preview named by the confirm form, or None (with a message) when it is gone."""
    form = ConfirmForm(request.POST)
    token = form.data.get("token", "")
    saved = imports.preview_load(user=request.user, kind=kind, token=token) if form.is_valid() else None
    if saved is None:
        messages.error(request, _("This preview has expired or does not exist. Upload the file again."))
    return token, saved


@require_POST
@permission_required(STATUS_IMPORT_PERM)
def import_status_confirm(request: HttpRequest) -> HttpResponse:
    token, saved = _confirmed_preview(request, "status")
    if saved is None:
        return redirect("spreadsheets:import_status")
    try:
        result = imports.status_import_apply(
            table=imports.Table.from_json(saved["table"]),
            plan=current_plan(),
            user=request.user,
            versions=saved["versions"],
        )
    except (imports.PreviewOutdated, StaleVersion) as outdated:
        imports.preview_discard(token)
        codes = [outdated.deliverable.code] if isinstance(outdated, StaleVersion) else outdated.codes
        context = _status_context() | {"form": UploadForm(), "outdated": codes}
        return render(request, "spreadsheets/status_upload.html", context, status=409)
    except imports.ImportRefused as refused:
        imports.preview_discard(token)
        context = _status_context() | {
            "form": UploadForm(),
            "errors": refused.errors,
            "filename": saved["filename"],
        }
        return render(request, "spreadsheets/status_upload.html", context, status=409)
    imports.preview_discard(token)
    messages.success(
        request,
        _("%(created)s status updates recorded; %(skipped)s unchanged rows skipped.")
        % {"created": result.created, "skipped": result.skipped},
    )
    return redirect("deliverables:list")


# Progress examples ----------------------------------------------------------


def _examples_context() -> dict:
    return {"columns": imports.EXAMPLE_IMPORT_COLUMNS, "max_rows": imports.MAX_ROWS}


@require_http_methods(["GET", "POST"])
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples(request: HttpRequest) -> HttpResponse:
    template = "spreadsheets/examples_upload.html"
    if request.method == "GET":
        return render(request, template, _examples_context() | {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, template, _examples_context() | {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        table = imports.read_table(upload)
        preview = imports.examples_preview(table, plan=current_plan())
    except imports.FileRefused as refused:
        return _refused(request, template, _examples_context(), form, str(refused))
    if preview.errors:
        context = _examples_context() | {
            "form": form,
            "errors": preview.errors,
            "filename": upload.name,
            "row_count": len(table.rows),
        }
        return render(request, template, context, status=400)
    token = imports.preview_save(
        user=request.user,
        kind="examples",
        payload={
            "filename": upload.name,
            "table": table.as_json(),
            "rows": [row.for_display() for row in preview.rows],
        },
    )
    return redirect("spreadsheets:import_examples_preview", token=token)


@require_GET
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples_preview(request: HttpRequest, token: str) -> HttpResponse:
    saved = imports.preview_load(user=request.user, kind="examples", token=token)
    if saved is None:
        raise Http404("No such preview.")
    context = {
        "filename": saved["filename"],
        "rows": saved["rows"],
        "confirm_form": ConfirmForm(initial={"token": token}),
    }
    return render(request, "spreadsheets/examples_preview.html", context)


@require_POST
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples_confirm(request: HttpRequest) -> HttpResponse:
    token, saved = _confirmed_preview(request, "examples")
    if saved is None:
        return redirect("spreadsheets:import_examples")
    try:
        created = imports.examples_import_apply(
            table=imports.Table.from_json(saved["table"]), plan=current_plan(), user=request.user
        )
    except imports.ImportRefused as refused:
        imports.preview_discard(token)
        context = _examples_context() | {
            "form": UploadForm(),
            "errors": refused.errors,
            "filename": saved["filename"],
        }
        return render(request, "spreadsheets/examples_upload.html", context, status=409)
    imports.preview_discard(token)
    messages.success(request, _("%(n)s progress examples created and submitted.") % {"n": created})
    return redirect("examples:queue")


# Templates ------------------------------------------------------------------


def _template_response(rows: list[list[object]], name: str, file_format: str) -> HttpResponse:
    if file_format not in WRITERS:
        raise Http404("Unknown format.")
    write, content_type = WRITERS[file_format]
    response = HttpResponse(write(rows), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@require_GET
@permission_required(STATUS_IMPORT_PERM)
def import_template(request: HttpRequest) -> HttpResponse:
    return _template_response(
        imports.status_template_rows(), "dcplan-status-import", request.GET.get("format", "xlsx")
    )


@require_GET
@permission_required(EXAMPLES_IMPORT_PERM)
def import_examples_template(request: HttpRequest) -> HttpResponse:
    return _template_response(
        imports.examples_template_rows(), "dcplan-examples-import", request.GET.get("format", "xlsx")
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
