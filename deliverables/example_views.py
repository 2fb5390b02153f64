"""Progress examples: the office's pages, headquarters' review queue and the coverage page."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import coverage, notifications
from .access import current_plan, permission_required
from .example_filters import ExampleFilter
from .example_forms import ExampleForm, ReviewForm
from .example_services import EXAMPLE_FIELDS, ExampleInput, StaleExample, example_create, example_update
from .models import ExampleAttachment, ExampleTransition, Office, Plan, Profile, ProgressExample, Region
from .models.examples import REVIEW_PERM, VIEW_ALL_PERM

PAGE_SIZE = 50
State = ProgressExample.State


# Access: the one place that decides which examples a request may touch.


def _get_example(request: HttpRequest, pk: int) -> ProgressExample:
    """The example if the user may see it; 404 otherwise, so that another
    office's examples are not even revealed to exist."""
    queryset = ProgressExample.objects.for_user(request.user).select_related("office__region", "created_by")
    try:
        return queryset.get(pk=pk)
    except ProgressExample.DoesNotExist:
        raise Http404("No such example.") from None


def _own_office(request: HttpRequest) -> Office | None:
    """The office a new example belongs to; None when the user picks one (superusers)."""
    if request.user.is_superuser:
        return None
    profile = Profile.objects.select_related("office").filter(user=request.user).first()
    if profile is None or profile.office is None or profile.office.is_headquarters:
        raise PermissionDenied(_("Your profile names no field office: ask an administrator to set it."))
    return profile.office


def _can_review(request: HttpRequest) -> bool:
    return request.user.has_perm(REVIEW_PERM)


# The office's pages.


@require_GET
@permission_required("deliverables.add_progressexample")
def example_list(request: HttpRequest) -> HttpResponse:
    """ "My office's examples": every state, returned ones with the reviewer's comment."""
    examples = ProgressExample.objects.for_user(request.user)
    state = request.GET.get("state", "")
    listed = examples.filter(state=state) if state in State.values else examples
    notes = (
        ExampleTransition.objects.filter(to_state__in=[State.RETURNED, State.REJECTED])
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    listed = listed.with_context().prefetch_related(Prefetch("transitions", notes, to_attr="review_notes"))
    counts = dict(examples.values_list("state").annotate(n=Count("id")).order_by())
    context = {
        "page": Paginator(listed.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page")),
        "states": [(choice, counts.get(choice.value, 0)) for choice in State],
        "total": sum(counts.values()),
        "state": state if state in State.values else "",
        "all_offices": request.user.has_perm(VIEW_ALL_PERM),
    }
    return render(request, "deliverables/examples/list.html", context)


def _input(form: ExampleForm) -> ExampleInput:
    data = form.cleaned_data
    return ExampleInput(
        values={name: data[name] for name in EXAMPLE_FIELDS if name in data},
        deliverables=list(data.get("deliverables") or []),
        new_files=list(data.get("new_attachments") or []),
        remove=list(data.get("remove_attachments") or []),
    )


def _form_page(
    request: HttpRequest,
    plan: Plan,
    form: ExampleForm,
    example: ProgressExample | None,
    status: int = 200,
    **extra,
) -> HttpResponse:
    context = {
        "plan": plan,
        "form": form,
        "example": example,
        "attachments": list(example.attachments.all()) if example else [],
        "missing": example.missing_for_submission() if example and example.state_choice.is_editable else {},
        "return_note": _last_note(example, State.RETURNED) if example else None,
        **extra,
    }
    return render(request, "deliverables/examples/form.html", context, status=status)


def _last_note(example: ProgressExample, state: str) -> ExampleTransition | None:
    return example.transitions.filter(to_state=state).select_related("actor").order_by("-at", "-pk").first()


@require_http_methods(["GET", "POST"])
@permission_required("deliverables.add_progressexample")
def example_new(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    office = _own_office(request)
    if request.method == "GET":
        return _form_page(request, plan, ExampleForm(plan=plan, choose_office=office is None), None)
    form = ExampleForm(request.POST, request.FILES, plan=plan, choose_office=office is None)
    if not form.is_valid():
        return _form_page(request, plan, form, None, status=400)
    example = example_create(
        office=office or form.cleaned_data["office"], user=request.user, data=_input(form)
    )
    return _after_save(request, plan, example)


@require_http_methods(["GET", "POST"])
@permission_required("deliverables.change_progressexample")
def example_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = current_plan()
    example = _get_example(request, pk)
    if not example.editable_by(request.user):
        messages.error(
            request,
            _("This example is “%(state)s”: it can no longer be edited.")
            % {"state": example.get_state_display()},
        )
        if request.method == "POST":
            return _detail_page(request, example, status=409)
        return redirect("deliverables:example_detail", pk=example.pk)
    # The form works on a copy: invalid input must not leak into the page's
    # account of what is saved. The office is chosen once, at creation.
    if request.method == "GET":
        return _form_page(request, plan, ExampleForm(instance=copy.copy(example), plan=plan), example)
    form = ExampleForm(request.POST, request.FILES, instance=copy.copy(example), plan=plan)
    if not form.is_valid():
        return _form_page(request, plan, form, example, status=400)
    try:
        example_update(
            example=example,
            user=request.user,
            data=_input(form),
            seen_version=form.cleaned_data["version"] or 0,
        )
    except StaleExample:
        # Keep everything the user typed; carry the version now saved, so that
        # saving again is a decision taken with the other change in view.
        fresh = _get_example(request, pk)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        form = ExampleForm(data, instance=copy.copy(fresh), plan=plan)
        return _form_page(request, plan, form, fresh, status=409, conflict=fresh)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, _get_example(request, pk), status=409)
    return _after_save(request, plan, example)


def _after_save(request: HttpRequest, plan: Plan, example: ProgressExample) -> HttpResponse:
    """Saved: submit too when asked. An incomplete example stays a saved draft,
    and the form comes back listing what is missing."""
    if request.POST.get("action") != "submit":
        if example.state_choice.is_editable:
            messages.success(request, _("Saved. Submit the example when it is complete."))
        else:
            messages.success(request, _("Saved."))
        return redirect("deliverables:example_detail", pk=example.pk)
    try:
        transition = example.submit(request.user)
    except ProgressExample.Incomplete as incomplete:
        data = request.POST.copy()
        data["version"] = str(example.version)
        data.pop("remove_attachments", None)  # done already
        form = ExampleForm(data, instance=copy.copy(example), plan=plan)
        form.full_clean()
        for name, what in incomplete.message_dict.items():
            form.add_error(
                name if name in form.fields else None, _("Required to submit: %(what)s.") % {"what": what[0]}
            )
        messages.warning(
            request,
            _(
                "Your changes are saved, but the example cannot be submitted yet. "
                "Complete the fields marked below."
            ),
        )
        return _form_page(request, plan, form, example, status=400)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, example, status=409)
    notifications.example_submitted(example, transition, request)
    messages.success(request, _("Submitted. Headquarters will review the example."))
    return redirect("deliverables:example_detail", pk=example.pk)


@require_POST
@permission_required("deliverables.change_progressexample")
def example_submit(request: HttpRequest, pk: int) -> HttpResponse:
    example = _get_example(request, pk)
    try:
        transition = example.submit(request.user)
    except ProgressExample.Incomplete as incomplete:
        messages.error(request, _("Not submitted: complete the example first."))
        return _detail_page(request, example, status=400, missing=incomplete.message_dict)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, example, status=409)
    notifications.example_submitted(example, transition, request)
    messages.success(request, _("Submitted. Headquarters will review the example."))
    return redirect("deliverables:example_detail", pk=example.pk)


