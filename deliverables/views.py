from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import current_plan, get_deliverable, permission_required
from .example_views import approved_examples_for
from .filters import DeliverableFilter, sort_order
from .forms import StatusUpdateForm
from .models import Deliverable, FocusArea, Status, StatusUpdate
from .roles import can_record_status, can_view_dashboard
from .services import StaleVersion, status_update_record

PAGE_SIZE = 100


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if can_view_dashboard(request.user):
        return dashboard(request)
    if request.user.has_perm("deliverables.add_progressexample"):
        return redirect("deliverables:examples")  # focal points start from their office's examples
    return redirect("deliverables:list")


@permission_required("deliverables.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    deliverables = Deliverable.objects.in_plan(plan)
    focus_areas = list(FocusArea.objects.filter(plan=plan))
    counts = {
        (row["action__focus_area"], row["status"]): row["n"]
        for row in deliverables.values("action__focus_area", "status").annotate(n=Count("id"))
    }
    statuses = list(Status)
    rows = [
        {
            "focus_area": area,
            "counts": [counts.get((area.pk, status.value), 0) for status in statuses],
            "total": sum(counts.get((area.pk, status.value), 0) for status in statuses),
        }
        for area in focus_areas
    ]
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(statuses))]
    due = deliverables.due_by(plan.midterm_year).aggregate(
        total=Count("id"), achieved=Count("id", filter=Q(status=Status.ACHIEVED))
    )
    context = {
        "plan": plan,
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "grand_total": sum(totals),
        "due": due,
        "due_not_achieved": due["total"] - due["achieved"],
        "targets": deliverables.with_targets().with_context().in_code_order(),
        "latest_updates": StatusUpdate.objects.filter(deliverable__plan=plan)
        .select_related("deliverable", "author")
        .order_by("-recorded_at", "-pk")[:10],
    }
    return render(request, "deliverables/dashboard.html", context)


@require_GET
@permission_required("deliverables.view_deliverable")
def deliverable_list(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
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
        "can_record": can_record_status(request.user),
        "examples": approved_examples_for(request.user, deliverable),
    }


@require_GET
@permission_required("deliverables.view_deliverable")
def deliverable_detail(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = get_deliverable(request, code)
    form = StatusUpdateForm(deliverable=deliverable) if can_record_status(request.user) else None
    return render(request, "deliverables/detail.html", _detail_context(request, deliverable, form))


@require_POST
@permission_required("deliverables.add_statusupdate")
def status_update(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = get_deliverable(request, code)
    form = StatusUpdateForm(request.POST, deliverable=deliverable)
    if not form.is_valid():
        context = _detail_context(request, deliverable, form)
        return render(request, "deliverables/detail.html", context, status=400)
    seen_version = form.cleaned_data["version"]
    try:
        status_update_record(
            deliverable=deliverable, user=request.user, data=form.to_input(), seen_version=seen_version
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
