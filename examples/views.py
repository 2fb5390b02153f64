"""Progress examples: the office's pages, headquarters' review queue and the coverage page."""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dcplan.access import Perm, may_review_examples, may_see_all_examples, permission_required
from dcplan.once import AlreadyDone, claim_once, new_nonce, valid_nonce
from deliverables.models import Deliverable, Office, Plan, Region
from deliverables.selectors import current_plan

from . import selectors, services
from .filters import ExampleFilter
from .forms import DecisionForm, ExampleForm
from .models import ExampleAttachment, ProgressExample

PAGE_SIZE = 50
State = ProgressExample.State


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# The office's pages.


@require_GET
@permission_required(Perm.ADD_EXAMPLE)
def example_list(request: HttpRequest) -> HttpResponse:
    """ "My office's examples": every state, returned ones with the reviewer's comment."""
    examples = ProgressExample.objects.for_user(request.user)
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    listed = selectors.examples_with_review_notes(examples.filter(state=state) if state else examples)
    counts = selectors.state_counts(examples)
    # What waits for the office comes first: examples returned for changes.
    returned_first = Case(When(state=State.RETURNED, then=0), default=1)
    context = {
        "page": Paginator(listed.order_by(returned_first, "-updated_at", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "returned": counts.get(State.RETURNED, 0),
        "states": [(choice, counts.get(choice.value, 0)) for choice in State],
        "total": sum(counts.values()),
        "state": state,
        "all_offices": may_see_all_examples(request.user),
    }
    return render(request, "examples/list.html", context)


def _input(form: ExampleForm) -> services.ExampleInput:
    data = form.cleaned_data
    return services.ExampleInput(
        values={name: data[name] for name in services.EXAMPLE_FIELDS if name in data},
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
        "return_note": selectors.last_note(example, State.RETURNED) if example else None,
        "once": request.POST.get("once") or new_nonce(),  # a new example is created once
        **extra,
    }
    return render(request, "examples/form.html", context, status=status)


def _new_initial(request: HttpRequest, plan: Plan, office: Office | None) -> dict:
    """A new example starts with the office's countries, and with the deliverable
    it was started from ("Add an example for this deliverable": ?deliverable=1.4.1)."""
    initial = {"countries": [country.code for country in office.countries] if office else []}
    code = request.GET.get("deliverable", "")
    if code:
        initial["deliverables"] = list(
            Deliverable.objects.in_plan(plan).filter(code=code[:20]).values_list("pk", flat=True)
        )
    return initial


@require_http_methods(["GET", "POST"])
@permission_required(Perm.ADD_EXAMPLE)
def example_new(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    office = selectors.own_field_office(request.user)
    if request.method == "GET":
        form = ExampleForm(
            plan=plan,
            choose_office=office is None,
            office=office,
            initial=_new_initial(request, plan, office),
        )
        return _form_page(request, plan, form, None)
    form = ExampleForm(request.POST, request.FILES, plan=plan, choose_office=office is None, office=office)
    if not form.is_valid():
        return _form_page(request, plan, form, None, status=400)
    once = request.POST.get("once", "")
    try:
        # A double click on "save" (or "save and submit") creates one example: the
        # form's one-time token is claimed in the creating transaction.
        with transaction.atomic():
            if valid_nonce(once):
                claim_once(f"example-new:{once}")
            example = services.example_create(
                office=office or form.cleaned_data["office"], user=request.user, data=_input(form)
            )
    except AlreadyDone:
        messages.info(request, _("This example was saved already (the form was sent twice)."))
        return redirect("examples:list")
    except services.AttachmentNotStored as not_stored:
        return _not_stored(request, plan, form, None, not_stored)
    return _after_save(request, plan, example)


@require_http_methods(["GET", "POST"])
@permission_required(Perm.CHANGE_EXAMPLE)
def example_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = current_plan()
    example = selectors.example_for_user(request.user, pk)
    if not example.editable_by(request.user):
        return _not_editable(request, example)
    # The form works on a copy: invalid input must not leak into the page's
    # account of what is saved. The office is chosen once, at creation.
    if request.method == "GET":
        return _form_page(request, plan, ExampleForm(instance=copy.copy(example), plan=plan), example)
    form = ExampleForm(request.POST, request.FILES, instance=copy.copy(example), plan=plan)
    if not form.is_valid():
        return _form_page(request, plan, form, example, status=400)
    try:
        services.example_update(
            example=example,
            user=request.user,
            data=_input(form),
            seen_version=form.cleaned_data["version"] or 0,
        )
    except services.StaleExample:
        return _stale_form(request, plan, pk)
    except services.AttachmentNotStored as not_stored:
        return _not_stored(request, plan, form, selectors.example_for_user(request.user, pk), not_stored)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, selectors.example_for_user(request.user, pk), status=409)
    return _after_save(request, plan, example)


def _not_stored(
    request: HttpRequest,
    plan: Plan,
    form: ExampleForm,
    example: ProgressExample | None,
    error: "services.AttachmentNotStored",
) -> HttpResponse:
    """The form again with everything typed, saying that the file could not be stored."""
    form.add_error("new_attachments", str(error))
    return _form_page(request, plan, form, example, status=503)


def _not_editable(request: HttpRequest, example: ProgressExample) -> HttpResponse:
    messages.error(
        request,
        _("This example is “%(state)s”: it can no longer be edited.")
        % {"state": example.get_state_display()},
    )
    if request.method == "POST":
        return _detail_page(request, example, status=409)
    return redirect("examples:detail", pk=example.pk)


def _stale_form(request: HttpRequest, plan: Plan, pk: int) -> HttpResponse:
    """Keep everything the user typed; carry the version now saved, so that
    saving again is a decision taken with the other change in view."""
    fresh = selectors.example_for_user(request.user, pk)
    if not fresh.editable_by(request.user):
        # Typically the same "save and submit" sent twice: the first submitted it.
        return _not_editable(request, fresh)
    data = request.POST.copy()
    data["version"] = str(fresh.version)
    form = ExampleForm(data, instance=copy.copy(fresh), plan=plan)
    return _form_page(request, plan, form, fresh, status=409, conflict=fresh)


def _after_save(request: HttpRequest, plan: Plan, example: ProgressExample) -> HttpResponse:
    """Saved: submit too when asked. An incomplete example stays a saved draft,
    and the form comes back listing what is missing."""
    if request.POST.get("action") != "submit":
        saved = (
            _("Saved. Submit the example when it is complete.")
            if example.state_choice.is_editable
            else _("Saved.")
        )
        messages.success(request, saved)
        return redirect("examples:detail", pk=example.pk)
    try:
        services.example_submit(example=example, user=request.user, link_base=_link_base(request))
    except ProgressExample.Incomplete as incomplete:
        return _incomplete_form(request, plan, example, incomplete)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, example, status=409)
    messages.success(request, _("Submitted. Headquarters will review the example."))
    return redirect("examples:detail", pk=example.pk)


def _incomplete_form(
    request: HttpRequest, plan: Plan, example: ProgressExample, incomplete: ProgressExample.Incomplete
) -> HttpResponse:
    data = request.POST.copy()
    data["version"] = str(example.version)
    data.pop("remove_attachments", None)  # done already
    form = ExampleForm(data, instance=copy.copy(example), plan=plan)
    form.full_clean()
    for name, what in incomplete.message_dict.items():
        form.add_error(
            name if name in form.fields else None, _("Required to submit: %(what)s.") % {"what": what[0]}
        )
    summary = _("Your changes are saved, but the example cannot be submitted yet. Add:")
    return _form_page(request, plan, form, example, status=400, summary_title=summary)


@require_POST
@permission_required(Perm.CHANGE_EXAMPLE)
def example_submit(request: HttpRequest, pk: int) -> HttpResponse:
    example = selectors.example_for_user(request.user, pk)
    try:
        services.example_submit(example=example, user=request.user, link_base=_link_base(request))
    except ProgressExample.Incomplete as incomplete:
        messages.error(request, _("Not submitted: complete the example first."))
        missing = {name: whats[0] for name, whats in incomplete.message_dict.items()}
        return _detail_page(request, example, status=400, missing=missing)
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, example, status=409)
    messages.success(request, _("Submitted. Headquarters will review the example."))
    return redirect("examples:detail", pk=example.pk)


