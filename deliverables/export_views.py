"""Spreadsheet downloads for the staff pages. Each view picks the rows the
user may read and writes them with an exporter of deliverables.exports."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from . import exports
from .access import current_plan, permission_required
from .filters import DeliverableFilter, sort_order
from .models import Deliverable, ProgressExample, StatusUpdate


def _download(request: HttpRequest, exporter: exports.Exporter, queryset: QuerySet) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.WRITERS:
        raise Http404("Unknown format.")
    write, content_type = exports.WRITERS[file_format]
    response = HttpResponse(write(exporter.rows(queryset)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(file_format)}"'
    return response


@require_GET
@permission_required("deliverables.view_deliverable")
def export_deliverables(request: HttpRequest) -> HttpResponse:
    """The deliverables list as a spreadsheet, with the list's filters and sort order."""
    plan = current_plan()
    queryset = Deliverable.objects.in_plan(plan).order_by(*sort_order(request.GET.get("sort", "code")))
    filterset = DeliverableFilter(request.GET or None, queryset=queryset, plan=plan)
    return _download(request, exports.DELIVERABLES, filterset.qs)


@require_GET
@permission_required("deliverables.view_deliverable")
def export_history(request: HttpRequest) -> HttpResponse:
    """Every status update of the plan. Whoever reads the deliverables reads
    their history on the detail pages, so the same permission applies."""
    plan = current_plan()
    return _download(request, exports.HISTORY, StatusUpdate.objects.filter(deliverable__plan=plan))


@require_GET
@permission_required("deliverables.view_progressexample")
def export_examples(request: HttpRequest) -> HttpResponse:
    """The progress examples the user may read: a focal point gets their office's only."""
    examples = ProgressExample.objects.for_user(request.user)
    state = request.GET.get("state", "")
    if state in ProgressExample.State.values:
        examples = examples.filter(state=state)
    return _download(request, exports.EXAMPLES, examples)
