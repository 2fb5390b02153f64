"""The plan's pages: the dashboard, the deliverables list, a deliverable and its status updates."""

from dataclasses import fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dcplan.access import (
    Perm,
    may_add_examples,
    may_assign_units,
    may_update_deliverable,
    may_view_dashboard,
    permission_required,
    unit_of,
)
from examples.selectors import EXAMPLES_SHOWN, approved_examples_for
from planning.forms import MilestoneForm
from planning.selectors import milestones_for

from . import selectors
from .filters import DeliverableFilter, sort_order
from .forms import StatusUpdateForm, UnitsForm
from .models import Deliverable
from .services import StaleVersion, status_update_record

PAGE_SIZE = 100
# The deliverable page shows this many of the latest updates (the rest: the history export).
HISTORY_SHOWN = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if may_view_dashboard(request.user):
        return dashboard(request)
    unit = unit_of(request.user)
    if unit is not None:  # unit focal points start from their unit's deliverables
        return redirect(reverse("deliverables:list") + f"?unit={unit}")
    if may_add_examples(request.user):
        return redirect("examples:list")  # focal points start from their office's examples
    return redirect("deliverables:list")


@permission_required(Perm.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(selectors.current_plan(), timezone.localdate())
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
    today = timezone.localdate()
    sort = request.GET.get("sort", "code")
    queryset = Deliverable.objects.in_plan(plan).with_context().with_flags(today).order_by(*sort_order(sort))
    filterset = DeliverableFilter(request.GET or None, queryset=queryset, plan=plan, today=today)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "filter": filterset,
        "page": page,
        "sort": sort,
        "filtered": any(request.GET.get(name) for name in filterset.filters),
    }
    return render(request, "deliverables/list.html", context)


def _detail_context(
    request: HttpRequest,
    deliverable: Deliverable,
    form: StatusUpdateForm | None,
    *,
    units_form: UnitsForm | None = None,
) -> dict:
    today = timezone.localdate()
    if units_form is None and may_assign_units(request.user):
        units_form = UnitsForm(deliverable=deliverable)
    milestones = milestones_for(deliverable)
    examples = approved_examples_for(request.user, deliverable)
    return {
        "deliverable": deliverable,
        "action": deliverable.action,
        "pb_outputs": deliverable.action.pb_outputs.all(),
        "contributing_units": deliverable.contributing_units.all(),
        # The latest updates only: a deliverable's history grows every quarter,
        # and the whole of it is in the history export. One more row than shown
        # tells whether there are more, without counting them.
        "history": deliverable.updates.select_related("author")[:HISTORY_SHOWN],
        "history_shown": HISTORY_SHOWN,
        "form": form,
        "units_form": units_form,
        "milestones": milestones,
        "late_milestones": sum(m.is_overdue(today) for m in milestones),
        "milestone_form": MilestoneForm(prefix="new")
        if request.user.has_perm(Perm.MANAGE_MILESTONES)
        else None,
        "today": today,
        "is_stale": deliverable.is_stale(today),
        "examples": examples[:EXAMPLES_SHOWN],
        "more_examples": len(examples) > EXAMPLES_SHOWN,
        "may_see_queue": request.user.has_perm(Perm.VIEW_ALL_EXAMPLES),
    }


def _deliverable_for_update(request: HttpRequest, code: str) -> Deliverable:
    """The deliverable if the user may record its status; 404 or 403 otherwise."""
    deliverable = selectors.deliverable_by_code(code)
    if not may_update_deliverable(request.user, deliverable):
        raise PermissionDenied
    return deliverable


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def deliverable_detail(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = selectors.deliverable_by_code(code)
    form = (
        StatusUpdateForm(deliverable=deliverable)
        if may_update_deliverable(request.user, deliverable)
        else None
    )
    return render(request, "deliverables/detail.html", _detail_context(request, deliverable, form))


@require_POST
@login_required
def status_update(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = _deliverable_for_update(request, code)
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


@require_POST
@permission_required(Perm.ASSIGN_UNITS)
def units_assign(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = selectors.deliverable_by_code(code)
    units_form = UnitsForm(request.POST, deliverable=deliverable)
    if not units_form.is_valid():
        form = StatusUpdateForm(deliverable=deliverable)
        context = _detail_context(request, deliverable, form, units_form=units_form)
        return render(request, "deliverables/detail.html", context, status=400)
    with transaction.atomic():
        deliverable.assign_units(
            lead_unit=units_form.cleaned_data["lead_unit"],
            contributing_units=units_form.cleaned_data["contributing_units"],
        )
    messages.success(request, _("The units of %(code)s were saved.") % {"code": deliverable.code})
    return redirect("deliverables:detail", code=deliverable.code)
