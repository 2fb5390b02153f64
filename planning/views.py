"""Reporting rounds, milestones, the timeline and a user's reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dcplan.access import Perm, may_manage_rounds, permission_required
from dcplan.languages import language_of
from deliverables.selectors import current_plan, deliverable_by_code
from reporting.rendering import PDF_STATIC_PREFIX, RenderError, render_pdf

from . import selectors
from .forms import MilestoneForm, RoundForm, TimelineFilterForm
from .models import ReportingRound
from .services import MilestoneInput, StaleMilestone, milestone_add, milestone_delete, milestone_update
from .timeline import patterns, timeline


def _timeline_context(request: HttpRequest) -> dict:
    plan = current_plan()
    form = TimelineFilterForm(request.GET or None)
    unit = form.cleaned_data.get("unit") if form.is_valid() else None
    today = timezone.localdate()
    return {
        "plan": plan,
        "form": form,
        "unit": unit,
        "today": today,
        "chart": timeline(plan, today, unit),
        "patterns": patterns(),
    }


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def timeline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "planning/timeline.html", _timeline_context(request))


@require_GET
@permission_required(Perm.VIEW_DELIVERABLE)
def timeline_pdf(request: HttpRequest) -> HttpResponse:
    """The same chart through the review's PDF renderer (WeasyPrint in a child process)."""
    context = _timeline_context(request) | {"pdf_static": PDF_STATIC_PREFIX, "language": get_language()}
    try:
        result = render_pdf(render_to_string("planning/timeline_pdf.html", context))
    except RenderError as error:
        return render(
            request, "planning/timeline.html", _timeline_context(request) | {"error": error}, status=503
        )
    response = HttpResponse(result.pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="dcplan-timeline.pdf"'
    return response


# Reporting rounds.


def _rounds_page(request: HttpRequest, form: RoundForm | None, status: int = 200) -> HttpResponse:
    plan = current_plan()
    if form is None and may_manage_rounds(request.user):
        form = RoundForm(instance=ReportingRound(plan=plan))
    context = {"plan": plan, "rounds": selectors.rounds(plan), "form": form}
    return render(request, "planning/round_list.html", context, status=status)


@require_GET
@permission_required(Perm.VIEW_ROUNDS)
def round_list(request: HttpRequest) -> HttpResponse:
    return _rounds_page(request, None)


@require_POST
@permission_required(Perm.MANAGE_ROUNDS)
def round_open(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST, instance=ReportingRound(plan=current_plan(), opened_by=request.user))
    if not form.is_valid():
        return _rounds_page(request, form, status=400)
    round = form.save()
    messages.success(request, _("The round “%(name)s” is open.") % {"name": round.name})
    return redirect("planning:round", pk=round.pk)


@require_GET
@permission_required(Perm.VIEW_ROUNDS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_by_pk(pk)
    today = timezone.localdate()
    context = {"round": round, "progress": selectors.round_progress(round, today), "today": today}
    return render(request, "planning/round_detail.html", context)


@require_POST
@permission_required(Perm.MANAGE_ROUNDS)
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.round_by_pk(pk)
    if round.is_open:
        round.close(request.user)
        messages.success(
            request, _("The round “%(name)s” is closed; it stays readable.") % {"name": round.name}
        )
    return redirect("planning:round", pk=round.pk)


# Milestones.


def _milestone_input(form: MilestoneForm) -> MilestoneInput:
    data = form.cleaned_data
    return MilestoneInput(
        title=data["title"].strip(),
        due_on=data["due_on"],
        done_on=data["done_on"],
        responsible_unit=data["responsible_unit"],
    )


@require_POST
@permission_required(Perm.MANAGE_MILESTONES)
def milestone_new(request: HttpRequest, code: str) -> HttpResponse:
    deliverable = deliverable_by_code(code)
    form = MilestoneForm(request.POST, prefix="new")
    if not form.is_valid():
        context = {"deliverable": deliverable, "form": form, "milestone": None}
        return render(request, "planning/milestone_form.html", context, status=400)
    milestone_add(deliverable=deliverable, user=request.user, data=_milestone_input(form))
    messages.success(request, _("The milestone was added."))
    return redirect("deliverables:detail", code=deliverable.code)


@permission_required(Perm.MANAGE_MILESTONES)
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_by_pk(pk)
    context = {"deliverable": milestone.deliverable, "milestone": milestone}
    if request.method != "POST":
        return render(
            request, "planning/milestone_form.html", context | {"form": MilestoneForm(milestone=milestone)}
        )
    form = MilestoneForm(request.POST, milestone=milestone)
    if not form.is_valid() or form.cleaned_data["version"] is None:
        return render(request, "planning/milestone_form.html", context | {"form": form}, status=400)
    try:
        milestone_update(
            milestone=milestone,
            user=request.user,
            data=_milestone_input(form),
            seen_version=form.cleaned_data["version"],
        )
    except StaleMilestone as stale:
        return _milestone_conflict(request, context, stale)
    messages.success(request, _("The milestone was saved."))
    return redirect("deliverables:detail", code=milestone.deliverable.code)


@require_POST
@permission_required(Perm.MANAGE_MILESTONES)
def milestone_remove(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_by_pk(pk)
    try:
        seen = int(request.POST.get("version", ""))
        milestone_delete(milestone=milestone, seen_version=seen)
    except ValueError:
        return HttpResponse(_("The form was incomplete."), status=400)
    except StaleMilestone as stale:
        context = {"deliverable": milestone.deliverable, "milestone": milestone}
        return _milestone_conflict(request, context, stale)
    messages.success(request, _("The milestone was removed."))
    return redirect("deliverables:detail", code=milestone.deliverable.code)


def _milestone_conflict(request: HttpRequest, context: dict, stale: StaleMilestone) -> HttpResponse:
    """Keep what the user typed, carry the version they have now seen, show the other change."""
    current = stale.current()
    data = request.POST.copy()
    if current is not None:
        data["version"] = str(current.version)
    form = MilestoneForm(data, milestone=current)
    form.is_valid()
    return render(
        request,
        "planning/milestone_form.html",
        context | {"form": form, "conflict": current, "gone": current is None},
        status=409,
    )


# Reminders.


@require_GET
@login_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    """The user's own page: what they were reminded of, and the language their e-mails are in."""
    context = {
        "reminders": selectors.reminders_of(request.user),
        "email_language": language_of(request.user),
        "has_profile": hasattr(request.user, "profile"),
    }
    return render(request, "planning/my_reminders.html", context)