# The example page, for everyone who may see the example.


def _detail_page(
    request: HttpRequest,
    example: ProgressExample,
    status: int = 200,
    review_form: ReviewForm | None = None,
    missing: dict | None = None,
) -> HttpResponse:
    transitions = list(example.transitions.select_related("actor"))
    user = request.user
    can_submit = example.state_choice.is_editable and example.belongs_to_office_of(user)
    can_review = example.state_choice.is_submitted and _can_review(request)
    if missing is None and can_submit:
        missing = example.missing_for_submission()
    context = {
        "example": example,
        "deliverables": example.deliverables.select_related("action__focus_area").in_code_order(),
        "attachments": example.attachments.all(),
        "transitions": transitions,
        "return_note": next((t for t in reversed(transitions) if t.to_state == State.RETURNED), None),
        "reject_note": next((t for t in reversed(transitions) if t.to_state == State.REJECTED), None),
        "can_edit": example.editable_by(user),
        "can_submit": can_submit,
        "missing": missing or {},
        "review_form": review_form or (ReviewForm() if can_review else None),
    }
    return render(request, "deliverables/examples/detail.html", context, status=status)


@require_GET
@permission_required("deliverables.view_progressexample")
def example_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _get_example(request, pk))


@require_POST
@permission_required("deliverables.review_progressexample")
def example_review(request: HttpRequest, pk: int) -> HttpResponse:
    example = _get_example(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, example, status=400, review_form=form)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "approve":
            transition = example.approve(request.user, comment)
        elif decision == "return":
            transition = example.return_for_changes(request.user, comment)
        else:
            transition = example.reject(request.user, comment)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, example, status=409)
    notifications.example_reviewed(example, transition, request)
    done = {
        State.APPROVED: _("Approved. The example now shows on its deliverables' pages."),
        State.RETURNED: _("Returned to the office with your comment."),
        State.REJECTED: _("Rejected. The office sees your reason."),
    }
    messages.success(request, done[transition.to_choice])
    return redirect("deliverables:example_detail", pk=example.pk)


@require_GET
@permission_required("deliverables.view_progressexample")
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    example = _get_example(request, pk)
    attachment = get_object_or_404(ExampleAttachment, pk=attachment_pk, example=example)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    # Never rendered by the browser as a page, whatever the file holds.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Headquarters' pages.


@require_GET
@permission_required("deliverables.view_all_progressexamples")
def review_queue(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    queryset = (
        ProgressExample.objects.for_user(request.user)
        .with_context()
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )
    filterset = ExampleFilter(request.GET, queryset=queryset, plan=plan)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "filter": filterset,
        "page": page,
        "can_review": _can_review(request),
    }
    return render(request, "deliverables/examples/queue.html", context)


@require_GET
@permission_required("deliverables.view_example_coverage")
def coverage_view(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    code = request.GET.get("region")
    if code:
        region = get_object_or_404(Region, code=code)
        matrix = coverage.office_matrix(plan, region)
    else:
        matrix = coverage.region_matrix(plan)
    return render(request, "deliverables/examples/coverage.html", {"plan": plan, "matrix": matrix})


def approved_examples_for(user, deliverable) -> list[ProgressExample]:
    """The approved examples shown on a deliverable's page, in one query. Each
    carries `linkable`: whether the user may open the example's own page (and
    its attachments) — everyone who sees the deliverable reads the summary."""
    examples = list(
        deliverable.examples.approved().select_related("office__region").order_by("-approved_at", "-pk")
    )
    sees_all = user.has_perm(VIEW_ALL_PERM)
    profile = getattr(user, "profile", None) if user.has_perm("deliverables.view_progressexample") else None
    for example in examples:
        example.linkable = sees_all or (profile is not None and profile.office_id == example.office_id)
    return examples
