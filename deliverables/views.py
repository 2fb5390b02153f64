"""The plan's pages: the dashboard, the deliverables list, a deliverable and its status updates."""

from dataclasses import fields

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dcplan.access import Perm, may_add_examples, may_record_status, may_view_dashboard, permission_required
from examples.selectors import approved_examples_for

from . import selectors
from .filters import DeliverableFilter, sort_order
from .forms import StatusUpdateForm
from .models import Deliverable
from .services import StaleVersion, status_update_record

PAGE_SIZE = 100


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if may_view_dashboard(request.user):
        return dashboard(request)
    if may_add_examples(request.user):
        return redirect("examples:list")  # focal points start from their office's examples
    return redirect("deliverables:list")


@permission_required(Perm.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(selectors.current_plan())
    context = {field.name: getattr(board, field.name) for field in fields(board)}
    context |= {
        "due": {"total": board.due_total, "achieved": board.due_achieved},
        "due_not_achieved": board.due_not_achieved,
    }
    return render(request, "deliverables/dashboard.html", context)


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def deliverable_list(request: HttpRequest) -> HttpResponse:
    plan = selectors.current_plan()
    sort = request.GET.get("sort", "code")
    queryset = Deliverable.objects.in_plan(plan).with_context().order_by(*sort_order(sort))
    filterset = DeliverableFilter(request.GET or None, queryset=queryset, plan=plan)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "filter": filterset,
        "page": page,
        "sort": sort,
        "filtered": any(request.GET.get(name) for name in filterset.filters),
    }
    return render(request, "deliverables/list.html", context)


def _detail_context(request: HttpRequest, deliverable: Deliverable, form: StatusUpdateForm | None) -> dict:
    return {
        "deliverable": deliverable,
        "action": deliverable.action,
        "pb_outputs": deliverable.action.pb_outputs.all(),
        "history": deliverable.updates.select_related("author"),
        "form": form,
        "can_record": may_record_status(request.user),
        "examples": approved_examples_for(request.user, deliverable),
    }


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def deliverable_detail(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = selectors.deliverable_by_code(code)
    form = StatusUpdateForm(deliverable=deliverable) if may_record_status(request.user) else None
    return render(request, "deliverables/detail.html", _detail_context(request, deliverable, form))


@require_POST
@permission_required(Perm.RECORD_STATUS)
def status_update(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = selectors.deliverable_by_code(code)
    form = StatusUpdateForm(request.POST, deliverable=deliverable)
    if not form.is_valid():
        return render(
            request, "deliverables/detail.html", _detail_context(request, deliverable, form), status=400
        )
    try:
        status_update_record(
            deliverable=deliverable,
            user=request.user,
            data=form.to_input(),
            seen_version=form.cleaned_data["version"],
        )
    except StaleVersion as stale:
        # Keep everything the user typed; carry the version they have now seen,
        # so that saving again is a decision taken with the other update in view.
        data = request.POST.copy()
        data["version"] = str(deliverable.version_now())
        context = _detail_context(request, deliverable, StatusUpdateForm(data, deliverable=deliverable))
        context["conflict"] = stale.newer_updates()
        return render(request, "deliverables/detail.html", context, status=409)
    messages.success(request, _("Your update of %(code)s was recorded.") % {"code": deliverable.code})
    return redirect("deliverables:detail", code=deliverable.code)