# The example page, for everyone who may see the example.


def _detail_page(
    request: HttpRequest,
    example: ProgressExample,
    status: int = 200,
    decision_form: DecisionForm | None = None,
    missing: dict | None = None,
) -> HttpResponse:
    transitions = list(example.transitions.select_related("actor"))
    user = request.user
    can_submit = example.state_choice.is_editable and example.belongs_to_office_of(user)
    can_review = example.state_choice.is_submitted and may_review_examples(user)
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
        "review_form": decision_form or (DecisionForm() if can_review else None),
    }
    return render(request, "examples/detail.html", context, status=status)


@require_GET
@permission_required(Perm.VIEW_EXAMPLE)
def example_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.example_for_user(request.user, pk))


DONE = {
    State.APPROVED: gettext_lazy("Approved. The example now shows on its deliverables' pages."),
    State.RETURNED: gettext_lazy("Returned to the office with your comment."),
    State.REJECTED: gettext_lazy("Rejected. The office sees your reason."),
}


@require_POST
@permission_required(Perm.REVIEW_EXAMPLES)
def example_review(request: HttpRequest, pk: int) -> HttpResponse:
    example = selectors.example_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, example, status=400, decision_form=form)
    try:
        transition = services.example_review(
            example=example,
            user=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            link_base=_link_base(request),
        )
    except ProgressExample.TransitionNotAllowed as refused:
        messages.error(request, " ".join(refused.messages))
        return _detail_page(request, example, status=409)
    messages.success(request, str(DONE[transition.to_choice]))
    return redirect("examples:detail", pk=example.pk)


@require_GET
@permission_required(Perm.VIEW_EXAMPLE)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    example = selectors.example_for_user(request.user, pk)
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
@permission_required(Perm.VIEW_ALL_EXAMPLES)
def review_queue(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    filterset = ExampleFilter(request.GET, queryset=selectors.review_queue(request.user), plan=plan)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "filter": filterset,
        "page": page,
        "can_review": may_review_examples(request.user),
    }
    return render(request, "examples/queue.html", context)


@require_GET
@permission_required(Perm.VIEW_COVERAGE)
def coverage(request: HttpRequest) -> HttpResponse:
    plan = current_plan()
    code = request.GET.get("region")
    if code:
        matrix = selectors.office_matrix(plan, get_object_or_404(Region, code=code))
    else:
        matrix = selectors.region_matrix(plan)
    return render(request, "examples/coverage.html", {"plan": plan, "matrix": matrix})
