import logging

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dcplan.access import Perm, may_issue_review, permission_required
from dcplan.once import AlreadyDone, claim_once, new_nonce, release, valid_nonce
from deliverables.selectors import current_plan

from .forms import CoverForm
from .models import IssuedReview, review_filename
from .rendering import RenderError
from .services import review_document, review_issue, review_render

PDF_TYPE = "application/pdf"
log = logging.getLogger("dcplan.reporting")


def _preview_page(
    request: HttpRequest, form: CoverForm, *, status: int = 200, render_error: str = ""
) -> HttpResponse:
    """The preview page: the form, and the review when the form is valid."""
    document = None
    if form.is_valid():
        document = review_document(plan=form.plan, as_of=form.cleaned_data["as_of"], cover=form.cover())
    context = {
        "form": form,
        "doc": document,
        "review": document.review if document else None,
        "cover": document.cover if document else None,
        "can_issue": may_issue_review(request.user),
        "issue_values": form.as_hidden_values() if document else [],
        "render_error": render_error,
        "once": new_nonce(),  # the issue form acts once: see review_issue_view
    }
    if form.is_bound and not form.is_valid():
        status = 400
    return render(request, "reporting/preview.html", context, status=status)


def _bound_form(data) -> CoverForm:
    """Always bound: on a first visit (no data) the defaults are validated like any request."""
    return CoverForm.with_defaults(data, plan=current_plan())


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def review_preview(request: HttpRequest) -> HttpResponse:
    return _preview_page(request, _bound_form(request.GET))


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def review_download(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request.GET)
    if not form.is_valid():
        return _preview_page(request, form)
    as_of = form.cleaned_data["as_of"]
    cover = form.cover()
    try:
        result = review_render(plan=form.plan, as_of=as_of, cover=cover)
    except RenderError as error:
        log.error("%s (download by %s)", error.detail, request.user.get_username())
        return _preview_page(request, form, status=503, render_error=str(error))
    return _pdf_response(result.pdf, review_filename(cover.symbol, as_of))


@require_POST
@permission_required(Perm.ISSUE_REVIEW)
def review_issue_view(request: HttpRequest) -> HttpResponse:
    form = _bound_form(request.POST)
    if not form.is_valid():
        return _preview_page(request, form)
    # A double click must issue once. The form's one-time token is claimed
    # (and committed) before rendering, which happens outside any transaction;
    # a failed render gives the claim back.
    once = request.POST.get("once", "")
    if not valid_nonce(once):
        messages.error(request, _("This form is out of date: issue the review from its preview page."))
        return redirect("reporting:preview")
    key = f"review-issue:{once}"
    try:
        with transaction.atomic():
            claim_once(key)
    except AlreadyDone:
        messages.info(
            request, _("This review is being issued or was issued already (the form was sent twice).")
        )
        return redirect("reporting:issued")
    try:
        issued = review_issue(
            plan=form.plan, as_of=form.cleaned_data["as_of"], cover=form.cover(), user=request.user
        )
    except BaseException as error:
        release(key)
        if not isinstance(error, RenderError):
            raise
        log.error("%s (issue by %s)", error.detail, request.user.get_username())
        return _preview_page(request, form, status=503, render_error=str(error))
    messages.success(
        request,
        _("%(symbol)s as of %(date)s was issued. Its SHA-256 is %(sha)s.")
        % {"symbol": issued.symbol, "date": issued.as_of.isoformat(), "sha": issued.sha256},
    )
    return redirect("reporting:issued")


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def issued_list(request: HttpRequest) -> HttpResponse:
    context = {"issued": IssuedReview.objects.for_listing(), "can_issue": may_issue_review(request.user)}
    return render(request, "reporting/issued_list.html", context)


@require_GET
@permission_required(Perm.VIEW_REVIEW)
def issued_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issued = IssuedReview.objects.get(pk=pk)
    except IssuedReview.DoesNotExist:
        raise Http404("No such issued review.") from None
    response = _pdf_response(bytes(issued.pdf), issued.filename)
    response["ETag"] = f'"{issued.sha256}"'
    return response


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(pdf))
    # The review is confidential until the Governing Body publishes it.
    response["Cache-Control"] = "private, no-store"
    return response
